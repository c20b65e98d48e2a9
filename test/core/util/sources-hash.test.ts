import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { engineCodeHash, sourcesHash } from "../../../core/version.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder holding `files` (relative path → content), written in the order given. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "qc-sources-"));
  dirs.push(root);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

describe("sourcesHash", () => {
  const files = { "a.ts": "export const a = 1;\n", "metrics/sharpe.ts": "export const k = 2;\n", "z.ts": "" };

  it("is the same for the same files, whatever order or folder they were written in", () => {
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    expect(sourcesHash(tree(files))).toBe(sourcesHash(tree(reversed)));
    expect(sourcesHash(tree(files))).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes with one byte of one file, a file moved, a file added, or bytes moved between files", () => {
    const base = sourcesHash(tree(files));
    expect(sourcesHash(tree({ ...files, "metrics/sharpe.ts": "export const k = 3;\n" }))).not.toBe(base);
    const moved = tree(files);
    renameSync(path.join(moved, "z.ts"), path.join(moved, "y.ts"));
    expect(sourcesHash(moved)).not.toBe(base);
    expect(sourcesHash(tree({ ...files, "new.ts": "" }))).not.toBe(base);
    expect(sourcesHash(tree({ "p.ts": "ab", "q.ts": "c" }))).not.toBe(sourcesHash(tree({ "p.ts": "a", "q.ts": "bc" })));
  });

  it("engineCodeHash is the hash of core/", () => {
    expect(engineCodeHash()).toBe(sourcesHash(path.resolve(import.meta.dirname, "../../../core")));
  });
});
