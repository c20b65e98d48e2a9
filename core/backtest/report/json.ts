import type { BacktestMetrics } from "../metrics/types.ts";
import type { BacktestRun } from "../types.ts";
import { type MissingData, missingData } from "./coverage.ts";

/** Everything a machine reading `--json` gets. Times are epoch ms (UTC); fractions are fractions. */
export interface JsonReport {
  readonly id: string | null;
  readonly engineVersion: string | null;
  readonly plugin: BacktestRun["plugin"];
  readonly settings: BacktestRun["settings"];
  /** `missing`: the stretches of the range asked for without candles (the text report's data line), when any. */
  readonly data: BacktestRun["data"] & { readonly missing?: MissingData };
  readonly metrics: Omit<BacktestMetrics, "periods">;
  readonly breakdowns: BacktestMetrics["periods"];
  readonly verdicts: BacktestRun["verdicts"];
  readonly openAtEnd: BacktestRun["openAtEnd"];
  readonly trades: BacktestRun["trades"];
  readonly equity: BacktestRun["equity"];
  readonly benchmark: BacktestRun["benchmark"];
  readonly fills: BacktestRun["fills"];
}

/**
 * The machine-readable report: every metric, the breakdowns, settings, the plugin's fingerprint
 * (id, version, code hash), trades, fills, the equity curve and the benchmark closes.
 * @example const doc = jsonReport(run, computeMetrics(run), { id, engineVersion: VERSION })
 */
export function jsonReport(
  run: BacktestRun,
  metrics: BacktestMetrics,
  extra: { readonly id?: string; readonly engineVersion?: string } = {},
): JsonReport {
  const { periods, ...summary } = metrics;
  return {
    id: extra.id ?? null,
    engineVersion: extra.engineVersion ?? null,
    plugin: run.plugin,
    settings: run.settings,
    data: withMissing(run),
    metrics: summary,
    breakdowns: periods,
    verdicts: run.verdicts,
    openAtEnd: run.openAtEnd,
    trades: run.trades,
    equity: run.equity,
    benchmark: run.benchmark,
    fills: run.fills,
  };
}

function withMissing(run: BacktestRun): JsonReport["data"] {
  const missing = missingData(run);
  return missing ? { ...run.data, missing } : run.data;
}

/**
 * JSON text in which numbers JSON cannot hold (an infinite profit factor, NaN) are null, as JSON
 * itself writes them. With `indent`, objects are laid out over lines, but a list of rows (numbers, or
 * records of plain values: equity points, trades, fills) keeps each row on one line: a million-candle
 * equity curve laid out field by field is hundreds of megabytes of spaces and takes seconds to write.
 * @example stringifyReport({ profitFactor: Infinity }) // '{"profitFactor":null}'
 * @example stringifyReport({ equity: [{ time: 1, equity: 2 }] }, 2) // '{\n  "equity": [\n    {"time":1,"equity":2}\n  ]\n}'
 */
export function stringifyReport(value: unknown, indent?: number): string {
  if (!indent) return JSON.stringify(value) ?? "null";
  const parts: string[] = [];
  write(value, "", " ".repeat(indent), parts);
  return parts.join("");
}

function write(value: unknown, at: string, step: string, out: string[]): void {
  if (value === null || typeof value !== "object" || typeof (value as { toJSON?: unknown }).toJSON === "function") {
    out.push(JSON.stringify(value) ?? "null");
    return;
  }
  const inner = at + step;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push("[]");
      return;
    }
    const rows = value.every(isRow);
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      out.push(i === 0 ? "\n" : ",\n", inner);
      if (rows) out.push(JSON.stringify(value[i]) ?? "null");
      else write(value[i], inner, step, out);
    }
    out.push("\n", at, "]");
    return;
  }
  // undefined and functions are left out of objects, as JSON.stringify leaves them out.
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function");
  if (entries.length === 0) {
    out.push("{}");
    return;
  }
  out.push("{");
  entries.forEach(([key, v], i) => {
    out.push(i === 0 ? "\n" : ",\n", inner, JSON.stringify(key), ": ");
    write(v, inner, step, out);
  });
  out.push("\n", at, "}");
}

/** A value written on one line in a list: a primitive, or a record whose values are all primitives. */
function isRow(item: unknown): boolean {
  if (item === null || typeof item !== "object") return true;
  if (Array.isArray(item)) return false;
  for (const key in item) {
    const v = (item as Record<string, unknown>)[key];
    if (v !== null && typeof v === "object") return false;
  }
  return true;
}
