import { describe, expect, it } from "vitest";
import { measureText } from "../../../core/charts/text-metrics.ts";

describe("text widths from the shipped font", () => {
  it("reads DejaVu Sans advance widths: digits are 1303/2048 em", () => {
    expect(measureText("0", "12px DejaVu Sans").width).toBeCloseTo((1303 / 2048) * 12, 6);
    expect(measureText("0000000000", "20px DejaVu Sans").width).toBeCloseTo((1303 / 2048) * 200, 6);
  });

  it("measures bold wider than regular, and scales with the font size", () => {
    const regular = measureText("Equity (USDT)", "17px DejaVu Sans").width;
    expect(measureText("Equity (USDT)", "bold 17px DejaVu Sans").width).toBeGreaterThan(regular);
    expect(measureText("Equity (USDT)", "normal normal 34px sans-serif").width).toBeCloseTo(regular * 2, 6);
  });

  it("is wider than ECharts' Arial-like guess, which is why it is installed", () => {
    // ECharts' fallback table gives digits 0.56 em; DejaVu's are 0.64 em, 14% more.
    expect(measureText("0123456789", "12px").width).toBeGreaterThan(10 * 0.56 * 12 * 1.1);
  });

  it("counts characters the font lacks as wide rather than zero", () => {
    expect(measureText("\u{1F600}", "10px").width).toBeCloseTo(8, 6);
    expect(measureText("", "10px").width).toBe(0);
  });
});
