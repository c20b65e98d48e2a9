import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { Resvg } from "@resvg/resvg-js";
import {
  backtestChart,
  type Chart,
  candleChart,
  dailyPnlChart,
  equityChart,
  heatmapChart,
} from "../core/charts/index.ts";
import type { Candle } from "../core/domain/index.ts";
import type { Benchmark, BenchResult } from "./types.ts";

// Render time per chart type (p50 of repeated renders), beside the time resvg alone takes to turn the
// same SVG into PNG: the ratio shows how much of a chart's time is ECharts' layout rather than pixels.
const bench: Benchmark = async ({ quick }) => {
  const candles: Candle[] = gunzipSync(
    readFileSync(path.resolve(import.meta.dirname, "../data/binance_BTC-USDT_1h.csv.gz")),
  )
    .toString()
    .split("\n")
    .slice(1, 2001)
    .map((line) => {
      const [time, open, high, low, close, volume] = line.split(",").map(Number) as number[];
      return { time, open, high, low, close, volume } as Candle;
    });
  const equity = candles.map((c, i) => ({ time: c.time, value: 10_000 + Math.sin(i / 50) * 500 + i }));
  const trades = candles
    .filter((_, i) => i % 60 === 0)
    .map((c, i) => ({ time: c.time, price: c.close, side: i % 2 ? ("sell" as const) : ("buy" as const) }));
  const cases: [string, () => Chart][] = [
    ["equity + drawdown (2000 points)", () => equityChart({ title: "Equity", equity, drawdown: true })],
    ["candles (2000 -> 500) + trades", () => candleChart({ title: "BTC/USDT 1h", candles, trades })],
    ["backtest three panels", () => backtestChart({ title: "sma-cross", candles, trades, equity })],
    [
      "daily PnL (90 days)",
      () => dailyPnlChart({ days: Array.from({ length: 90 }, (_, i) => ({ day: `d${i}`, pnl: Math.sin(i) * 40 })) }),
    ],
    [
      "heatmap 6x9",
      () =>
        heatmapChart({
          title: "Sharpe",
          xName: "fast",
          yName: "slow",
          xValues: [5, 10, 15, 20, 25, 30],
          yValues: [20, 30, 40, 50, 60, 70, 80, 90, 100],
          values: Array.from({ length: 9 }, (_, y) => Array.from({ length: 6 }, (_, x) => Math.sin(x + y))),
          metricName: "sharpe",
        }),
    ],
  ];
  const runs = quick ? 5 : 20;
  const results: BenchResult[] = [];
  for (const [name, render] of cases) {
    render(); // warm-up: fonts and code paths
    const times: number[] = [];
    let svg = "";
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      svg = render().svg;
      times.push(performance.now() - t);
    }
    const pixels: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng();
      pixels.push(performance.now() - t);
    }
    const ms = median(times);
    const resvgMs = median(pixels);
    results.push({
      name: `chart: ${name}`,
      value: ms,
      unit: "ms p50",
      reference: "resvg alone on the same SVG (ms)",
      referenceValue: resvgMs,
      ratio: resvgMs / ms,
      target: "< 200 ms",
    });
  }
  return results;
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export default bench;
