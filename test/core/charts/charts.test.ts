import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  backtestChart,
  candleChart,
  dailyPnlChart,
  downsampleCandles,
  drawdownSeries,
  equityChart,
  heatmapChart,
} from "../../../core/charts/index.ts";
import type { Candle } from "../../../core/domain/index.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const candles: Candle[] = gunzipSync(readFileSync(path.join(ROOT, "data/binance_BTC-USDT_1h.csv.gz")))
  .toString()
  .split("\n")
  .slice(1, 1201)
  .map((line) => {
    const [time, open, high, low, close, volume] = line.split(",").map(Number) as number[];
    return { time, open, high, low, close, volume } as Candle;
  });

/** Width and height from a PNG's IHDR chunk, after checking the 8-byte signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("charts", () => {
  it("draws candles with volume, markers and a title, at the size asked", () => {
    const trades = [
      { time: candles[10]!.time, price: candles[10]!.close, side: "buy" as const },
      { time: candles[40]!.time, price: candles[40]!.close, side: "sell" as const },
    ];
    const chart = candleChart(
      { title: "BTC/USDT 1h", candles: candles.slice(0, 100), trades },
      { width: 800, height: 500 },
    );
    expect(pngSize(chart.png)).toEqual({ width: 800, height: 500 });
    expect(chart.svg).toContain("BTC/USDT 1h");
    expect(chart.svg).toContain("DejaVu Sans");
    // Prices above 1,000 carry thousands separators on the axis; dates are UTC.
    expect(chart.svg).toMatch(/1\d,\d{3}/);
    expect(chart.svg).toContain("2020-12-01 00:00");
  });

  it("renders text with the shipped font: a title changes the pixels", () => {
    const plain = equityChart(
      {
        equity: [
          { time: 0, value: 1 },
          { time: 1, value: 2 },
        ],
      },
      { width: 300, height: 200 },
    );
    const titled = equityChart(
      {
        title: "Equity",
        equity: [
          { time: 0, value: 1 },
          { time: 1, value: 2 },
        ],
      },
      { width: 300, height: 200 },
    );
    expect(titled.png.equals(plain.png)).toBe(false);
  });

  it("aggregates long series to at most 500 candles, keeping the ends and every trade marker", () => {
    const shown = downsampleCandles(candles, 500);
    expect(shown.length).toBeLessThanOrEqual(500);
    expect(shown[0]!.open).toBe(candles[0]!.open);
    expect(shown.at(-1)!.close).toBe(candles.at(-1)!.close);
    const bucket = candles.slice(0, Math.ceil(candles.length / 500));
    expect(shown[0]!.high).toBe(Math.max(...bucket.map((c) => c.high)));
    expect(shown[0]!.volume).toBeCloseTo(
      bucket.reduce((v, c) => v + c.volume, 0),
      6,
    );

    const trades = candles
      .filter((_, i) => i % 97 === 0)
      .map((c, i) => ({ time: c.time, price: c.close, side: i % 2 ? ("sell" as const) : ("buy" as const) }));
    const chart = candleChart({ candles, trades });
    const triangles = chart.svg.match(/<path[^>]*d="M[^"]*"[^>]*fill="#(16a34a|dc2626)"[^>]*stroke="#111827"/g) ?? [];
    // One triangle per trade, plus the two legend icons (entries, exits).
    expect(triangles.length).toBe(trades.length + 2);
  });

  it("computes drawdown from the running peak", () => {
    const dd = drawdownSeries([100, 120, 90, 130, 65].map((value, time) => ({ time, value })));
    // Peaks 100, 120, 120, 130, 130: 0, 0, (90-120)/120 = -25%, 0, (65-130)/130 = -50%.
    expect(dd.map((p) => p.value)).toEqual([0, 0, -25, 0, -50]);
  });

  it("draws the three-panel backtest picture and daily PnL bars", () => {
    const equity = candles.map((c, i) => ({ time: c.time, value: 10_000 + i }));
    const bt = backtestChart({ title: "sma-cross BTC/USDT", candles, trades: [], equity });
    expect(pngSize(bt.png)).toEqual({ width: 1200, height: 800 });
    expect(bt.svg).toContain("drawdown");
    const daily = dailyPnlChart({
      days: [
        { day: "2024-01-01", pnl: 5 },
        { day: "2024-01-02", pnl: -3 },
      ],
    });
    expect(daily.svg).toContain('fill="#16a34a"');
    expect(daily.svg).toContain('fill="#dc2626"');
  });

  it("labels every heatmap cell when the grid is small", () => {
    const chart = heatmapChart({
      title: "Sharpe",
      xName: "fast",
      yName: "slow",
      xValues: [5, 10],
      yValues: [20, 30],
      values: [
        [0.12, 0.5],
        [-0.3, 1.25],
      ],
      metricName: "sharpe",
    });
    for (const label of ["0.12", "0.5", "-0.3", "1.25"]) expect(chart.svg).toContain(`>${label}<`);
  });

  it("says 'no data' rather than failing on empty input", () => {
    for (const chart of [
      equityChart({ title: "Equity", equity: [] }),
      candleChart({ candles: [] }),
      dailyPnlChart({ days: [] }),
      heatmapChart({ title: "h", xName: "x", yName: "y", xValues: [], yValues: [], values: [], metricName: "m" }),
    ]) {
      expect(chart.svg).toContain("no data");
      pngSize(chart.png);
    }
  });
});
