import { createHash, randomBytes } from "node:crypto";
import { accessSync, constants, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildOptions, Metafile } from "esbuild";
import { BUNDLE_CACHE_DIR, freshBundle as freshFile, MARK, type Manifest, trusted } from "./bundle-fresh.js";

export { BUNDLE_CACHE_DIR };

/** What to bundle and where the result lives. */
export interface BundleSpec {
  /** Absolute path of the entry file. */
  readonly entry: string;
  /** The output's file name in the cache directory, such as "child-1a2b3c4d5e6f.mjs". */
  readonly name: string;
  /**
   * esbuild's options (bundle, format, platform, ...); the entry, output and metafile are set here.
   * With `splitting`, the chunks go in a folder named after the entry file ("child-1a2b3c4d5e6f/").
   */
  readonly options: Omit<BuildOptions, "entryPoints" | "outfile" | "outdir" | "write" | "metafile" | "stdin">;
  /** The cache directory; BUNDLE_CACHE_DIR unless a test points elsewhere. */
  readonly dir?: string;
  /** Files that shape the output without being in it (the code of an esbuild plugin used). */
  readonly tooling?: readonly string[];
}

const requireHere = createRequire(import.meta.url);
// Inputs of every bundle besides its own: esbuild's version, and how bundles are made and checked.
const TOOLING = [
  requireHere.resolve("esbuild/package.json"),
  fileURLToPath(import.meta.url),
  fileURLToPath(new URL("./bundle-fresh.js", import.meta.url)),
];
// A chunk that no build has written for this long, and that the newest build does not use, is deleted.
// A process started from an older build imports its chunks within its first seconds, long before that.
const CHUNK_KEEP_MS = 24 * 3600_000;
let building = 0;

/**
 * The cached bundle's path if it is still what a build would give (every input recorded in it has
 * the same size and mtime, no file came or went in a glob-imported folder, every chunk is there), else
 * undefined. Synchronous, a few milliseconds, so a caller can fork before its own synchronous work.
 * @example const file = freshBundle(spec) ?? (await buildBundle(spec))
 */
export function freshBundle(spec: BundleSpec): string | undefined {
  return freshFile(path.join(spec.dir ?? BUNDLE_CACHE_DIR, spec.name), optionsKey(spec));
}

/**
 * Builds the bundle into the cache and returns its (entry file's) path. Each file is written under a
 * temporary name in its folder and renamed into place, so concurrent builders (two workers, two CLI
 * runs) never expose half a file; the last rename wins and either is whole. Throws on an esbuild or
 * file error, or at once when the cache folder cannot be ours (see cacheFolder).
 * @example const file = await buildBundle({ entry, name: "child.mjs", options: { bundle: true, platform: "node" } })
 */
export async function buildBundle(spec: BundleSpec): Promise<string> {
  cacheFolder(spec);
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
  cacheFolder(spec);
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

/**
 * The cache folder, made if missing and checked before esbuild runs: a read-only install or a folder
 * others can write fails here at once, not after a build whose output could not be kept.
 */
function cacheFolder(spec: BundleSpec): void {
  const dir = spec.dir ?? BUNDLE_CACHE_DIR;
  ownFolder(dir);
  accessSync(dir, constants.W_OK);
}

/** Makes `folder` if missing; throws if it is not ours alone, since nothing kept there could be trusted. */
function ownFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  if (!trusted(statSync(folder))) {
    throw new Error(`${folder} is not ours alone (owner or mode), so no bundle is kept there`);
  }
}

function buildOptions(spec: BundleSpec): BuildOptions & { write: false; metafile: true } {
  const dir = spec.dir ?? BUNDLE_CACHE_DIR;
  const extension = path.extname(spec.name);
  const stem = path.basename(spec.name, extension);
  const output: BuildOptions = spec.options.splitting
    ? { outdir: dir, entryNames: stem, chunkNames: `${stem}/[name]-[hash]`, outExtension: { ".js": extension } }
    : { outfile: path.join(dir, spec.name) };
  return {
    ...spec.options,
    ...output,
    entryPoints: [spec.entry],
    absWorkingDir: path.dirname(spec.entry),
    write: false,
    metafile: true,
  };
}

/**
 * Writes a build into the cache: a split bundle's chunks first, then the entry with the manifest in its
 * last line, each under a temporary name renamed into place, so that a reader never sees half a file
 * nor an entry whose chunks are not there yet. A chunk's name carries a hash of its content, so two
 * builders writing the same chunk write the same bytes.
 */
function store(
  spec: BundleSpec,
  result: { outputFiles?: { path: string; text: string }[]; metafile?: Metafile },
  started: number,
): string {
  const dir = spec.dir ?? BUNDLE_CACHE_DIR;
  const file = path.join(dir, spec.name);
  const outputs = (result.outputFiles ?? []).filter((o) => !o.path.endsWith(".map"));
  const entry = outputs.find((o) => o.path === file);
  if (!entry || !result.metafile) throw new Error(`esbuild gave no bundle of ${spec.entry}`);
  const chunks = outputs.filter((o) => o !== entry);
  const manifest: Manifest = {
    ...inputsOf(spec, result.metafile, started),
    ...(spec.options.splitting && { chunks: chunks.map((o) => path.relative(dir, o.path)) }),
  };
  for (const folder of new Set(chunks.map((o) => path.dirname(o.path)))) ownFolder(folder);
  for (const chunk of chunks) writeWhole(chunk.path, chunk.text);
  writeWhole(file, `${entry.text}${MARK}${JSON.stringify(manifest)}\n`);
  if (spec.options.splitting) dropOldChunks(path.join(dir, path.basename(spec.name, path.extname(spec.name))), chunks);
  return file;
}

/** What a bundle was made from: each input file with its size and mtime, and the glob-imported folders. */
function inputsOf(spec: BundleSpec, metafile: Metafile, started: number): Omit<Manifest, "chunks"> {
  const root = path.dirname(spec.entry);
  const files = new Set([...TOOLING, ...(spec.tooling ?? [])]);
  const dirs = new Set<string>();
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    const file = path.resolve(root, input);
    files.add(file);
    for (const { path: target, external } of imports) {
      // A package left out but imported by its file's URL: a new version of it is another bundle.
      if (external && target.startsWith("file:")) files.add(fileURLToPath(target));
      const star = target.indexOf("*");
      if (star >= 0) dirs.add(path.resolve(path.dirname(file), target.slice(0, target.lastIndexOf("/", star) + 1)));
    }
  }
  // A file saved (or a folder changed) while the build ran may be in the bundle as it was before: record
  // it as changed, so the next call builds again. A second of slack for file systems that keep whole seconds.
  const since = (mtimeMs: number) => (mtimeMs >= started - 1000 ? -1 : mtimeMs);
  const inputs = [...files].map((file) => {
    const { size, mtimeMs } = statSync(file);
    return { path: file, size, mtimeMs: since(mtimeMs) };
  });
  return {
    key: optionsKey(spec),
    inputs,
    dirs: [...dirs].map((folder) => ({ path: folder, mtimeMs: since(statSync(folder).mtimeMs) })),
  };
}

/** Writes `text` to `file` through a temporary file renamed over it: the old file or the new, never half. */
function writeWhole(file: string, text: string): void {
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o644, flag: "wx" });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Deletes the chunks of earlier builds (and the temporary files of builders that died) that no build
 * has written for a day: each build rewrites every chunk it uses, so those are never old.
 */
function dropOldChunks(folder: string, kept: readonly { path: string }[]): void {
  const keep = new Set(kept.map((o) => path.basename(o.path)));
  const before = Date.now() - CHUNK_KEEP_MS;
  for (const name of readdirSync(folder)) {
    if (keep.has(name)) continue;
    const file = path.join(folder, name);
    try {
      if (statSync(file).mtimeMs < before) rmSync(file, { force: true });
    } catch {
      // gone already: another builder dropped it
    }
  }
}

function optionsKey(spec: BundleSpec): string {
  const { plugins, ...rest } = spec.options;
  const text = JSON.stringify({ entry: spec.entry, rest, plugins: plugins?.map((p) => p.name) });
  return createHash("sha256").update(text).digest("hex");
}
