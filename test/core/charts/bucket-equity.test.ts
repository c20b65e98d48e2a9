import { describe, expect, it } from "vitest";
import { bucketEquity } from "../../../core/charts/bucket-equity.ts";
import { drawdownSeries } from "../../../core/charts/series.ts";

describe("equity on the candles' bars", () => {
  it("takes the last equity of each bar and its deepest drawdown, carrying values across empty bars", () => {
    const equity = [
      { time: 5, value: 100 },
      { time: 12, value: 80 },
      { time: 15, value: 110 },
      { time: 31, value: 99 },
    ];
    const out = bucketEquity([0, 10, 20, 30], equity, drawdownSeries(equity));
    expect(out.equity).toEqual([100, 110, 110, 99]);
    // Bar 10..20 dipped to 80 (-20%) before recovering to a new peak; bar 20..30 had no point: it carries 0%.
    expect(out.drawdown).toEqual([0, -20, 0, -10]);
  });

  it("leaves bars before the first equity point empty", () => {
    const equity = [{ time: 25, value: 100 }];
    expect(bucketEquity([0, 10, 20], equity, drawdownSeries(equity)).equity).toEqual([null, null, 100]);
  });
});
