import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedEntry, compiledEntry } from "../../../core/util/compiled-entry.ts";
import { age, writeDated } from "./dated-files.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const FALLBACK = "/the/tsx/entry.js";

let dir: string;
let cache: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-compiled-"));
  cache = path.join(dir, "cache");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A source file under this test's folder, dated an hour back unless told (see writeDated). */
const write = (relative: string, text: string, ageS?: number) => writeDated(dir, relative, text, ageS);

/** What a bundle prints when plain node (no tsx) runs it. */
function runNode(file: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [file, ...args], { encoding: "utf8" });
  expect(result.stderr).toBe("");
  return result.stdout.trim();
}

/** entry.ts importing dep.ts, both TypeScript. */
function entryWithImport(greeting = "one"): string {
  write("src/dep.ts", `export const greeting: string = "${greeting}";\n`);
  return write(
    "src/entry.ts",
    `import { greeting } from "./dep.ts";\nconst n: number = 1;\nconsole.log(greeting, n);\n`,
  );
}

describe("compiledEntry", () => {
  it("bundles a TypeScript entry that plain node runs, and reuses the bundle while nothing changed", async () => {
    const entry = entryWithImport();
    const file = await compiledEntry(entry, FALLBACK, { dir: cache });
    expect(path.dirname(file)).toBe(cache);
    expect(runNode(file)).toBe("one 1");

    const built = statSync(file);
    expect(cachedEntry(entry, { dir: cache })).toBe(file);
    expect(await compiledEntry(entry, FALLBACK, { dir: cache })).toBe(file);
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([built.ino, built.mtimeMs]); // not written again
  });

  it("rebuilds when an input's size changes, and when only its mtime does", async () => {
    const entry = entryWithImport("one");
    const file = await compiledEntry(entry, FALLBACK, { dir: cache });
    const first = statSync(file).ino;

    write("src/dep.ts", 'export const greeting: string = "three";\n', 3000);
    expect(cachedEntry(entry, { dir: cache })).toBeUndefined();
    expect(await compiledEntry(entry, FALLBACK, { dir: cache })).toBe(file);
    expect(runNode(file)).toBe("three 1");
    const second = statSync(file).ino;
    expect(second).not.toBe(first);
    expect(cachedEntry(entry, { dir: cache })).toBe(file);

    age(path.join(dir, "src/dep.ts"), 2000); // touched, same bytes
    expect(cachedEntry(entry, { dir: cache })).toBeUndefined();
    await compiledEntry(entry, FALLBACK, { dir: cache });
    expect(statSync(file).ino).not.toBe(second);
    expect(cachedEntry(entry, { dir: cache })).toBe(file);
  });

  it("rebuilds when a file is added to a folder a glob import takes every file of (as migrations/)", async () => {
    write("src/parts/a.ts", 'export const value: string = "from a";\n');
    age(path.join(dir, "src/parts"), 3600);
    const entry = write(
      "src/entry.ts",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a module with a template literal
      "const name = process.argv[2];\nconst part = await import(`./parts/${name}.ts`);\nconsole.log(part.value);\n",
    );
    const file = await compiledEntry(entry, FALLBACK, { dir: cache });
    expect(runNode(file, "a")).toBe("from a");

    write("src/parts/b.ts", 'export const value: string = "from b";\n');
    expect(cachedEntry(entry, { dir: cache })).toBeUndefined();
    await compiledEntry(entry, FALLBACK, { dir: cache });
    expect(runNode(file, "b")).toBe("from b");
  });

  it("keeps each module's own import.meta.url, so paths relative to it point beside the source", async () => {
    write("src/lib/data.txt", "beside the source\n");
    write(
      "src/lib/read.ts",
      'import { readFileSync } from "node:fs";\n' +
        'export const text = readFileSync(new URL("./data.txt", import.meta.url), "utf8").trim();\n' +
        "export const where = import.meta.dirname;\n",
    );
    const entry = write("src/entry.ts", 'import { text, where } from "./lib/read.ts";\nconsole.log(text, where);\n');
    const file = await compiledEntry(entry, FALLBACK, { dir: cache });
    expect(runNode(file)).toBe(`beside the source ${path.join(dir, "src/lib")}`);
  });

  it("two processes building the same entry at once both succeed and leave one whole bundle", async () => {
    const entry = entryWithImport("together");
    const builder = write(
      "builder.mts",
      `import { compiledEntry } from ${JSON.stringify(path.join(ROOT, "core/util/compiled-entry.ts"))};\n` +
        "const [entry, cache, at] = process.argv.slice(2);\n" +
        "while (Date.now() < Number(at)) {} // start building together\n" +
        `console.log(await compiledEntry(entry, "fallback", { dir: cache }));\n`,
    );
    const at = String(Date.now() + 3000);
    const outputs = await Promise.all(
      [1, 2].map(
        () =>
          new Promise<{ code: number | null; out: string }>((resolve) => {
            const child = spawn(process.execPath, ["--import", "tsx", builder, entry, cache, at], { cwd: ROOT });
            let out = "";
            child.stdout.on("data", (chunk) => {
              out += chunk;
            });
            child.stderr.pipe(process.stderr);
            child.on("close", (code) => resolve({ code, out: out.trim() }));
          }),
      ),
    );
    expect(outputs.map((o) => o.code)).toEqual([0, 0]);
    const [one, two] = outputs.map((o) => o.out);
    expect(one).toBe(two);
    expect(one).not.toBe("fallback");
    expect(readdirSync(cache)).toEqual([path.basename(one as string)]); // no temporary file left
    expect(runNode(one as string)).toBe("together 1");
  });

  it("callers in the same process at the same time get the same whole bundle", async () => {
    const entry = entryWithImport("shared");
    const files = await Promise.all([1, 2, 3].map(() => compiledEntry(entry, FALLBACK, { dir: cache })));
    expect(new Set(files).size).toBe(1);
    expect(readdirSync(cache)).toHaveLength(1);
    expect(runNode(files[0] as string)).toBe("shared 1");
  });

  it("falls back to the tsx entry, saying so once, when the cache folder cannot be made", async () => {
    const entry = entryWithImport();
    write("not-a-folder", "a file where the cache folder's parent should be");
    const unwritable = path.join(dir, "not-a-folder", "cache");
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);
    expect(await compiledEntry(entry, FALLBACK, { dir: unwritable, warn })).toBe(FALLBACK);
    expect(await compiledEntry(entry, FALLBACK, { dir: unwritable, warn })).toBe(FALLBACK);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^cannot use a compiled entry\.ts \(.*ENOTDIR.*\); running it through tsx instead/);
  });

  it("neither keeps nor uses a bundle in a folder others can write to", async () => {
    const entry = entryWithImport();
    await compiledEntry(entry, FALLBACK, { dir: cache });
    chmodSync(cache, 0o777); // anyone could now swap the bundle
    expect(cachedEntry(entry, { dir: cache })).toBeUndefined();
    const warnings: string[] = [];
    expect(await compiledEntry(entry, FALLBACK, { dir: cache, warn: (m) => warnings.push(m) })).toBe(FALLBACK);
    expect(warnings[0]).toMatch(/is not ours alone/);
  });

  it("falls back when esbuild cannot build the entry, naming the file and line", async () => {
    const entry = write("src/broken.ts", "const x: number = ;\n");
    const warnings: string[] = [];
    expect(await compiledEntry(entry, FALLBACK, { dir: cache, warn: (m) => warnings.push(m) })).toBe(FALLBACK);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/broken\.ts:1: /);
  });
});
