import { IndicatorsSync } from "@ixjb94/indicators";
import { EMA } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Ema, ema } from "../../../core/indicators/index.ts";
import { candles, close, compareTail, DATASETS, firstReady, typed } from "./candles.ts";

describe("Ema", () => {
  it("seeds with the SMA, then moves by alpha = 2 / (period + 1) (hand-computed)", () => {
    const e = new Ema(3); // alpha 0.5
    expect(e.alpha).toBe(0.5);
    expect(e.update(1)).toBeUndefined();
    expect(e.update(2)).toBeUndefined();
    expect(e.update(3)).toBe(2); // seed: (1 + 2 + 3) / 3
    expect(e.update(6)).toBe(4); // 2 + 0.5 * (6 - 2)
    expect(e.update(0)).toBe(2); // 4 + 0.5 * (0 - 4)
  });

  it("is not ready and reads NaN during warm-up; the batch helper lines up with the input", () => {
    const e = new Ema(3);
    e.update(5);
    expect(e.ready).toBe(false);
    expect(e.value).toBeNaN();
    expect(Array.from(ema(Float64Array.of(1, 2, 3, 6), 3))).toEqual([Number.NaN, Number.NaN, 2, 4]);
  });

  it("reset forgets the seed", () => {
    const e = new Ema(2);
    e.update(100);
    e.update(200);
    e.reset();
    expect(e.value).toBeNaN();
    expect(e.update(1)).toBeUndefined();
    expect(e.update(3)).toBe(2);
  });

  it("rejects bad periods", () => {
    expect(() => new Ema(0)).toThrow(RangeError);
    expect(() => new Ema(1.5)).toThrow(RangeError);
  });

  it.each(DATASETS)("matches technicalindicators on %s", (file) => {
    const cols = candles(file);
    const ours = ema(typed(cols).close, 20);
    expect(firstReady(ours)).toBe(19);
    expect(compareTail(ours, EMA.calculate({ period: 20, values: cols.close }))).toBe(cols.rows - 19);
  });

  it.each(DATASETS)("converges to @ixjb94/indicators (seeded with the first value instead) on %s", (file) => {
    // Their seed differs; the difference decays by (1 - alpha) per value, below 1e-12 after 600 values.
    const cols = candles(file);
    const ours = ema(typed(cols).close, 20);
    const theirs = new IndicatorsSync().ema(cols.close, 20);
    for (let i = 600; i < cols.rows; i++) expect(close(ours[i]!, theirs[i]!)).toBe(true);
  });
});
