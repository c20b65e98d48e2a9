import type { Candle, CandleColumns } from "../../domain/index.ts";
import type { MetricsSummary } from "../metrics/types.ts";
import type { BacktestRun } from "../types.ts";
import { formatPct, formatRatio } from "./format.ts";

/** What core/charts' backtestChart draws, built from a run and its first symbol's candles. */
export interface BacktestChartInput {
  readonly title: string;
  readonly candles: readonly Candle[];
  readonly trades: readonly { readonly time: number; readonly price: number; readonly side: "buy" | "sell" }[];
  readonly equity: readonly { readonly time: number; readonly value: number }[];
}

/** Most equity points handed to the chart: a picture has about that many pixels across. */
export const MAX_EQUITY_POINTS = 2_000;

/**
 * The chart of a run: the first symbol's candles with a marker per fill (buys and sells), the equity
 * curve thinned to MAX_EQUITY_POINTS (each bucket keeps its lowest point as well as its last, so the
 * drawdown panel still shows the worst dip), and a title with the headline figures.
 * @example backtestChart(backtestChartInput(run, metrics, await loadCandles(store, key, range, cacheDir))).png
 */
export function backtestChartInput(
  run: BacktestRun,
  metrics: MetricsSummary,
  columns: CandleColumns,
): BacktestChartInput {
  const s = run.settings;
  const symbol = s.symbols[0] ?? "";
  const candles: Candle[] = new Array(columns.time.length);
  for (let i = 0; i < candles.length; i++) {
    candles[i] = {
      time: columns.time[i] as number,
      open: columns.open[i] as number,
      high: columns.high[i] as number,
      low: columns.low[i] as number,
      close: columns.close[i] as number,
      volume: columns.volume[i] as number,
    };
  }
  const trades = run.fills
    .filter((f) => f.symbol === symbol)
    .map((f) => ({ time: f.time, price: f.price, side: f.side }));
  // Short: the legend shares the top line, and the drawdown has a panel of its own.
  const title = `${run.plugin.id} ${symbol} ${s.timeframe}: ${formatPct(metrics.totalReturn, { signed: true })}, Sharpe ${formatRatio(metrics.sharpe)}`;
  return { title, candles, trades, equity: thinEquity(run.equity, MAX_EQUITY_POINTS) };
}

/**
 * At most about `max` points of an equity curve: its first point (the starting equity, which the chart's
 * summary starts from), then per bucket its lowest point and its last, in time order.
 * @example thinEquity(million, 2000).length // <= 4001
 */
export function thinEquity(
  equity: BacktestRun["equity"],
  max: number,
): { readonly time: number; readonly value: number }[] {
  const all = equity.map((p) => ({ time: p.time, value: p.equity }));
  if (all.length <= max) return all;
  const per = Math.ceil(all.length / max);
  const first = all[0] as { time: number; value: number };
  const out = [first];
  for (let i = 0; i < all.length; i += per) {
    const bucket = all.slice(i, i + per);
    const last = bucket[bucket.length - 1] as { time: number; value: number };
    const low = bucket.reduce((a, b) => (b.value < a.value ? b : a));
    if (low !== last && low !== first) out.push(low);
    if (last !== first) out.push(last);
  }
  return out;
}
