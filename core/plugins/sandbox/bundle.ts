import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type BundleSpec, buildBundleSync, bundleCode, freshBundle } from "../../util/bundle-cache.ts";

const SPEC: BundleSpec = {
  entry: fileURLToPath(new URL("./isolate/entry.ts", import.meta.url)),
  name: "isolate-bootstrap.js",
  options: {
    bundle: true,
    format: "iife",
    platform: "neutral",
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: "silent",
  },
};

let cached: string | undefined;

/**
 * The script every isolate runs before the plugin: the bootstrap (isolate/entry.ts) bundled with
 * core/indicators, which backs ctx.ta. Built with esbuild once and kept in the package's bundle cache
 * (core/util/bundle-cache.ts, rebuilt when a source changes), so that a backtest child or a sweep
 * worker reads a file instead of starting esbuild (about 60 ms); kept in memory after the first call.
 * The pool sends it to its workers so they never read or build it themselves.
 * @example new ivm.Isolate().compileScriptSync(isolateBundle())
 */
export function isolateBundle(): string {
  if (cached === undefined) {
    try {
      cached = bundleCode(readFileSync(freshBundle(SPEC) ?? buildBundleSync(SPEC), "utf8"));
    } catch {
      cached = buildInMemory(); // the cache cannot be written (a read-only install): build it here, every process
    }
  }
  return cached;
}

function buildInMemory(): string {
  const { buildSync } = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const result = buildSync({ ...SPEC.options, entryPoints: [SPEC.entry], write: false });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no output for the sandbox bootstrap");
  return file.text;
}
