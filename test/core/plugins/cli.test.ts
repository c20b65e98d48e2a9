import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT, syntaxErrorPlugin } from "./helpers.ts";

const run = promisify(execFile);

/** `quantchat <args>` in a child process, as an operator runs it. */
async function quantchat(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--no-node-snapshot", path.join(ROOT, "bin/quantchat.js"), ...args],
      {
        cwd: ROOT,
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("quantchat plugins validate", () => {
  it("prints ok for a good plugin and exits 0", async () => {
    const r = await quantchat("plugins", "validate", "test/fixtures/plugins/sma-cross");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: test-sma-cross 1\.2\.0 \(hooks: init, onCandle; sha256 [0-9a-f]{16}\)\n$/);
  });

  it("prints every manifest problem with file:line:column and exits 1", async () => {
    const r = await quantchat("plugins", "validate", "test/fixtures/plugins/bad-manifest");
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe(
      'test/fixtures/plugins/bad-manifest/plugin.yaml:1:5 id: expected an id of lowercase letters, digits, "-" and "_" (at most 64), got "Bad Id"',
    );
    expect(lines[10]).toBe(
      'test/fixtures/plugins/bad-manifest/plugin.yaml:23:42 limits.threads: unknown key "threads"',
    );
  });

  it("compiles the entry in a sandbox: a syntax error is reported with its line, exit 1", async () => {
    const dir = syntaxErrorPlugin();
    const r = await quantchat("plugins", "validate", dir);
    expect(r.code).toBe(1);
    const file = path.relative(ROOT, path.join(dir, "strategy.js"));
    expect(r.stderr).toBe(`error: ${file}:5:4: SyntaxError: Unexpected token ','\n`);
    rmSync(dir, { recursive: true });
  });
});

describe("quantchat plugins list and show", () => {
  it("lists id, version, name and params; shows a manifest with ranges, permissions and limits", async () => {
    const list = await quantchat("plugins", "list", "--dir", "test/fixtures/plugins");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^id +version +name +params$/m);
    expect(list.stdout).toMatch(/^test-sma-cross +1\.2\.0 +Test SMA cross +fast=10 slow=30$/m);
    expect(list.stderr).toMatch(/skipped .*bad-manifest: 11 problem\(s\)/);

    const show = await quantchat("plugins", "show", "test-sma-cross", "--dir", "test/fixtures/plugins");
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^permissions +indicators$/m);
    expect(show.stdout).toMatch(/^limits +32 MB memory, 50 ms CPU per call$/m);
    expect(show.stdout).toMatch(/^fast +integer +10 +an integer from 1 to 500$/m);

    const missing = await quantchat("plugins", "show", "nope", "--dir", "test/fixtures/plugins");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no plugin "nope"/);
  });
});
