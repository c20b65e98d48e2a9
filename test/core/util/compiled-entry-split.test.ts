import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundleCode } from "../../../core/util/bundle-cache.ts";
import { cachedEntry, compiledEntry } from "../../../core/util/compiled-entry.ts";
import { age, writeDated } from "./dated-files.ts";

// Bundles as the CLI's is made: every npm package left out, one file per dynamic import.
const WAY = { packages: "external", split: true } as const;
const FALLBACK = "/the/tsx/entry.js";

let dir: string;
let cache: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-split-"));
  cache = path.join(dir, "cache");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A source file under this test's folder, dated an hour back unless told (see writeDated). */
const write = (relative: string, text: string, ageS?: number) => writeDated(dir, relative, text, ageS);

/** What plain node (no tsx) prints running `file`, one line each. */
function runNode(file: string, ...args: string[]): string[] {
  const result = spawnSync(process.execPath, [file, ...args], { encoding: "utf8" });
  expect(result.stderr).toBe("");
  return result.stdout.trim().split("\n");
}

/**
 * A package `pk` whose exports give node ("import") and esbuild's own default ("module") different
 * files, and that says when it is loaded; src/entry.ts imports src/lazy.ts, which imports pk, only when
 * asked to.
 */
function entryWithLazyPackage(): string {
  write(
    "node_modules/pk/package.json",
    JSON.stringify({ name: "pk", type: "module", exports: { module: "./m.js", import: "./i.js", default: "./d.js" } }),
  );
  for (const variant of ["m", "i", "d"]) {
    write(`node_modules/pk/${variant}.js`, `console.log("pk loaded");\nexport const file = "${variant}.js";\n`);
  }
  write("src/lazy.ts", 'import { file } from "pk";\nexport const from: string = file;\n');
  return write(
    "src/entry.ts",
    'console.log("started");\nif (process.argv[2] === "lazy") console.log((await import("./lazy.ts")).from);\n',
  );
}

function chunkFolder(entry: string): string {
  return entry.replace(/\.mjs$/, "");
}

describe("compiledEntry with packages external and split", () => {
  it("loads a package from its own file, the one node would pick, and only when the module importing it is", async () => {
    const entry = entryWithLazyPackage();
    const file = await compiledEntry(entry, FALLBACK, { dir: cache, ...WAY });
    expect(path.dirname(file)).toBe(cache);

    expect(runNode(file)).toEqual(["started"]);
    expect(runNode(file, "lazy")).toEqual(["started", "pk loaded", "i.js"]);

    const chunks = readdirSync(chunkFolder(file));
    expect(chunks.length).toBeGreaterThan(0);
    const texts = [file, ...chunks.map((c) => path.join(chunkFolder(file), c))].map((f) => readFileSync(f, "utf8"));
    expect(texts.some((t) => t.includes("pk loaded"))).toBe(false); // left out, not copied in
    expect(bundleCode(texts[0] as string)).not.toContain("node_modules/pk"); // the entry itself does not import it
    expect(cachedEntry(entry, { dir: cache, ...WAY })).toBe(file);
  });

  it("is another bundle than the same entry made the default way", async () => {
    const entry = entryWithLazyPackage();
    const split = await compiledEntry(entry, FALLBACK, { dir: cache, ...WAY });
    const single = await compiledEntry(entry, FALLBACK, { dir: cache });
    expect(single).not.toBe(split);
    expect(existsSync(chunkFolder(single))).toBe(false);
    expect(readFileSync(single, "utf8")).toContain("pk loaded"); // bundled in
    expect(runNode(single)).toEqual(["started"]);
  });

  it("is stale when one of its chunks is gone, and the rebuild puts it back", async () => {
    const entry = entryWithLazyPackage();
    const file = await compiledEntry(entry, FALLBACK, { dir: cache, ...WAY });
    const [first] = readdirSync(chunkFolder(file));
    rmSync(path.join(chunkFolder(file), first as string));
    expect(cachedEntry(entry, { dir: cache, ...WAY })).toBeUndefined();

    expect(await compiledEntry(entry, FALLBACK, { dir: cache, ...WAY })).toBe(file);
    expect(readdirSync(chunkFolder(file))).toContain(first);
    expect(runNode(file, "lazy")).toEqual(["started", "pk loaded", "i.js"]);
  });

  it("drops chunks of earlier builds that no build wrote for a day, and keeps the rest", async () => {
    const entry = entryWithLazyPackage();
    const file = await compiledEntry(entry, FALLBACK, { dir: cache, ...WAY });
    const folder = chunkFolder(file);
    const current = readdirSync(folder);
    const old = path.join(folder, "lazy-OLDBUILD.mjs");
    const recent = path.join(folder, "lazy-RECENTBUILD.mjs");
    writeFileSync(old, "export {};\n");
    writeFileSync(recent, "export {};\n");
    age(old, 25 * 3600);
    age(recent, 23 * 3600);

    write("src/lazy.ts", 'import { file } from "pk";\nexport const from: string = file + "!";\n', 3000);
    await compiledEntry(entry, FALLBACK, { dir: cache, ...WAY });
    const after = readdirSync(folder);
    expect(after).not.toContain("lazy-OLDBUILD.mjs");
    expect(after).toContain("lazy-RECENTBUILD.mjs");
    // The previous build's chunks were written just now: kept, for a process that started from it.
    for (const chunk of current) expect(after).toContain(chunk);
    expect(runNode(file, "lazy")).toEqual(["started", "pk loaded", "i.js!"]);
  });

  it("neither keeps nor uses chunks in a folder others can write to", async () => {
    const entry = entryWithLazyPackage();
    const file = await compiledEntry(entry, FALLBACK, { dir: cache, ...WAY });
    chmodSync(chunkFolder(file), 0o777);
    expect(cachedEntry(entry, { dir: cache, ...WAY })).toBeUndefined();
    const warnings: string[] = [];
    expect(await compiledEntry(entry, FALLBACK, { dir: cache, ...WAY, warn: (m) => warnings.push(m) })).toBe(FALLBACK);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/is not ours alone/);
    expect(statSync(chunkFolder(file)).mode & 0o777).toBe(0o777); // left as found, not "fixed" behind our back
  });
});
