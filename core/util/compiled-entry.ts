import { readFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Loader, Plugin } from "esbuild";
import { BUNDLE_CACHE_DIR, type BundleSpec, buildBundle, freshBundle } from "./bundle-cache.ts";
import { type BundleWay, bundleName } from "./bundle-fresh.js";

/**
 * Where bundles go, how an entry is bundled, and who hears about a fallback (stderr by default).
 * `packages: "external"` leaves every npm package out, each imported from its own file, so that the
 * bundle holds only the project's code; `split: true` makes a file of each dynamic import, so that a
 * package imported by a module loaded only in one command's action is loaded only then (one file would
 * import every package when it starts: esbuild hoists imports of packages left out). The CLI uses both.
 */
export interface CompiledEntryOptions extends BundleWay {
  readonly dir?: string;
  readonly warn?: (message: string) => void;
}

// Native addons cannot be bundled; pg and esbuild are loaded only when used, so they stay outside too.
const NATIVE = /^(isolated-vm|better-sqlite3|onnxruntime-node|@resvg\/resvg-js|pg|esbuild)(\/|$)/;
// A bare specifier (esbuild's filters have no lookahead: node's built-ins are let through in the callback).
const BARE = /^[^./]/;
// A failed build is not retried at every fork: once a minute at most.
const RETRY_MS = 60_000;

const building = new Map<string, Promise<string>>();
const failedAt = new Map<string, number>();

/**
 * The cached bundle of a TypeScript entry when it is fresh, checked synchronously (a few ms), else
 * undefined: lets a caller fork at once, before its own synchronous work, in the common case.
 * @example const entry = cachedEntry(CHILD) ?? (await compiledEntry(CHILD, FALLBACK))
 */
export function cachedEntry(source: string, options: CompiledEntryOptions = {}): string | undefined {
  return freshBundle(entrySpec(source, options));
}

/**
 * What to fork or import for a TypeScript entry: an ESM bundle made by esbuild (by default one file,
 * with zod and kysely, without native addons; see CompiledEntryOptions), cached in the package's
 * node_modules/.cache/quantchat and rebuilt when one of its inputs changes. Plain node loads it about
 * three times faster than tsx loads the sources. When no bundle can be had (a read-only install, an
 * esbuild error) it resolves to `fallback`, the .js entry that registers tsx (or the source itself, for
 * a caller that already has), and says so once; it never rejects.
 * @example fork(await compiledEntry(fileURLToPath(new URL("./child.ts", import.meta.url)), CHILD_ENTRY_JS))
 */
export async function compiledEntry(
  source: string,
  fallback: string,
  options: CompiledEntryOptions = {},
): Promise<string> {
  const spec = entrySpec(source, options);
  const fresh = freshBundle(spec);
  if (fresh) return fresh;
  const file = path.join(spec.dir, spec.name);
  if (Date.now() - (failedAt.get(file) ?? -Infinity) < RETRY_MS) return fallback;
  let pending = building.get(file);
  if (!pending) {
    pending = buildBundle(spec).finally(() => building.delete(file));
    building.set(file, pending);
  }
  try {
    return await pending;
  } catch (error) {
    if (!failedAt.has(file)) {
      (options.warn ?? toStderr)(
        `cannot use a compiled ${path.basename(source)} (${reason(error)}); running it through tsx instead, slower`,
      );
    }
    failedAt.set(file, Date.now());
    return fallback;
  }
}

function entrySpec(source: string, options: CompiledEntryOptions): BundleSpec & { dir: string } {
  const { dir, packages = "bundled", split = false } = options;
  return {
    entry: source,
    name: bundleName(source, { packages, split }),
    dir: dir ?? BUNDLE_CACHE_DIR,
    tooling: [fileURLToPath(import.meta.url)],
    options: {
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      keepNames: true,
      logLevel: "silent",
      splitting: split,
      // Packages left out are then loaded by node, so find the file node would: esbuild adds a "module"
      // condition and main field of its own, which could give a second copy of a package beside node's.
      ...(packages === "external" && { conditions: [], mainFields: ["main"] }),
      // For the CommonJS modules in the bundle that require() a built-in or a package, from where the entry is.
      banner: {
        js: `import { createRequire as __quantchatRequire } from "node:module"; const require = __quantchatRequire(${JSON.stringify(pathToFileURL(source).href)});`,
      },
      plugins: [ownLocation, externalByLocation(packages)],
    },
  };
}

/**
 * Each module keeps its own location: in a bundle, import.meta.url would name the bundle, and a path
 * made relative to it (package.json, migrations/, a worker's script) would point into the cache.
 */
const ownLocation: Plugin = {
  name: "quantchat-own-location",
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      if (!text.includes("import.meta")) return undefined;
      const url = pathToFileURL(args.path).href;
      const own: Record<string, string> = { url, filename: args.path, dirname: path.dirname(args.path) };
      return {
        contents: text.replace(/\bimport\.meta\.(url|filename|dirname)\b/g, (_, key: string) =>
          JSON.stringify(own[key]),
        ),
        loader: loaderOf(args.path),
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

const SKIP = Symbol("resolving an external");

/**
 * The packages left out are imported by their file's URL, resolved from the module that imports them,
 * so that a bundle finds them wherever it is kept.
 */
function externalByLocation(packages: "bundled" | "external"): Plugin {
  return {
    name: `quantchat-external-by-location-${packages}`,
    setup(build) {
      build.onResolve({ filter: packages === "bundled" ? NATIVE : BARE }, async (args) => {
        if (args.pluginData === SKIP || isBuiltin(args.path)) return undefined;
        const { kind, resolveDir, importer } = args;
        const found = await build.resolve(args.path, { kind, resolveDir, importer, pluginData: SKIP });
        if (found.errors.length > 0) return { errors: found.errors };
        return { path: pathToFileURL(found.path).href, external: true };
      });
    },
  };
}

const LOADERS: Record<string, Loader> = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".jsx": "jsx" };

function loaderOf(file: string): Loader {
  return LOADERS[path.extname(file)] ?? "js";
}

/** esbuild's first error ("Build failed with 1 error:" says nothing), or the error's first line. */
function reason(error: unknown): string {
  const first = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] })
    .errors?.[0];
  if (first) return first.location ? `${first.location.file}:${first.location.line}: ${first.text}` : first.text;
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

function toStderr(message: string): void {
  process.stderr.write(`quantchat: ${message}\n`);
}
