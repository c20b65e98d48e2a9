import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { CandleColumns } from "../../../core/domain/candle.ts";
import { STATE_CAP_BYTES } from "../../../core/plugins/host-api.ts";
import { loadManifest } from "../../../core/plugins/manifest.ts";
import type { SandboxSpec } from "../../../core/plugins/sandbox/protocol.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURES = path.join(ROOT, "test/fixtures/plugins");
export const HOUR = 3_600_000;

/** A fixture plugin folder. */
export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

let specs = 0;

/** A sandbox spec from a fixture folder, with a fresh instance id. */
export function fixtureSpec(name: string, overrides: Partial<SandboxSpec> = {}): SandboxSpec {
  const dir = fixture(name);
  const { manifest } = loadManifest(dir);
  return {
    instanceId: `${manifest.id}-${process.pid}-${++specs}`,
    pluginId: manifest.id,
    code: readFileSync(path.join(dir, manifest.entry), "utf8"),
    filename: `${name}/${manifest.entry}`,
    limits: manifest.limits,
    permissions: manifest.permissions,
    stateCapBytes: STATE_CAP_BYTES,
    ...overrides,
  };
}

/** A spec for plugin source written inline in a test. */
export function inlineSpec(code: string, overrides: Partial<SandboxSpec> = {}): SandboxSpec {
  return {
    instanceId: `inline-${process.pid}-${++specs}`,
    pluginId: "inline",
    code,
    filename: "inline/strategy.js",
    limits: { memoryMb: 16, cpuMsPerCall: 50 },
    permissions: ["indicators", "state", "log"],
    stateCapBytes: STATE_CAP_BYTES,
    ...overrides,
  };
}

/** The first `limit` rows of a shipped sample file as columns. */
export function sampleColumns(name: string, limit: number): CandleColumns {
  const text = gunzipSync(readFileSync(dataFile(name))).toString("utf8");
  const rows = text
    .split("\n")
    .slice(1, limit + 1)
    .filter((l) => l.trim() !== "");
  const cols = {
    time: new Float64Array(rows.length),
    open: new Float64Array(rows.length),
    high: new Float64Array(rows.length),
    low: new Float64Array(rows.length),
    close: new Float64Array(rows.length),
    volume: new Float64Array(rows.length),
  };
  rows.forEach((row, i) => {
    const [t, o, h, l, c, v] = row.split(",").map(Number) as [number, number, number, number, number, number];
    cols.time[i] = t;
    cols.open[i] = o;
    cols.high[i] = h;
    cols.low[i] = l;
    cols.close[i] = c;
    cols.volume[i] = v;
  });
  return cols;
}

/** Hourly candles from closes (open = close, high/low = close +- 0.5). */
export function candlesFrom(closes: readonly number[], start = Date.UTC(2024, 0, 1)) {
  return closes.map((close, i) => ({
    time: start + i * HOUR,
    open: close,
    high: close + 0.5,
    low: close - 0.5,
    close,
    volume: 1,
  }));
}

/** The repo's data/ copy of a sample file, else the shared one. */
function dataFile(name: string): string {
  const local = path.join(ROOT, "data", name);
  return existsSync(local) ? local : path.join(ROOT, "..", "shared", "data", name);
}

/**
 * A plugin whose entry does not parse: written to a temp folder at test time, because a file that must not
 * parse cannot live in a linted tree. The comma on line 5, column 4 is where V8 gives up.
 */
export function syntaxErrorPlugin(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "qc-syntax-"));
  writeFileSync(
    path.join(dir, "plugin.yaml"),
    "id: syntax-error\nname: Does not parse\nversion: 1.0.0\nauthor: quantchat tests\ndescription: d\nentry: strategy.js\napi: ^1.0.0\n",
  );
  writeFileSync(
    path.join(dir, "strategy.js"),
    "export default {\n  onCandle() {\n    const x = 1;\n    if (x > 0) {{\n  },\n};\n",
  );
  return dir;
}
