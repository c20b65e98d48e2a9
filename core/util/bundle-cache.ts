import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildOptions, Metafile } from "esbuild";

/** The package's own cache: beside its dependencies, never /tmp, where another user could plant a bundle we run. */
export const BUNDLE_CACHE_DIR = fileURLToPath(new URL("../../node_modules/.cache/quantchat/", import.meta.url));

/** What to bundle and where the result lives. */
export interface BundleSpec {
  /** Absolute path of the entry file. */
  readonly entry: string;
  /** The output's file name in the cache directory, such as "child-1a2b3c4d5e6f.mjs". */
  readonly name: string;
  /** esbuild's options (bundle, format, platform, ...); the entry, output and metafile are set here. */
  readonly options: Omit<BuildOptions, "entryPoints" | "outfile" | "outdir" | "write" | "metafile" | "stdin">;
  /** The cache directory; BUNDLE_CACHE_DIR unless a test points elsewhere. */
  readonly dir?: string;
  /** Files that shape the output without being in it (the code of an esbuild plugin used). */
  readonly tooling?: readonly string[];
}

interface Manifest {
  /** The options the bundle was built with, as text: other options are another bundle. */
  readonly key: string;
  readonly inputs: readonly { readonly path: string; readonly size: number; readonly mtimeMs: number }[];
  /** Folders a glob import (`import(\`./migrations/${file}\`)`) took every file of: a file added there changes them. */
  readonly dirs: readonly { readonly path: string; readonly mtimeMs: number }[];
}

// The manifest rides in the bundle's last line, so that one rename replaces both at once.
const MARK = "\n// quantchat-bundle ";
// Enough for the manifest of thousands of inputs; a longer one is found by reading the whole file.
const TAIL_BYTES = 1 << 20;
const requireHere = createRequire(import.meta.url);
// Inputs of every bundle besides its own: esbuild's version, and this file (how bundles are made).
const TOOLING = [requireHere.resolve("esbuild/package.json"), fileURLToPath(import.meta.url)];
let building = 0;

/**
 * The cached bundle's path if it is still what a build would give (every input recorded in it has
 * the same size and mtime, and no file came or went in a glob-imported folder), else undefined.
 * Synchronous, a few milliseconds, so a caller can fork before its own synchronous work.
 * @example const file = freshBundle(spec) ?? (await buildBundle(spec))
 */
export function freshBundle(spec: BundleSpec): string | undefined {
  const dir = spec.dir ?? BUNDLE_CACHE_DIR;
  const file = path.join(dir, spec.name);
  try {
    if (!trusted(statSync(dir))) return undefined;
    const manifest = readManifest(file);
    if (!manifest || manifest.key !== optionsKey(spec)) return undefined;
    for (const input of manifest.inputs) {
      const stat = statSync(input.path);
      if (stat.size !== input.size || stat.mtimeMs !== input.mtimeMs) return undefined;
    }
    for (const folder of manifest.dirs) if (statSync(folder.path).mtimeMs !== folder.mtimeMs) return undefined;
    return file;
  } catch {
    return undefined; // no bundle yet, an input gone, a torn manifest: build again
  }
}

/**
 * Builds the bundle into the cache and returns its path. The file is written under a temporary name in
 * the same folder and renamed into place, so concurrent builders (two workers, two CLI runs) never
 * expose half a file; the last rename wins and either is whole. Throws on an esbuild or file error.
 * @example const file = await buildBundle({ entry, name: "child.mjs", options: { bundle: true, platform: "node" } })
 */
export async function buildBundle(spec: BundleSpec): Promise<string> {
  const esbuild = await import("esbuild");
  const started = Date.now();
  building++;
  try {
    return store(spec, await esbuild.build(buildOptions(spec)), started);
  } finally {
    // esbuild's service process would otherwise stay, a child of ours for as long as we run. Nothing
    // else here uses its asynchronous API (a caller that did would see it start again on its next call).
    if (--building === 0) await esbuild.stop();
  }
}

/**
 * buildBundle, synchronously (esbuild's buildSync, which takes no plugins).
 * @example const code = readFileSync(freshBundle(spec) ?? buildBundleSync(spec), "utf8")
 */
export function buildBundleSync(spec: BundleSpec): string {
  const { buildSync } = requireHere("esbuild") as typeof import("esbuild");
  const started = Date.now();
  return store(spec, buildSync(buildOptions(spec)), started);
}

/**
 * A cached bundle's code without the manifest line.
 * @example isolate.compileScriptSync(bundleCode(readFileSync(file, "utf8")))
 */
export function bundleCode(text: string): string {
  const at = text.lastIndexOf(MARK);
  return at < 0 ? text : text.slice(0, at + 1);
}

/** The manifest at the end of a bundle we alone can have written, read from its tail (a bundle is megabytes). */
function readManifest(file: string): Manifest | undefined {
  const fd = openSync(file, "r");
  try {
    const stat = fstatSync(fd);
    if (!trusted(stat)) return undefined;
    const mark = Buffer.from(MARK);
    let length = Math.min(stat.size, TAIL_BYTES);
    let tail = Buffer.alloc(length);
    readSync(fd, tail, 0, length, stat.size - length);
    if (tail.lastIndexOf(mark) < 0 && length < stat.size) {
      length = stat.size;
      tail = Buffer.alloc(length);
      readSync(fd, tail, 0, length, 0);
    }
    const at = tail.lastIndexOf(mark);
    return at < 0 ? undefined : (JSON.parse(tail.subarray(at + mark.length).toString("utf8")) as Manifest);
  } finally {
    closeSync(fd);
  }
}

function buildOptions(spec: BundleSpec): BuildOptions & { write: false; metafile: true } {
  return {
    ...spec.options,
    entryPoints: [spec.entry],
    outfile: path.join(spec.dir ?? BUNDLE_CACHE_DIR, spec.name),
    absWorkingDir: path.dirname(spec.entry),
    write: false,
    metafile: true,
  };
}

function store(
  spec: BundleSpec,
  result: { outputFiles?: { path: string; text: string }[]; metafile?: Metafile },
  started: number,
): string {
  const output = result.outputFiles?.find((o) => !o.path.endsWith(".map"));
  if (!output || !result.metafile) throw new Error(`esbuild gave no bundle of ${spec.entry}`);
  const root = path.dirname(spec.entry);
  const files = new Set([...TOOLING, ...(spec.tooling ?? [])]);
  const dirs = new Set<string>();
  for (const [input, { imports }] of Object.entries(result.metafile.inputs)) {
    const file = path.resolve(root, input);
    files.add(file);
    for (const { path: target, external } of imports) {
      // A package left out but imported by its file's URL: a new version of it is another bundle.
      if (external && target.startsWith("file:")) files.add(fileURLToPath(target));
      const star = target.indexOf("*");
      if (star >= 0) dirs.add(path.resolve(path.dirname(file), target.slice(0, target.lastIndexOf("/", star) + 1)));
    }
  }
  // A file saved while the build ran may be in the bundle as it was before: record it as changed, so the
  // next call builds again. A second of slack for file systems that keep whole seconds.
  const inputs = [...files].map((file) => {
    const { size, mtimeMs } = statSync(file);
    return { path: file, size, mtimeMs: mtimeMs >= started - 1000 ? -1 : mtimeMs };
  });
  const manifest: Manifest = {
    key: optionsKey(spec),
    inputs,
    dirs: [...dirs].map((folder) => ({ path: folder, mtimeMs: statSync(folder).mtimeMs })),
  };
  const dir = spec.dir ?? BUNDLE_CACHE_DIR;
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (!trusted(statSync(dir))) throw new Error(`${dir} is not ours alone (owner or mode), so no bundle is kept there`);
  const file = path.join(dir, spec.name);
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(temporary, `${output.text}${MARK}${JSON.stringify(manifest)}\n`, { mode: 0o644, flag: "wx" });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return file;
}

/** Owned by this user (or root) and writable by no one else: nobody else can swap the code we run. */
function trusted({ uid, mode }: Stats): boolean {
  const me = process.getuid?.();
  return me === undefined || ((uid === me || uid === 0) && (mode & 0o022) === 0);
}

function optionsKey(spec: BundleSpec): string {
  const { plugins, ...rest } = spec.options;
  const text = JSON.stringify({ entry: spec.entry, rest, plugins: plugins?.map((p) => p.name) });
  return createHash("sha256").update(text).digest("hex");
}
