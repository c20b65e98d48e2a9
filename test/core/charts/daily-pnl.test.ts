import { describe, expect, it } from "vitest";
import { COLORS, dailyPnlChart } from "../../../core/charts/index.ts";
import { chartElements, pngSize, svgTexts } from "./helpers.ts";

const day = (i: number) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
const week = [200, 1687.5, -183.31, -1188.72, 941.17, 1397.73, -849.81].map((pnl, i) => ({ day: day(i), pnl }));

describe("dailyPnlChart", () => {
  const chart = dailyPnlChart({ title: "Daily PnL (USDT)", days: week }, { width: 800, height: 480 });
  const texts = svgTexts(chart.svg);

  it("draws a green bar per winning day and a red one per losing day", () => {
    expect(pngSize(chart.png)).toEqual({ width: 800, height: 480 });
    expect(chartElements(chart.svg, COLORS.up)).toHaveLength(4);
    expect(chartElements(chart.svg, COLORS.down)).toHaveLength(3);
  });

  it("writes each value on its bar when there is room, every day under the axis, and the totals", () => {
    expect(texts).toEqual(expect.arrayContaining(["+200.00", "+1,687.50", "-1,188.72", "-849.81"]));
    expect(texts).toEqual(expect.arrayContaining(week.map((d) => d.day)));
    expect(texts).toEqual(expect.arrayContaining(["1,500", "-1,000"]));
    expect(texts).toContain(
      "7 days · total +2,004.56 · 4 up, 3 down · best +1,687.50 (2024-01-02) · worst -1,188.72 (2024-01-04)",
    );
  });

  it("drops the bar values when bars get too narrow, and labels months over a year", () => {
    const year = Array.from({ length: 366 }, (_, i) => ({ day: day(i), pnl: Math.sin(i) * 1_000 }));
    const t = svgTexts(dailyPnlChart({ days: year }).svg);
    expect(t.some((x) => /^[+-][\d,]+\.\d\d$/.test(x))).toBe(false);
    expect(t).toEqual(expect.arrayContaining(["2024-01", "2024-03", "2024-05"]));
  });

  it("sorts the days, skips NaN and malformed ones, and says 'No data' when none is left", () => {
    const messy = [week[2]!, { day: "not a day", pnl: 5 }, week[0]!, { day: day(9), pnl: Number.NaN }, week[1]!];
    const sorted = svgTexts(dailyPnlChart({ days: messy }).svg).filter((t) => /^2024-/.test(t));
    expect(sorted).toEqual(["2024-01-01", "2024-01-02", "2024-01-03"]);
    const empty = dailyPnlChart({ title: "Daily PnL", days: [{ day: day(0), pnl: Number.NaN }] });
    expect(svgTexts(empty.svg).sort()).toEqual(["Daily PnL", "No data"]);
    expect(svgTexts(dailyPnlChart({ days: [] }).svg)).toEqual(["No data"]);
  });
});
