import { IndicatorsSync } from "@ixjb94/indicators";
import { Highest, Lowest } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Donchian, donchian } from "../../../core/indicators/index.ts";
import { candles, compareTail, DATASETS, firstReady, typed } from "./candles.ts";

describe("Donchian", () => {
  it("tracks the highest high and lowest low of the window (hand-computed)", () => {
    const dc = new Donchian(3);
    expect(dc.update(10, 8)).toBeUndefined();
    expect(dc.update(12, 9)).toBeUndefined();
    expect(dc.update(11, 7)).toBe(dc);
    expect([dc.upper, dc.lower, dc.middle]).toEqual([12, 7, 9.5]);
    dc.update(9, 8);
    expect([dc.upper, dc.lower]).toEqual([12, 7]);
    dc.update(9, 8); // the 12 leaves
    expect([dc.upper, dc.lower]).toEqual([11, 7]);
    dc.update(9, 8); // the 7 leaves
    expect([dc.upper, dc.lower, dc.middle]).toEqual([9, 8, 8.5]);
  });

  it("warm-up and reset", () => {
    const dc = new Donchian(2);
    expect(dc.update(5, 4)).toBeUndefined();
    expect(dc.ready).toBe(false);
    expect(dc.upper).toBeNaN();
    expect(dc.middle).toBeNaN();
    dc.update(6, 3);
    expect(dc.ready).toBe(true);
    dc.reset();
    expect(dc.lower).toBeNaN();
    expect(dc.update(100, 1)).toBeUndefined();
    dc.update(50, 2);
    expect([dc.upper, dc.lower]).toEqual([100, 1]);
  });

  it("rejects bad periods", () => {
    expect(() => new Donchian(0)).toThrow(RangeError);
  });

  it.each(DATASETS)("matches @ixjb94/indicators and technicalindicators' highest/lowest on %s", (file) => {
    const cols = candles(file);
    const { high, low } = typed(cols);
    const ours = donchian(high, low, 20);
    expect(firstReady(ours.upper)).toBe(19);
    const [upper, middle, lower] = new IndicatorsSync().dc(cols.high, cols.low, 20);
    expect(compareTail(ours.upper, upper!)).toBe(cols.rows - 19);
    expect(compareTail(ours.middle, middle!)).toBe(cols.rows - 19);
    expect(compareTail(ours.lower, lower!)).toBe(cols.rows - 19);
    expect(compareTail(ours.upper, Highest.calculate({ period: 20, values: cols.high }))).toBe(cols.rows - 19);
    expect(compareTail(ours.lower, Lowest.calculate({ period: 20, values: cols.low }))).toBe(cols.rows - 19);
  });
});
