import { describe, expect, it } from "vitest";
import { FONT_FAMILY, renderChart, svgToPng } from "../../../core/charts/index.ts";
import { measureText } from "../../../core/charts/text-metrics.ts";
import { colourAt, decodePng, distinctColours, pngSize, svgTexts } from "./helpers.ts";

const bars = {
  xAxis: { type: "category", data: ["a", "b", "c"] },
  yAxis: { type: "value" },
  series: [{ type: "bar", data: [1, 3, 2] }],
};

describe("renderChart", () => {
  it("renders an ECharts option to a PNG of the size asked, and to the SVG it came from", () => {
    const chart = renderChart(bars, { width: 640, height: 360 });
    expect(pngSize(chart.png)).toEqual({ width: 640, height: 360 });
    expect({ width: chart.width, height: chart.height }).toEqual({ width: 640, height: 360 });
    expect(chart.svg).toMatch(/^<svg[^>]*width="640" height="360"/);
    expect(pngSize(renderChart(bars).png)).toEqual({ width: 1000, height: 600 });
  });

  it("paints a white background rather than leaving the PNG transparent (chat apps show it on dark themes)", () => {
    const pixels = decodePng(renderChart(bars, { width: 300, height: 200 }).png);
    expect(colourAt(pixels, 0, 0)).toBe("#ffffff");
    expect(pixels.rgba[3]).toBe(255);
  });

  it("sets every text in the shipped font, and resvg draws it", () => {
    const withTitle = renderChart({ ...bars, title: { text: "Daily PnL 1,234" } }, { width: 400, height: 300 });
    const without = renderChart(bars, { width: 400, height: 300 });
    expect(withTitle.svg).toContain(`font-family:${FONT_FAMILY}`);
    expect(withTitle.svg).not.toContain("sans-serif");
    expect(svgTexts(withTitle.svg)).toContain("Daily PnL 1,234");
    // The title's glyphs change the pixels of the top band, where nothing else is drawn.
    const top = { x: 0, y: 0, width: 400, height: 30 };
    expect(distinctColours(decodePng(without.png), top)).toBe(1);
    expect(distinctColours(decodePng(withTitle.png), top)).toBeGreaterThan(5);
  });

  it("renders text even in a family the machine may lack, with the shipped font and no system fonts", () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/>' +
      '<text x="4" y="28" font-family="Some Font Nobody Has" font-size="24">Equity 42</text></svg>';
    const pixels = decodePng(svgToPng(svg));
    expect(distinctColours(pixels)).toBeGreaterThan(5);
  });

  it("lays text out with DejaVu Sans widths: legend items sit exactly one measured label apart", () => {
    const chart = renderChart(
      {
        legend: { left: 0, top: 0, itemWidth: 14, itemGap: 10, textStyle: { fontSize: 12 }, data: ["wide label", "b"] },
        xAxis: { type: "category", data: ["a"] },
        yAxis: {},
        series: [
          { name: "wide label", type: "bar", data: [1] },
          { name: "b", type: "bar", data: [2] },
        ],
      },
      { width: 600, height: 300 },
    );
    const xs = [
      ...chart.svg.matchAll(/<path[^>]*transform="translate\(([\d.]+) [\d.]+\)"[^>]*ecmeta_ssr_type="legend"/g),
    ]
      .map((m) => Number(m[1]))
      .filter((x, i, all) => all.indexOf(x) === i);
    expect(xs).toHaveLength(2);
    const expected = 14 + 5 + measureText("wide label", "12px").width + 10;
    expect((xs[1] as number) - (xs[0] as number)).toBeCloseTo(expected, 0);
  });

  it("turns silly sizes into whole pixels", () => {
    const chart = renderChart(bars, { width: 333.4, height: Number.NaN });
    expect(pngSize(chart.png)).toEqual({ width: 333, height: 600 });
  });
});
