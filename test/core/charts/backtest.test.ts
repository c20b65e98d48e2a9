import { describe, expect, it } from "vitest";
import { backtestChart, COLORS } from "../../../core/charts/index.ts";
import type { Candle } from "../../../core/domain/index.ts";
import { chartElements, decodePng, distinctColours, pngSize, shippedCandles, svgTexts } from "./helpers.ts";

const candles = shippedCandles("binance_BTC-USDT_1h.csv.gz", 1_000);
const trades = candles
  .filter((_, i) => i % 100 === 50)
  .map((c, k) => ({ time: c.time, price: c.close, side: k % 2 ? ("sell" as const) : ("buy" as const) }));
const equity = candles.map((c, i) => ({ time: c.time, value: 10_000 + i * 2 - (i % 200 < 50 ? i % 50 : 0) * 20 }));

describe("backtestChart", () => {
  const chart = backtestChart({ title: "sma-cross BTC/USDT 1h", candles, trades, equity });
  const texts = svgTexts(chart.svg);

  it("renders the three panels at 1200x800 by default", () => {
    expect(pngSize(chart.png)).toEqual({ width: 1200, height: 800 });
    expect(distinctColours(decodePng(chart.png))).toBeGreaterThan(50);
    // 1,000 hourly candles drawn as 500 two-hour ones.
    expect(chartElements(chart.svg).filter((e) => e.series === 0)).toHaveLength(500);
    expect(texts).toEqual(expect.arrayContaining(["price", "buy", "sell", "equity", "buy & hold", "drawdown"]));
  });

  it("marks every fill, and puts price, equity and drawdown on axes of their own", () => {
    expect(chartElements(chart.svg, COLORS.buy)).toHaveLength(5);
    expect(chartElements(chart.svg, COLORS.sell)).toHaveLength(5);
    // Price 17k-41k; equity and buy and hold 10k-17k; drawdown down to -8.8%.
    expect(texts).toEqual(expect.arrayContaining(["25,000", "40,000", "10,000", "15,000", "0%", "-5%", "-10%"]));
    expect(texts.filter((t) => t === "20,000")).toHaveLength(2);
    expect(chart.svg).toMatch(new RegExp(`<path[^>]*fill="${COLORS.drawdown}" fill-opacity="0.18"`));
  });

  it("sums the run up: fills, equity from and to, max drawdown, buy and hold", () => {
    const summary = texts.find((t) => t.startsWith("10 fills · "));
    expect(summary).toMatch(/^10 fills · 10,000\.00 → 11,998\.00 \(\+20\.0%\) · max drawdown -\d+\.\d% · /);
    // From the first candle's close, not the first drawn bar's (two candles each here).
    const hold = ((candles.at(-1) as Candle).close / (candles[0] as Candle).close - 1) * 100;
    expect(summary?.endsWith(`buy & hold ${hold >= 0 ? "+" : "-"}${Math.abs(hold).toFixed(1)}%`)).toBe(true);
  });

  it("can leave buy and hold out, and keeps working with a size of its own", () => {
    const plain = backtestChart(
      { title: "t", candles, trades, equity, buyAndHold: false },
      { width: 800, height: 600 },
    );
    expect(pngSize(plain.png)).toEqual({ width: 800, height: 600 });
    expect(svgTexts(plain.svg)).not.toContain("buy & hold");
  });

  it("says what is missing instead of failing", () => {
    expect(svgTexts(backtestChart({ title: "t", candles: [], trades: [], equity: [] }).svg).sort()).toEqual([
      "No data",
      "t",
    ]);
    expect(svgTexts(backtestChart({ title: "t", candles: [], trades, equity }).svg)).toContain(
      "no candles in the range",
    );
    // Candles without equity (a run that never started) still show the price.
    const priceOnly = backtestChart({ title: "t", candles: candles.slice(0, 50), trades: [], equity: [] });
    expect(chartElements(priceOnly.svg).filter((e) => e.series === 0)).toHaveLength(50);
  });
});
