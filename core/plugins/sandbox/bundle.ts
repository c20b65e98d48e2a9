import { buildSync } from "esbuild";

let cached: string | undefined;

/**
 * The script every isolate runs before the plugin: the bootstrap (isolate/entry.ts) bundled with
 * core/indicators, which backs ctx.ta. Built once per process with esbuild (about 20 ms) and kept; the
 * pool sends it to its workers so they never run esbuild themselves.
 * @example new ivm.Isolate().compileScriptSync(isolateBundle())
 */
export function isolateBundle(): string {
  if (cached === undefined) {
    const result = buildSync({
      entryPoints: [new URL("./isolate/entry.ts", import.meta.url).pathname],
      bundle: true,
      format: "iife",
      platform: "neutral",
      target: "es2022",
      minify: true,
      legalComments: "none",
      write: false,
      logLevel: "silent",
    });
    const file = result.outputFiles[0];
    if (!file) throw new Error("esbuild produced no output for the sandbox bootstrap");
    cached = file.text;
  }
  return cached;
}
