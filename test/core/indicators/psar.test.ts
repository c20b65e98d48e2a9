import { IndicatorsSync } from "@ixjb94/indicators";
import { PSAR } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { ParabolicSar, parabolicSar } from "../../../core/indicators/index.ts";
import { candles, compareTail, DATASETS, firstReady, typed } from "./candles.ts";

describe("ParabolicSar", () => {
  it("accelerates toward the extreme and reverses on a cross (hand-computed, step 0.1, max 0.2)", () => {
    const sar = new ParabolicSar(0.1, 0.2);
    expect(sar.update(10, 9)).toBeUndefined();
    // midpoint 10.5 >= 9.5: long, SAR from low 9, extreme 10; 9 + 0.1 * (10 - 9) = 9.1, capped at the
    // previous low 9; new high 11: extreme 11, af 0.2
    expect(sar.update(11, 10)).toBe(sar);
    expect([sar.value, sar.direction]).toEqual([9, 1]);
    // 9 + 0.2 * (11 - 9) = 9.4, capped at the low two candles back (9); extreme 12, af stays at max 0.2
    sar.update(12, 11);
    expect(sar.value).toBe(9);
    // 9 + 0.2 * (12 - 9) = 9.6, under both previous lows (10, 11); extreme 12.5
    sar.update(12.5, 11.5);
    expect(sar.value).toBeCloseTo(9.6, 12);
    // 9.6 + 0.2 * (12.5 - 9.6) = 10.18; the low 9 crosses it: short, SAR jumps to the extreme 12.5
    sar.update(10, 9);
    expect([sar.value, sar.direction]).toEqual([12.5, -1]);
    // 12.5 + 0.1 * (9 - 12.5) = 12.15, raised to the high two candles back (12.5)
    sar.update(9.5, 8);
    expect([sar.value, sar.direction]).toEqual([12.5, -1]);
  });

  it("starts short when the second candle's midpoint is lower", () => {
    const sar = new ParabolicSar(0.1, 0.2);
    sar.update(10, 9);
    // short from the high 10, extreme 9: 10 + 0.1 * (9 - 10) = 9.9, raised to the previous high 10
    sar.update(9.5, 8);
    expect([sar.value, sar.direction]).toEqual([10, -1]);
  });

  it("warm-up is one candle; reset starts over", () => {
    const sar = new ParabolicSar();
    expect(sar.update(10, 9)).toBeUndefined();
    expect(sar.ready).toBe(false);
    expect(sar.value).toBeNaN();
    expect(sar.direction).toBeNaN();
    sar.update(11, 10);
    expect(sar.ready).toBe(true);
    sar.reset();
    expect(sar.value).toBeNaN();
    expect(sar.update(10, 9)).toBeUndefined();
  });

  it("rejects bad arguments", () => {
    expect(() => new ParabolicSar(0, 0.2)).toThrow(RangeError);
    expect(() => new ParabolicSar(0.02, 0.01)).toThrow(RangeError);
  });

  it.each(DATASETS)("matches @ixjb94/indicators (Tulip's rules) on %s", (file) => {
    const cols = candles(file);
    const { high, low } = typed(cols);
    const ours = parabolicSar(high, low, 0.02, 0.2);
    expect(firstReady(ours.value)).toBe(1);
    expect(compareTail(ours.value, new IndicatorsSync().psar(cols.high, cols.low, 0.02, 0.2))).toBe(cols.rows - 1);
  });

  it.each(DATASETS)("matches technicalindicators once both have reversed twice on %s", (file) => {
    // technicalindicators starts long on the first candle whatever the data; after two reversals both
    // trends, extremes and factors come from the same candles.
    const cols = candles(file);
    const { high, low } = typed(cols);
    const ours = parabolicSar(high, low, 0.02, 0.2);
    const theirs = PSAR.calculate({ high: cols.high, low: cols.low, step: 0.02, max: 0.2 });
    let flips = 0;
    let from = 2;
    while (flips < 2) {
      if (ours.direction[from] !== ours.direction[from - 1]) flips++;
      from++;
    }
    expect(from).toBeLessThan(100);
    expect(compareTail(ours.value, theirs, { skip: from, sameWarmup: false })).toBe(cols.rows - from);
  });
});
