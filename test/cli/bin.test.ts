import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO_ROOT } from "../helpers/process.ts";

// How bin/quantchat.js starts the CLI: from a bundle of cli/main.ts that it builds into the bundle cache
// when missing or stale, under plain node; through tsx, after one warning, when it cannot have one.
// Each test points the cache at a folder of its own (QUANTCHAT_BUNDLE_DIR), never at the package's.

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
const WARNING = /^quantchat: cannot use a compiled main\.ts \((.+)\); running it through tsx instead, slower$/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-bin-"));
  // Logs every module node resolves, to tell a run from the bundle from one through tsx.
  writeFileSync(
    path.join(dir, "hooks.mjs"),
    "export async function resolve(specifier, context, next) {\n" +
      "  const result = await next(specifier, context);\n" +
      '  process.stderr.write("resolved " + result.url + "\\n");\n' +
      "  return result;\n}\n",
  );
  writeFileSync(
    path.join(dir, "log-modules.mjs"),
    'import { register } from "node:module";\nregister(new URL("./hooks.mjs", import.meta.url));\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The modules node resolved, when run with `logModules`. */
  readonly modules: readonly string[];
}

/** Runs `node bin/quantchat.js ...args` in a clean environment with `env` on top. */
function quantchat(
  args: readonly string[],
  env: Record<string, string>,
  { bin = BIN, logModules = false }: { bin?: string; logModules?: boolean } = {},
): Run {
  const flags = logModules ? ["--import", path.join(dir, "log-modules.mjs")] : [];
  const result = spawnSync(process.execPath, ["--no-node-snapshot", ...flags, bin, ...args], {
    cwd: path.dirname(path.dirname(bin)),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    encoding: "utf8",
  });
  const lines = result.stderr.split("\n");
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: lines.filter((l) => !l.startsWith("resolved ")).join("\n"),
    modules: lines.filter((l) => l.startsWith("resolved ")).map((l) => l.slice("resolved ".length)),
  };
}

/** The cache's bundle of cli/main.ts: `main-<hash>.mjs` and its folder of chunks. */
function bundleIn(cache: string): { entry: string; chunks: string[] } {
  const entries = readdirSync(cache).filter((f) => /^main-[0-9a-f]{12}\.mjs$/.test(f));
  expect(entries).toHaveLength(1);
  const entry = path.join(cache, entries[0] as string);
  return { entry, chunks: readdirSync(entry.replace(/\.mjs$/, "")) };
}

/** The command names of a `--help` text, in the order listed. */
function commandsIn(help: string): string[] {
  const section = help.slice(help.indexOf("Commands:"));
  return [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1] as string).filter((c) => c !== "help");
}

describe("bin/quantchat.js, the real CLI", () => {
  const cache = () => path.join(dir, "cache");

  it("builds the bundle on the first run, then runs from it under plain node, tsx not loaded", () => {
    const first = quantchat(["--version"], { QUANTCHAT_BUNDLE_DIR: cache() });
    expect(first).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
    const { entry, chunks } = bundleIn(cache());
    expect(chunks.length).toBeGreaterThan(10); // each command a file of its own, and what they share
    const built = statSync(entry);

    const second = quantchat(["--version"], { QUANTCHAT_BUNDLE_DIR: cache() }, { logModules: true });
    expect(second).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
    expect(second.modules).toContain(`file://${entry}`);
    expect(second.modules.filter((url) => /\.[cm]?tsx?$/.test(url) || url.includes("/node_modules/tsx/"))).toEqual([]);
    const after = statSync(entry);
    expect([after.ino, after.mtimeMs]).toEqual([built.ino, built.mtimeMs]); // not built again
  });

  it("lists every file of cli/commands in file-name order, the same compiled and through tsx", () => {
    const compiled = quantchat(["--help"], { QUANTCHAT_BUNDLE_DIR: cache() });
    expect(compiled).toMatchObject({ code: 0, stderr: "" });
    const files = readdirSync(path.join(REPO_ROOT, "cli/commands"))
      .filter((f) => f.endsWith(".ts"))
      .sort()
      .map((f) => f.slice(0, -3));
    expect(commandsIn(compiled.stdout)).toEqual(files);

    writeFileSync(path.join(dir, "not-a-folder"), "");
    const throughTsx = quantchat(["--help"], { QUANTCHAT_BUNDLE_DIR: path.join(dir, "not-a-folder", "cache") });
    expect(throughTsx.code).toBe(0);
    expect(throughTsx.stdout).toBe(compiled.stdout);
  });

  it("runs through tsx with one warning when the cache folder cannot be made", () => {
    writeFileSync(path.join(dir, "a-file"), "");
    const run = quantchat(
      ["--version"],
      { QUANTCHAT_BUNDLE_DIR: path.join(dir, "a-file", "cache") },
      { logModules: true },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${VERSION}\n`);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(WARNING);
    expect(lines[0]).toContain("ENOTDIR");
    expect(run.modules).toContain(`file://${path.join(REPO_ROOT, "cli/main.ts")}`);
  });

  it("runs through tsx with one warning, keeping nothing there, when others can write to the cache folder", () => {
    const shared = path.join(dir, "shared-cache");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const run = quantchat(["--version"], { QUANTCHAT_BUNDLE_DIR: shared });
    expect(run.stdout).toBe(`${VERSION}\n`);
    expect(run.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(WARNING)]);
    expect(run.stderr).toContain("is not ours alone");
    expect(readdirSync(shared)).toEqual([]);
  });
});

describe("bin/quantchat.js on a copy of the CLI with commands of its own", () => {
  let root: string;
  let commands: string;
  beforeAll(() => {
    root = path.join(dir, "copy");
    commands = path.join(root, "cli/commands");
    const files = ["bin/quantchat.js", "cli/main.ts", "cli/errors.ts", "core/version.ts", "package.json"];
    for (const util of ["bundle-fresh.js", "bundle-cache.ts", "compiled-entry.ts"]) files.push(`core/util/${util}`);
    for (const file of files) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      copyFileSync(path.join(REPO_ROOT, file), path.join(root, file));
      age(path.join(root, file));
    }
    // Its own node_modules folder (so its own bundle cache) with only what the CLI's start needs.
    for (const name of ["commander", "tsx", "esbuild"]) {
      mkdirSync(path.join(root, "node_modules"), { recursive: true });
      symlinkSync(path.join(REPO_ROOT, "node_modules", name), path.join(root, "node_modules", name));
    }
    mkdirSync(commands);
  });
  const bin = () => path.join(root, "bin/quantchat.js");
  const cache = () => path.join(root, "node_modules/.cache/quantchat");

  /** A command file registering `name`; `action` is the body of its action. */
  function command(file: string, name: string, action = `console.log("${name} ran");`): void {
    writeFileSync(
      path.join(commands, file),
      'import type { Command } from "commander";\n\n' +
        "export function register(program: Command): void {\n" +
        `  program.command("${name}").description("the ${name} command").action(async () => {\n    ${action}\n  });\n}\n`,
    );
    age(path.join(commands, file));
    age(commands);
  }

  it("picks up a command file added or removed, in file-name order, with no registry to edit", () => {
    command("b.ts", "bravo");
    command("a-b.ts", "alpha-bravo");
    command("a.ts", "alpha"); // "a-b.ts" < "a.ts": the order of the file names, not of the command names
    const first = quantchat(["--help"], {}, { bin: bin() });
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(commandsIn(first.stdout)).toEqual(["alpha-bravo", "alpha", "bravo"]);
    const built = statSync(bundleIn(cache()).entry);
    expect(quantchat(["alpha"], {}, { bin: bin() })).toMatchObject({ code: 0, stdout: "alpha ran\n", stderr: "" });
    expect(statSync(bundleIn(cache()).entry).mtimeMs).toBe(built.mtimeMs); // nothing changed, nothing built

    command("c.ts", "charlie");
    const added = quantchat(["--help"], {}, { bin: bin() });
    expect(commandsIn(added.stdout)).toEqual(["alpha-bravo", "alpha", "bravo", "charlie"]);
    expect(statSync(bundleIn(cache()).entry).mtimeMs).not.toBe(built.mtimeMs);
    expect(quantchat(["charlie"], {}, { bin: bin() }).stdout).toBe("charlie ran\n");

    rmSync(path.join(commands, "a.ts"));
    age(commands);
    const removed = quantchat(["--help"], {}, { bin: bin() });
    expect(removed).toMatchObject({ code: 0, stderr: "" });
    expect(commandsIn(removed.stdout)).toEqual(["alpha-bravo", "bravo", "charlie"]);
  });

  it("runs through tsx with one warning naming the file and line when esbuild cannot build it", () => {
    command("d.ts", "delta", 'await import("a-package-nobody-installed");');
    const run = quantchat(["--help"], {}, { bin: bin() });
    expect(run.code).toBe(0);
    expect(commandsIn(run.stdout)).toContain("delta"); // tsx runs it: the import is only in the action
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(WARNING);
    expect(lines[0]).toMatch(/commands\/d\.ts:5: Could not resolve "a-package-nobody-installed"/);
    rmSync(path.join(commands, "d.ts"));
  });
});

/** Dates a file an hour back: a build records an input saved while it ran as changed, to build again. */
function age(file: string): void {
  const time = Date.now() / 1000 - 3600;
  utimesSync(file, time, time);
}
