// The part of the bundle cache that plain node runs before any TypeScript can: bin/quantchat.js asks it
// whether the CLI's bundle is fresh, so that a command starts without loading tsx. Building and storing
// bundles is bundle-cache.ts (TypeScript, loaded only when a bundle has to be built). Types: bundle-fresh.d.ts.
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where the manifest starts: it rides in the entry file's last line, so that one rename replaces both. */
export const MARK = "\n// quantchat-bundle ";
// Enough for the manifest of thousands of inputs; a longer one is found by reading the whole file.
const TAIL_BYTES = 1 << 20;

/**
 * The package's own cache: beside its dependencies, never /tmp, where another user could plant a bundle
 * we run. QUANTCHAT_BUNDLE_DIR points it elsewhere (tests that need an empty or unwritable cache).
 */
export const BUNDLE_CACHE_DIR = process.env.QUANTCHAT_BUNDLE_DIR
  ? path.resolve(process.env.QUANTCHAT_BUNDLE_DIR)
  : fileURLToPath(new URL("../../node_modules/.cache/quantchat/", import.meta.url));

/**
 * The cache file name of an entry's bundle: its base name and a hash of its path (and of how it is
 * bundled, when not the default way), so two entries or two ways never share a file.
 * @example bundleName("/app/cli/main.ts", { packages: "external", split: true }) // "main-1a2b3c4d5e6f.mjs"
 */
export function bundleName(source, way = {}) {
  const { packages = "bundled", split = false } = way;
  const text = packages === "bundled" && !split ? source : `${source}\0${packages}${split ? "\0split" : ""}`;
  const id = createHash("sha256").update(text).digest("hex").slice(0, 12);
  return `${path.basename(source, path.extname(source))}-${id}.mjs`;
}

/**
 * `file` if the bundle there is still what a build would give, else undefined: its folder and files are
 * ours alone, every input recorded in it has the same size and mtime, no file came or went in a
 * glob-imported folder, every chunk it imports is there, and (when `key` is given) it was built with
 * the options that `key` stands for. Synchronous, a few milliseconds.
 * @example const entry = freshBundle(path.join(BUNDLE_CACHE_DIR, bundleName(source)))
 */
export function freshBundle(file, key) {
  try {
    const dir = path.dirname(file);
    if (!trusted(statSync(dir))) return undefined;
    const manifest = readManifest(file);
    if (!manifest || (key !== undefined && manifest.key !== key)) return undefined;
    for (const input of manifest.inputs) {
      const stat = statSync(input.path);
      if (stat.size !== input.size || stat.mtimeMs !== input.mtimeMs) return undefined;
    }
    for (const folder of manifest.dirs) if (statSync(folder.path).mtimeMs !== folder.mtimeMs) return undefined;
    const folders = new Set();
    for (const chunk of manifest.chunks ?? []) {
      const at = path.join(dir, chunk);
      folders.add(path.dirname(at));
      if (!trusted(statSync(at))) return undefined;
    }
    for (const folder of folders) if (!trusted(statSync(folder))) return undefined;
    return file;
  } catch {
    return undefined; // no bundle yet, an input or a chunk gone, a torn manifest: build again
  }
}

/**
 * Owned by this user (or root) and writable by no one else: nobody else can swap the code we run.
 * @example trusted(statSync(dir))
 */
export function trusted({ uid, mode }) {
  const me = process.getuid?.();
  return me === undefined || ((uid === me || uid === 0) && (mode & 0o022) === 0);
}

/** The manifest at the end of a bundle we alone can have written, read from its tail (a bundle can be megabytes). */
function readManifest(file) {
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
    return at < 0 ? undefined : JSON.parse(tail.subarray(at + mark.length).toString("utf8"));
  } finally {
    closeSync(fd);
  }
}
