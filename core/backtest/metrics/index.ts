// Metrics of a backtest run: pure functions of the BacktestRun, formulas in docs/backtest-metrics.md.

import { timeframeMs } from "../../domain/index.ts";
import { feeInQuote, splitSymbol } from "../../portfolio/currencies.ts";
import { stepColumns } from "../step-columns.ts";
import type { BacktestRun } from "../types.ts";
import { periodsPerYear } from "./annualise.ts";
import { drawdownStats } from "./drawdown.ts";
import { exposure } from "./exposure.ts";
import { breakdowns } from "./periods.ts";
import { cagr, riskRatios, stepReturns } from "./returns.ts";
import { tradeStats } from "./trades.ts";
import type { BacktestMetrics, MetricsOptions, MetricsSummary } from "./types.ts";

export { periodsPerYear } from "./annualise.ts";
export { type DrawdownStats, drawdownStats } from "./drawdown.ts";
export { exposure } from "./exposure.ts";
export { breakdowns, isoWeek } from "./periods.ts";
export { cagr, downsideDeviation, mean, periodRate, riskRatios, sampleStd, stepReturns } from "./returns.ts";
export { type TradeStats, tradeStats } from "./trades.ts";
export type {
  BacktestMetrics,
  MetricsOptions,
  MetricsSummary,
  PeriodBreakdowns,
  PeriodReturn,
  TradeExtreme,
} from "./types.ts";

/**
 * Every metric of a run. The equity curve starts from `settings.cash` one step before its first point,
 * so the first candle's change (a fill at its close, its fee) is a return like any other.
 * @example
 * const m = computeMetrics(run);
 * m.totalReturn // 0.124 (12.4%)
 * computeMetrics(run, { daysPerYear: 252, riskFreeRate: 0.04 }).sharpe
 */
export function computeMetrics(run: BacktestRun, options: MetricsOptions = {}): BacktestMetrics {
  const start = run.settings.cash;
  // Columns, not the run's points: a sweep computes metrics of runs whose points are never built.
  const { time: times, equity: values, close } = stepColumns(run);
  const n = times.length;
  const step = timeframeMs(run.settings.timeframe);
  const perYear =
    options.periodsPerYear ?? periodsPerYear(run.settings.timeframe, { daysPerYear: options.daysPerYear, times });
  const years = n / perYear;
  const riskFreeRate = options.riskFreeRate ?? 0;
  const finalEquity = n > 0 ? (values[n - 1] as number) : start;
  const growth = cagr(start, finalEquity, years);
  const drawdown = drawdownStats(start, n > 0 ? (times[0] as number) - step : 0, values, times);
  const ratios = riskRatios(stepReturns(start, values), perYear, riskFreeRate);
  const trades = tradeStats(run.trades);
  const summary: MetricsSummary = {
    startEquity: start,
    finalEquity,
    totalReturn: start > 0 ? finalEquity / start - 1 : 0,
    cagr: growth,
    ...ratios,
    calmar: growth !== null && drawdown.maxDrawdown < 0 ? growth / -drawdown.maxDrawdown : null,
    ...drawdown,
    exposure: exposure(times, run.trades),
    ...trades,
    fees: feesPaid(run.fills),
    buyAndHoldReturn: buyAndHold(close),
    periodsPerYear: perYear,
    years,
    riskFreeRate,
  };
  const exits = run.trades.flatMap((t) => (t.exitTime === undefined ? [] : [t.exitTime]));
  const periods =
    options.breakdowns === false ? { day: [], week: [], month: [] } : breakdowns(start, times, values, exits);
  return { ...summary, periods };
}

/**
 * The scalar metrics without the breakdowns: what a stored result and a sweep row keep.
 * @example saveBacktest(store, run, summarise(computeMetrics(run)))
 */
export function summarise(metrics: BacktestMetrics): MetricsSummary {
  const { periods: _, ...summary } = metrics;
  return summary;
}

/** Every fill's fee in the quote currency (a fee charged in the base asset is worth fee × price). */
function feesPaid(fills: BacktestRun["fills"]): number {
  let sum = 0;
  for (const f of fills) sum += feeInQuote(f.fee, f.feeCurrency, f.price, splitSymbol(f.symbol));
  return sum;
}

/** Last close over first close, minus one: buying at the first close the strategy could act on. */
function buyAndHold(close: Float64Array): number | null {
  const first = close[0];
  const last = close[close.length - 1];
  return first !== undefined && last !== undefined && first > 0 ? last / first - 1 : null;
}
