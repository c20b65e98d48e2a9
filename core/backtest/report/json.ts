import type { BacktestMetrics } from "../metrics/types.ts";
import type { BacktestRun } from "../types.ts";

/** Everything a machine reading `--json` gets. Times are epoch ms (UTC); fractions are fractions. */
export interface JsonReport {
  readonly id: string | null;
  readonly engineVersion: string | null;
  readonly plugin: BacktestRun["plugin"];
  readonly settings: BacktestRun["settings"];
  readonly data: BacktestRun["data"];
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
    data: run.data,
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

/**
 * JSON text in which numbers JSON cannot hold (an infinite profit factor, NaN) are null, as
 * JSON.stringify would make them anyway, but on purpose and documented.
 * @example stringifyReport({ profitFactor: Infinity }) // '{"profitFactor":null}'
 */
export function stringifyReport(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), indent);
}
