import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  backtestChart,
  type Chart,
  candleChart,
  dailyPnlChart,
  equityChart,
  heatmapChart,
  svgToPng,
} from "../core/charts/index.ts";
import type { Candle } from "../core/domain/index.ts";
import { sampleFile } from "./sample-candles.ts";
import type { Benchmark, BenchResult } from "./types.ts";

// Render time per chart type, input arrays to PNG (ECharts SVG + resvg), p50 of repeated renders after a
// warm-up, on real BTC/USDT hourly candles. The reference is resvg alone turning the very same SVG into PNG
// with the same fonts, measured interleaved in the same run: the floor no ECharts work can go under, so
// ratio = resvg / total is the share of a chart's time spent on pixels. Target < 200 ms each.

const TARGET = "< 200 ms";

const bench: Benchmark = async ({ quick }) => {
  const all = hourlyCandles();
  const cases = chartCases(all, quick);
  const runs = quick ? 5 : 20;
  const results: BenchResult[] = [];
  for (const [name, render] of cases) {
    for (let i = 0; i < 3; i++) render(); // warm-up: JIT, font tables, formatter caches
    const total: number[] = [];
    const pixels: number[] = [];
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      const chart = render();
      total.push(performance.now() - t);
      t = performance.now();
      svgToPng(chart.svg);
      pixels.push(performance.now() - t);
    }
    const ms = median(total);
    const resvg = median(pixels);
    results.push({
      name: `chart: ${name}`,
      value: ms,
      unit: "ms p50",
      reference: "resvg alone, same SVG and fonts (ms)",
      referenceValue: resvg,
      ratio: resvg / ms,
      target: TARGET,
    });
  }
  return results;
};

export default bench;

/** The charts chat, the CLI and the web ask for, at their real sizes and input lengths. */
function chartCases(all: readonly Candle[], quick: boolean): [string, () => Chart][] {
  const c300 = all.slice(0, 300);
  const c3000 = all.slice(0, 3_000);
  const big = quick ? all.slice(0, 10_000) : all;
  const trades = (cs: readonly Candle[], every: number) =>
    cs
      .filter((_, i) => i % every === every >> 1)
      .map((c, k) => ({ time: c.time, price: c.close, side: k % 2 ? ("sell" as const) : ("buy" as const) }));
  const equity = (cs: readonly Candle[]) => {
    let v = 10_000;
    return cs.map((c, i) => {
      if (i > 0) v *= 1 + (c.close / (cs[i - 1] as Candle).close - 1) * 0.6;
      return { time: c.time, value: v };
    });
  };
  const hold = c3000.map((c) => ({ time: c.time, value: (10_000 * c.close) / (c3000[0] as Candle).close }));
  const e3000 = equity(c3000);
  const eBig = equity(big);
  const days = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      day: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
      pnl: Math.sin(i * 1.7) * 1_500 + 200,
    }));
  const grid = (nx: number, ny: number) => ({
    title: "Sharpe by fast and slow",
    xName: "fast",
    yName: "slow",
    xValues: Array.from({ length: nx }, (_, i) => 5 + 5 * i),
    yValues: Array.from({ length: ny }, (_, i) => 20 + 10 * i),
    values: Array.from({ length: ny }, (_, y) => Array.from({ length: nx }, (_, x) => Math.sin(x / 3 + y / 4) * 1.5)),
    metricName: "sharpe",
  });
  const sma = (cs: readonly Candle[], n: number) =>
    cs.map((_, i) => (i + 1 < n ? null : cs.slice(i + 1 - n, i + 1).reduce((s, c) => s + c.close, 0) / n));
  const sma20 = sma(c300, 20);
  const sma50 = sma(c3000, 50);
  return [
    [
      "/chart: 300 candles, 10 trades, SMA",
      () =>
        candleChart({
          title: "BTC/USDT 1h",
          candles: c300,
          trades: trades(c300, 30),
          overlays: [{ name: "SMA 20", values: sma20 }],
        }),
    ],
    [
      "candles: 3,000 -> 500, 20 trades, SMA",
      () =>
        candleChart({
          title: "BTC/USDT 1h",
          candles: c3000,
          trades: trades(c3000, 150),
          overlays: [{ name: "SMA 50", values: sma50 }],
        }),
    ],
    [
      "/pnl: equity 3,000 points + drawdown + hold",
      () => equityChart({ title: "Equity (USDT)", equity: e3000, drawdown: true, benchmark: hold }),
    ],
    [
      `equity: ${big.length.toLocaleString("en-US")} points + drawdown`,
      () => equityChart({ title: "Equity (USDT)", equity: eBig, drawdown: true }),
    ],
    [
      "/backtest: 3,000 candles, 20 fills, 1200x800",
      () =>
        backtestChart({ title: "sma-cross BTC/USDT 1h", candles: c3000, trades: trades(c3000, 150), equity: e3000 }),
    ],
    [
      `backtest: ${big.length.toLocaleString("en-US")} candles, 1200x800`,
      () => backtestChart({ title: "sma-cross BTC/USDT 1h", candles: big, trades: trades(big, 500), equity: eBig }),
    ],
    ["/daily: 30 days", () => dailyPnlChart({ title: "Daily PnL (USDT)", days: days(30) })],
    ["daily: 365 days", () => dailyPnlChart({ title: "Daily PnL (USDT)", days: days(365) })],
    ["sweep heatmap 6x9, labelled", () => heatmapChart(grid(6, 9))],
    ["sweep heatmap 40x30", () => heatmapChart(grid(40, 30))],
  ];
}

/** The shipped hourly BTC/USDT candles. */
function hourlyCandles(): Candle[] {
  return gunzipSync(readFileSync(sampleFile("binance_BTC-USDT_1h.csv.gz")))
    .toString("utf8")
    .split("\n")
    .slice(1)
    .filter((line) => line !== "")
    .map((line) => {
      const [time, open, high, low, close, volume] = line.split(",").map(Number) as number[];
      return { time, open, high, low, close, volume } as Candle;
    });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
