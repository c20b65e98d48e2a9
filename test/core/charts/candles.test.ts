import { describe, expect, it } from "vitest";
import { COLORS, candleChart } from "../../../core/charts/index.ts";
import { OVERLAY_COLORS } from "../../../core/charts/theme.ts";
import type { Candle } from "../../../core/domain/index.ts";
import { chartElements, decodePng, distinctColours, pngSize, shippedCandles, svgTexts } from "./helpers.ts";

const btc = shippedCandles("binance_BTC-USDT_1h.csv.gz", 1_201);
const candles = btc.slice(0, 300);
const sma = (cs: readonly Candle[], n: number) =>
  cs.map((_, i) => (i + 1 < n ? null : cs.slice(i + 1 - n, i + 1).reduce((s, c) => s + c.close, 0) / n));
const trade = (c: Candle, side: "buy" | "sell", label?: string) => ({ time: c.time, price: c.close, side, label });
const trades = [20, 75, 140, 210, 260].map((i, k) =>
  trade(candles[i]!, k % 2 ? "sell" : "buy", k % 2 ? "exit" : "entry"),
);

/** Distinct data indices drawn by one series. */
const drawn = (svg: string, series: number) =>
  new Set(
    chartElements(svg)
      .filter((e) => e.series === series)
      .map((e) => e.index),
  ).size;

describe("candleChart", () => {
  const chart = candleChart(
    { title: "BTC/USDT 1h", candles, trades, overlays: [{ name: "SMA 20", values: sma(candles, 20) }] },
    { width: 900, height: 540 },
  );
  const texts = svgTexts(chart.svg);

  it("renders 300 real candles as a PNG of the size asked, in many colours", () => {
    expect(pngSize(chart.png)).toEqual({ width: 900, height: 540 });
    expect(distinctColours(decodePng(chart.png))).toBeGreaterThan(50);
  });

  it("draws one candlestick per candle, a volume bar each, and the overlay line", () => {
    expect(drawn(chart.svg, 0)).toBe(300);
    // Series: 0 candles, 1 SMA, 2 buys, 3 sells, 4 volume.
    expect(drawn(chart.svg, 4)).toBe(300);
    // The SMA is one polyline through its 281 defined values (the first 19 are warm-up).
    const line = new RegExp(`<path d="(M[^"]*)" fill="none"[^>]*stroke="${OVERLAY_COLORS[0]}"`).exec(chart.svg);
    expect(line?.[1]?.match(/L/g)).toHaveLength(280);
    expect(texts).toContain("SMA 20");
  });

  it("marks each fill with a triangle in the buy or sell colour, with its word", () => {
    expect(chartElements(chart.svg, COLORS.buy)).toHaveLength(3);
    expect(chartElements(chart.svg, COLORS.sell)).toHaveLength(2);
    expect(texts.filter((t) => t === "entry")).toHaveLength(3);
    expect(texts.filter((t) => t === "exit")).toHaveLength(2);
    expect(texts).toEqual(expect.arrayContaining(["price", "buy", "sell"]));
  });

  it("writes the title, a UTC range with the last close, and prices with thousands separators", () => {
    expect(texts).toContain("BTC/USDT 1h");
    const last = candles.at(-1)!;
    expect(texts).toContain(
      `2020-12-01 00:00 → 2020-12-13 11:00 UTC · 300 candles · last ${last.close.toLocaleString("en-US")} (-1.9%)`,
    );
    expect(texts).toEqual(expect.arrayContaining(["18,000", "18,500", "19,000", "19,500"]));
    expect(texts.some((t) => /^\d+K$/.test(t))).toBe(true); // volume, compact
  });

  it("labels the time axis at UTC midnights whatever the machine's zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      const labels = svgTexts(candleChart({ candles }, { width: 900, height: 540 }).svg).filter((t) =>
        /^\d{4}-\d{2}-\d{2}$/.test(t),
      );
      expect(labels).toEqual(["2020-12-02", "2020-12-04", "2020-12-06", "2020-12-08", "2020-12-10", "2020-12-12"]);
    } finally {
      process.env.TZ = zone;
    }
  });

  it("aggregates more than 500 candles, keeping the last close and every trade marker", () => {
    const many = btc.filter((_, i) => i % 97 === 0).map((c, k) => trade(c, k % 2 ? "sell" : "buy"));
    const big = candleChart({ candles: btc, trades: many });
    expect(drawn(big.svg, 0)).toBe(401);
    expect(chartElements(big.svg, COLORS.buy).length + chartElements(big.svg, COLORS.sell).length).toBe(many.length);
    expect(svgTexts(big.svg).join("\n")).toContain(`1,201 candles · last ${btc.at(-1)!.close.toLocaleString("en-US")}`);
  });

  it("leaves out markers outside the candles' time range", () => {
    const outside = [
      trade({ ...candles[0]!, time: candles[0]!.time - 3_600_000 }, "buy"),
      trade({ ...candles[9]!, time: candles[9]!.time + 3_600_000 }, "sell"),
      trade(candles[9]!, "sell"),
    ];
    const small = candleChart({ candles: candles.slice(0, 10), trades: outside });
    expect(chartElements(small.svg, COLORS.buy)).toHaveLength(0);
    expect(chartElements(small.svg, COLORS.sell)).toHaveLength(1);
  });

  it("skips candles with NaN prices and says 'No data' when none is left", () => {
    const broken = candles.slice(0, 20).map((c, i) => (i % 5 === 0 ? { ...c, close: Number.NaN } : c));
    expect(drawn(candleChart({ candles: broken }).svg, 0)).toBe(16);
    for (const input of [[], broken.filter((c) => Number.isNaN(c.close))]) {
      const empty = candleChart({ title: "BTC/USDT 1h", candles: input }, { width: 500, height: 300 });
      expect(pngSize(empty.png)).toEqual({ width: 500, height: 300 });
      expect(svgTexts(empty.svg).sort()).toEqual(["BTC/USDT 1h", "No data"]);
    }
  });
});
