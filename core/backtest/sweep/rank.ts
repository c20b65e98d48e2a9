import { didYouMean } from "../../config/suggest.ts";
import type { MetricsSummary } from "../metrics/types.ts";
import type { ParamInput } from "../types.ts";
import { SweepInputError } from "./errors.ts";

/** The metrics a sweep can rank by, and whether more is better. */
const RANKABLE = {
  sharpe: "higher",
  sortino: "higher",
  calmar: "higher",
  totalReturn: "higher",
  cagr: "higher",
  finalEquity: "higher",
  maxDrawdown: "higher", // a fraction <= 0: -0.1 beats -0.3
  volatility: "lower",
  profitFactor: "higher",
  winRate: "higher",
  expectancy: "higher",
  exposure: "lower",
  trades: "higher",
} as const satisfies Partial<Record<keyof MetricsSummary, "higher" | "lower">>;

export type RankMetric = keyof typeof RANKABLE;

// What traders type, mapped to the metric names of the JSON.
const ALIASES: Readonly<Record<string, RankMetric>> = {
  return: "totalReturn",
  "total-return": "totalReturn",
  "final-equity": "finalEquity",
  drawdown: "maxDrawdown",
  "max-drawdown": "maxDrawdown",
  "profit-factor": "profitFactor",
  "win-rate": "winRate",
};

/**
 * The metric a `--metric` flag names: a metric of the JSON (sharpe, totalReturn, profitFactor, ...) or
 * its dashed alias (return, drawdown, profit-factor, win-rate).
 * @example parseMetric("profit-factor") // "profitFactor"
 */
export function parseMetric(text: string): RankMetric {
  if (Object.hasOwn(RANKABLE, text)) return text as RankMetric;
  const alias = ALIASES[text];
  if (alias) return alias;
  const names = [...Object.keys(RANKABLE), ...Object.keys(ALIASES)];
  throw new SweepInputError(`--metric ${text}: unknown metric${didYouMean(text, names)} (one of ${names.join(", ")})`);
}

/** One combination of a sweep and what became of it. */
export interface SweepRow {
  /** Position in the expanded grid: the tie-breaker that keeps rankings stable. */
  readonly index: number;
  readonly params: Readonly<Record<string, ParamInput>>;
  /** Undefined when the combination did not run (see `error`). */
  readonly metrics?: MetricsSummary;
  /** Why it did not run: the manifest or the plugin rejected it, or the run failed. */
  readonly error?: string;
  /** The metrics were stored by an earlier sweep (same plugin code, params, settings, candles and engine), not run again. */
  readonly stored?: true;
}

/**
 * Rows that ran, best first by `metric`; rows where the metric is undefined (null) come last, ties
 * keep grid order, so the ranking does not depend on which worker finished first.
 * @example rankRows(rows, "sharpe").slice(0, 20)
 */
export function rankRows(rows: readonly SweepRow[], metric: RankMetric): SweepRow[] {
  const sign = RANKABLE[metric] === "higher" ? -1 : 1;
  return rows
    .filter((row) => row.metrics !== undefined)
    .sort((a, b) => {
      const x = metricValue(a, metric);
      const y = metricValue(b, metric);
      if (x === null || y === null) return x === y ? a.index - b.index : x === null ? 1 : -1;
      return x === y ? a.index - b.index : sign * (x - y) > 0 ? 1 : -1;
    });
}

/** The row's value of `metric`, null when it did not run or the metric is undefined for it. */
export function metricValue(row: SweepRow, metric: RankMetric): number | null {
  const value = row.metrics?.[metric];
  return typeof value === "number" && !Number.isNaN(value) ? value : null;
}

/** A heatmap's data: `values[y][x]` is the metric at (xs[x], ys[y]), null where nothing ran. */
export interface HeatmapData {
  readonly x: string;
  readonly y: string;
  readonly xs: readonly ParamInput[];
  readonly ys: readonly ParamInput[];
  readonly values: (number | null)[][];
}

/**
 * The metric over two swept params. With more params swept, each cell holds the best value over the
 * others (what the best choice of the rest achieves at that point).
 * @example heatmapData(rows, "fast", [5, 10], "slow", [20, 30], "sharpe").values // [[0.4, 0.9], [null, 1.2]]
 */
export function heatmapData(
  rows: readonly SweepRow[],
  x: { readonly name: string; readonly values: readonly ParamInput[] },
  y: { readonly name: string; readonly values: readonly ParamInput[] },
  metric: RankMetric,
): HeatmapData {
  const values = y.values.map(() => x.values.map((): number | null => null));
  const better = RANKABLE[metric] === "higher" ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  for (const row of rows) {
    const value = metricValue(row, metric);
    if (value === null) continue;
    const xi = x.values.indexOf(row.params[x.name] as ParamInput);
    const yi = y.values.indexOf(row.params[y.name] as ParamInput);
    const line = values[yi];
    if (xi < 0 || !line) continue;
    const current = line[xi];
    if (current === null || current === undefined || better(value, current)) line[xi] = value;
  }
  return { x: x.name, y: y.name, xs: x.values, ys: y.values, values };
}
