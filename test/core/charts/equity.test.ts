import { describe, expect, it } from "vitest";
import { COLORS, equityChart } from "../../../core/charts/index.ts";
import { decodePng, distinctColours, pngSize, shippedCandles, svgTexts } from "./helpers.ts";

const candles = shippedCandles("binance_BTC-USDT_1h.csv.gz", 3_000);
let value = 10_000;
const equity = candles.map((c, i) => {
  if (i > 0) value *= 1 + (c.close / candles[i - 1]!.close - 1) * 0.6;
  return { time: c.time, value };
});
const hold = candles.map((c) => ({ time: c.time, value: (10_000 * c.close) / candles[0]!.close }));

/** The `d` of every unfilled polyline stroked in `colour`. */
const lines = (svg: string, colour: string) =>
  [...svg.matchAll(new RegExp(`<path d="(M[^"]*)" fill="none"[^>]*stroke="${colour}"[^>]*>`, "g"))].map((m) => m[0]);

describe("equityChart", () => {
  const chart = equityChart({ title: "Paper equity (USDT)", equity, drawdown: true, benchmark: hold });
  const texts = svgTexts(chart.svg);

  it("renders a PNG of the default size with the curve, a dashed buy-and-hold line and a drawdown area", () => {
    expect(pngSize(chart.png)).toEqual({ width: 1000, height: 600 });
    expect(distinctColours(decodePng(chart.png))).toBeGreaterThan(50);
    expect(lines(chart.svg, COLORS.line)).toHaveLength(1);
    expect(lines(chart.svg, COLORS.benchmark)[0]).toContain("stroke-dasharray");
    expect(chart.svg).toMatch(new RegExp(`<path[^>]*fill="${COLORS.drawdown}" fill-opacity="0.18"`));
    expect(texts).toEqual(expect.arrayContaining(["equity", "buy & hold", "drawdown"]));
  });

  it("sums the run up in the subtitle: UTC range, money, return, max drawdown, buy and hold", () => {
    const end = equity.at(-1)!.value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const subtitle = texts.find((t) => t.startsWith("2020-12-01 → "));
    expect(subtitle).toMatch(
      new RegExp(
        `^2020-12-01 → 2021-04-05 UTC · 10,000.00 → ${end} \\(\\+\\d+\\.\\d%\\) · max drawdown -\\d+\\.\\d% · buy & hold \\+\\d+(\\.\\d)?%$`,
      ),
    );
  });

  it("prints equity with thousands separators, drawdown in percent from 0%, dates in UTC", () => {
    expect(texts).toEqual(expect.arrayContaining(["10,000", "20,000", "30,000"]));
    expect(texts).toContain("0%");
    expect(texts.some((t) => /^-\d+%$/.test(t))).toBe(true);
    expect(texts).toEqual(expect.arrayContaining(["2021-01-01", "2021-02-01", "2021-03-01"]));
  });

  it("thins a long curve to about two points per pixel, keeping the last point", () => {
    const long = Array.from({ length: 100_000 }, (_, i) => ({
      time: i * 60_000,
      value: 1_000 + Math.sin(i / 500) * 50,
    }));
    const thin = equityChart({ equity: long });
    const d = lines(thin.svg, COLORS.line)[0] ?? "";
    expect(d.match(/L/g)?.length).toBeLessThanOrEqual(2 * 1000);
    expect(thin.svg.length).toBeLessThan(200_000);
  });

  it("shows hours over a short span, and no drawdown panel unless asked", () => {
    const day = equityChart({ equity: equity.slice(0, 30) });
    const t = svgTexts(day.svg);
    expect(t).toEqual(expect.arrayContaining(["04:00", "08:00", "2020-12-02"]));
    expect(t.some((x) => x.endsWith("%") && !x.includes("→"))).toBe(false);
  });

  it("ignores NaN points and says 'No data' when none is left", () => {
    const holes = equity.slice(0, 50).map((p, i) => (i % 2 ? { ...p, value: Number.NaN } : p));
    expect(lines(equityChart({ equity: holes }).svg, COLORS.line)[0]?.match(/L/g)).toHaveLength(24);
    for (const input of [[], holes.filter((p) => Number.isNaN(p.value))]) {
      const empty = equityChart({ title: "Equity", equity: input, drawdown: true });
      expect(pngSize(empty.png)).toEqual({ width: 1000, height: 600 });
      expect(svgTexts(empty.svg).sort()).toEqual(["Equity", "No data"]);
    }
  });
});
