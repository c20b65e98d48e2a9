import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { buildSync } from "esbuild";
import { describe, expect, it } from "vitest";

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../core/indicators");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

function bundle() {
  return buildSync({
    entryPoints: [path.join(folder, "index.ts")],
    bundle: true,
    format: "iife",
    globalName: "ta",
    platform: "neutral",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
}

describe("core/indicators is pure ECMAScript (it is bundled into the plugin isolate)", () => {
  it("imports nothing from outside the folder except types", () => {
    for (const file of sources(folder)) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gm)) {
        const [, , typeOnly, specifier] = match;
        if (typeOnly) continue;
        const target = path.resolve(path.dirname(file), specifier!);
        expect(specifier!.startsWith("."), `${file}: ${specifier}`).toBe(true);
        expect(target.startsWith(folder + path.sep), `${file}: ${specifier}`).toBe(true);
      }
    }
  });

  it("bundles with esbuild for a neutral platform from files in the folder only", () => {
    const result = bundle();
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs).map((p) => path.resolve(p));
    for (const input of inputs) expect(input.startsWith(folder + path.sep)).toBe(true);
    const code = result.outputFiles[0]!.text;
    for (const forbidden of ["require(", "process.", "Buffer", "console.", "setTimeout", "setInterval", "import("]) {
      expect(code.includes(forbidden), forbidden).toBe(false);
    }
  });

  it("runs in a bare V8 context that has only ECMAScript built-ins", () => {
    const code = bundle().outputFiles[0]!.text;
    const context = vm.createContext({});
    // No process, require or timers in a fresh context; V8 adds its own console, which the isolate lacks.
    vm.runInContext("delete globalThis.console", context);
    expect(vm.runInContext("typeof process + typeof require + typeof console + typeof setTimeout", context)).toBe(
      "undefinedundefinedundefinedundefined",
    );
    vm.runInContext(code, context);
    const result = vm.runInContext(
      `(() => {
        const s = ta.INDICATORS.sma.create(3);
        [1, 2, 6, 7].forEach((x) => s.update(x));
        const bb = new ta.Bollinger(3, 2);
        [1, 2, 3].forEach((x) => bb.update(x));
        return [s.value, bb.middle, Array.from(ta.rsi(Float64Array.of(10, 11, 10), 2))[2]];
      })()`,
      context,
    ) as number[];
    expect(Array.from(result)).toEqual([5, 2, 50]);
  });
});
