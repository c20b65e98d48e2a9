import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, formatProblem } from "../../../core/config/errors.ts";
import { loadManifest, parseManifest } from "../../../core/plugins/manifest.ts";
import { describeParam, validateParams } from "../../../core/plugins/params.ts";
import { fixture } from "./helpers.ts";

const good = readFileSync(`${fixture("sma-cross")}/plugin.yaml`, "utf8");

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("plugin.yaml", () => {
  it("reads a valid manifest, with defaults for what it leaves out", () => {
    const { manifest, warnings } = loadManifest(fixture("sma-cross"));
    expect(warnings).toEqual([]);
    expect(manifest).toMatchObject({
      id: "test-sma-cross",
      version: "1.2.0",
      entry: "strategy.js",
      warmup: 30,
      symbols: { min: 1, max: 1 },
      permissions: ["indicators"],
      limits: { memoryMb: 32, cpuMsPerCall: 50 },
      params: { fast: { type: "integer", default: 10, min: 1, max: 500 } },
    });
    const minimal = parseManifest(
      "id: x\nname: X\nversion: 0.1.0\nauthor: me\ndescription: d\nentry: main.js\napi: '>=1.0.0 <2'\n",
      "m.yaml",
    ).manifest;
    expect(minimal).toMatchObject({ params: {}, warmup: 0, symbols: { min: 1, max: 1 }, permissions: [] });
    expect(minimal.timeframes).toBeUndefined();
  });

  it("names file, line, column, path and expectation for every problem at once", () => {
    const file = `${fixture("bad-manifest")}/plugin.yaml`;
    expect(problems(() => loadManifest(fixture("bad-manifest"))).map((p) => p.replace(file, "plugin.yaml"))).toEqual([
      'plugin.yaml:1:5 id: expected an id of lowercase letters, digits, "-" and "_" (at most 64), got "Bad Id"',
      'plugin.yaml:3:10 version: expected a semver version like "1.2.0", got 1',
      'plugin.yaml:6:8 entry: expected a .js file inside the plugin folder, like "strategy.js" (no "..", no absolute path), got "../outside.js"',
      `plugin.yaml:7:6 api: expected a range that includes this host's plugin API 1.1.0, like "^1.0.0", got "^2.0.0"`,
      "plugin.yaml:11:14 params.fast.default: expected an integer from 2 to 200, got 1.5",
      'plugin.yaml:17:14 params.mode.default: expected one of a, b, got "c"',
      'plugin.yaml:19:11 params.slow.type: expected a param with type one of integer, number, boolean, enum, string, got "float"',
      "plugin.yaml:21:25 symbols.max: expected min not above max, got 1",
      'plugin.yaml:22:27 permissions[1]: expected a permission: indicators, state, log or model:<name> like "model:btc-lstm", got "network"',
      "plugin.yaml:23:21 limits.memoryMb: expected an integer of at least 8, got 4",
      'plugin.yaml:23:42 limits.threads: unknown key "threads"',
    ]);
  });

  it("reports YAML syntax errors with their position", () => {
    expect(problems(() => parseManifest("id: x\nname: [unclosed\n", "p.yaml"))).toEqual([
      "p.yaml:3:1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
  });

  it("caps limits above the host's maxima, with a warning at the value", () => {
    const text = good.replace(
      "permissions: [indicators]",
      "permissions: [indicators]\nlimits: { memoryMb: 512, cpuMsPerCall: 5000 }",
    );
    const { manifest, warnings } = parseManifest(text, "p.yaml");
    expect(manifest.limits).toEqual({ memoryMb: 128, cpuMsPerCall: 1000 });
    expect(warnings.map(formatProblem)).toEqual([
      "p.yaml:16:21 limits.memoryMb: 512 is above this host's maximum 128; capped to 128",
      "p.yaml:16:40 limits.cpuMsPerCall: 5000 is above this host's maximum 1000; capped to 1000",
    ]);
  });

  it("refuses an entry that is missing, and a missing manifest", () => {
    expect(problems(() => loadManifest(fixture("no-such-plugin")))).toEqual([
      `${fixture("no-such-plugin")}/plugin.yaml: file not found`,
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), "qc-manifest-"));
    writeFileSync(path.join(dir, "plugin.yaml"), good.replace("entry: strategy.js", "entry: lib/missing.js"));
    expect(problems(() => loadManifest(dir))).toEqual([
      `${dir}/plugin.yaml:7:8 entry: entry file not found: ${dir}/lib/missing.js`,
    ]);
    rmSync(dir, { recursive: true });
  });

  it("checks param definitions: min above max, default off its integer step, enum defaults", () => {
    const base = "id: x\nname: X\nversion: 1.0.0\nauthor: a\ndescription: d\nentry: s.js\napi: ^1.0.0\nparams:\n";
    expect(
      problems(() => parseManifest(`${base}  n: { type: integer, default: 5, min: 10, max: 2 }\n`, "p.yaml")),
    ).toEqual(["p.yaml:9:49 params.n.max: expected a number of at least min (10), got 2"]);
    expect(
      problems(() =>
        parseManifest(`${base}  n: { type: integer, default: 12, min: 10, max: 50, step: 5 }\n`, "p.yaml"),
      ),
    ).toEqual(["p.yaml:9:32 params.n.default: expected an integer from 10 to 50 in steps of 5, got 12"]);
  });
});

describe("a manifest read again", () => {
  it("answers from the last parse only when the file's text is the same, limits included", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "qc-manifest-again-"));
    try {
      writeFileSync(path.join(dir, "strategy.js"), "export default {}");
      const file = path.join(dir, "plugin.yaml");
      writeFileSync(file, good);
      const first = loadManifest(dir);
      expect(loadManifest(dir)).toBe(first);
      // Same size, and written within the same clock tick as likely as not: only the text tells them apart.
      writeFileSync(file, good.replace("version: 1.2.0", "version: 1.2.1"));
      expect(loadManifest(dir).manifest.version).toBe("1.2.1");
      // Broken, then mended: a failed parse is never kept.
      writeFileSync(file, good.replace("version: 1.2.0", "version: [oops"));
      expect(() => loadManifest(dir)).toThrow(ConfigError);
      writeFileSync(file, good);
      expect(loadManifest(dir).manifest.version).toBe("1.2.0");
      // Another host's maxima cap the limits again.
      const capped = loadManifest(dir, { maxMemoryMb: 16, maxCpuMsPerCall: 1000 });
      expect(capped.manifest.limits.memoryMb).toBe(16);
      expect(capped.warnings).toHaveLength(1);
      expect(loadManifest(dir).manifest.limits.memoryMb).toBe(32);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("validateParams", () => {
  const { manifest } = loadManifest(fixture("sma-cross"));

  it("applies defaults and accepts what fits", () => {
    expect(validateParams(manifest, { fast: 3 })).toEqual({ ok: true, params: { fast: 3, slow: 30 } });
    expect(validateParams(manifest)).toEqual({ ok: true, params: { fast: 10, slow: 30 } });
  });

  it("names each param that does not fit, with what it expects and what it got", () => {
    const result = validateParams(manifest, { fast: 1.5, slow: "30", slwo: 3 });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.text)).toEqual([
      'params.slwo: unknown param (did you mean "slow"?) (known: fast, slow)',
      "params.fast: expected an integer from 1 to 500, got 1.5",
      'params.slow: expected an integer from 2 to 1000, got "30"',
    ]);
  });

  it("checks every param type", () => {
    const specs = {
      params: {
        n: { type: "number" as const, default: 0.5, min: 0, max: 1 },
        b: { type: "boolean" as const, default: false },
        e: { type: "enum" as const, values: ["long", "short"], default: "long" },
        s: { type: "string" as const, default: "x" },
        i: { type: "integer" as const, default: 10, min: 10, max: 50, step: 5 },
      },
    };
    const bad = validateParams(specs, { n: Number.NaN, b: "yes", e: "lnog", s: "y".repeat(201), i: 12 });
    expect(bad.ok ? [] : bad.problems.map((p) => p.text)).toEqual([
      "params.n: expected a number from 0 to 1, got NaN",
      'params.b: expected true or false, got "yes"',
      'params.e: expected one of long, short, got "lnog" (did you mean "long"?)',
      `params.s: expected a string of at most 200 characters, got "${"y".repeat(57)}..."`,
      "params.i: expected an integer from 10 to 50 in steps of 5, got 12",
    ]);
    expect(validateParams(specs, { n: 1, b: true, e: "short", s: "", i: 15 }).ok).toBe(true);
    expect(describeParam(specs.params.i)).toBe("an integer from 10 to 50 in steps of 5");
  });
});
