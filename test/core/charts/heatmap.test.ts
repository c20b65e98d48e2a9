import { describe, expect, it } from "vitest";
import { heatmapChart } from "../../../core/charts/index.ts";
import { decodePng, distinctColours, pngSize, svgTexts } from "./helpers.ts";

const base = { title: "Sharpe by fast and slow", xName: "fast", yName: "slow", metricName: "sharpe" };

describe("heatmapChart", () => {
  const chart = heatmapChart({
    ...base,
    xValues: [5, 10, 15],
    yValues: [20, 30],
    values: [
      [0.12, 0.5, Number.NaN],
      [-0.3, 1.25, null],
    ],
  });
  const texts = svgTexts(chart.svg);

  it("writes the value in every cell of a small grid, and a dash where a combination has none", () => {
    expect(pngSize(chart.png)).toEqual({ width: 1000, height: 600 });
    for (const label of ["0.12", "0.5", "-0.3", "1.25"]) expect(texts).toContain(label);
    expect(texts.filter((t) => t === "–")).toHaveLength(2);
    expect(texts).toEqual(
      expect.arrayContaining(["Sharpe by fast and slow", "fast", "slow", "sharpe", "5", "10", "15", "20", "30"]),
    );
  });

  it("colours both signs on a scale centred on 0, from -max to +max", () => {
    expect(texts).toEqual(expect.arrayContaining(["1.25", "-1.25"]));
    // Red, pale and green cells, the grey of the missing ones, the scale bar: many colours.
    expect(distinctColours(decodePng(chart.png))).toBeGreaterThan(30);
  });

  it("uses a one-sided scale from the lowest to the highest value when all are positive", () => {
    const t = svgTexts(heatmapChart({ ...base, xValues: [1, 2], yValues: [1], values: [[0.4, 2.5]] }).svg);
    expect(t.filter((x) => x === "0.4" || x === "2.5")).toHaveLength(4); // cells and scale ends
    expect(t).not.toContain("-2.5");
  });

  it("leaves the cells unlabelled when they are too small to hold a number", () => {
    const xs = Array.from({ length: 40 }, (_, i) => i + 2);
    const ys = Array.from({ length: 30 }, (_, i) => 10 + 5 * i);
    const values = ys.map((_, y) => xs.map((_, x) => Math.cos(x / 7) * Math.sin(y / 5) + 0.123));
    const t = svgTexts(heatmapChart({ ...base, xValues: xs, yValues: ys, values }).svg);
    expect(t.filter((x) => /^-?\d\.\d\d$/.test(x)).length).toBeLessThanOrEqual(2); // the scale's two ends at most
  });

  it("says 'No data' for an empty or all-missing grid, and copes with short rows", () => {
    for (const values of [[], [[Number.NaN, null]]]) {
      const empty = heatmapChart({ ...base, xValues: [1, 2], yValues: [1], values });
      expect(svgTexts(empty.svg).sort()).toEqual(["No data", "Sharpe by fast and slow"]);
    }
    const short = heatmapChart({ ...base, xValues: [1, 2, 3], yValues: [1, 2], values: [[1], [2, 3]] });
    expect(svgTexts(short.svg).filter((t) => t === "–")).toHaveLength(3);
  });
});
