import { IndicatorsSync } from "@ixjb94/indicators";
import { SMA } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Sma, sma } from "../../../core/indicators/index.ts";
import { candles, compareTail, DATASETS, firstReady, typed } from "./candles.ts";

describe("Sma", () => {
  it("averages the last `period` values (hand-computed)", () => {
    const s = new Sma(3);
    expect(s.update(1)).toBeUndefined();
    expect(s.update(2)).toBeUndefined();
    expect(s.update(6)).toBe(3); // (1 + 2 + 6) / 3
    expect(s.update(7)).toBe(5); // (2 + 6 + 7) / 3
    expect(s.update(2)).toBe(5); // (6 + 7 + 2) / 3
    expect(s.value).toBe(5);
  });

  it("is not ready and reads NaN during warm-up", () => {
    const s = new Sma(4);
    for (let i = 0; i < 3; i++) {
      expect(s.update(10)).toBeUndefined();
      expect(s.ready).toBe(false);
      expect(s.value).toBeNaN();
    }
    expect(s.update(10)).toBe(10);
    expect(s.ready).toBe(true);
    expect(Array.from(sma(Float64Array.of(1, 2, 6, 7), 3))).toEqual([Number.NaN, Number.NaN, 3, 5]);
  });

  it("reset starts a new warm-up with the same period", () => {
    const s = new Sma(2);
    s.update(100);
    s.update(200);
    s.reset();
    expect(s.ready).toBe(false);
    expect(s.value).toBeNaN();
    expect(s.update(1)).toBeUndefined();
    expect(s.update(3)).toBe(2);
  });

  it("period 1 is the value itself", () => {
    const s = new Sma(1);
    expect(s.update(42.5)).toBe(42.5);
    expect(s.update(-1)).toBe(-1);
  });

  it("rejects periods that are not positive integers", () => {
    for (const bad of [0, -3, 2.5, Number.NaN, 1e9]) expect(() => new Sma(bad)).toThrow(RangeError);
  });

  it("stays on the window mean over a long stream (periodic re-summing)", () => {
    // Prices with three decimals around 1e6: every add/subtract of a running sum rounds, and without re-summing
    // the error walks to ~4e-8 over a million updates; re-summed it stays at a fresh sum's rounding.
    const s = new Sma(7);
    const window: number[] = [];
    let seed = 1;
    let worst = 0;
    for (let i = 0; i < 1_000_000; i++) {
      seed = (seed * 48271) % 2147483647;
      const x = 1e6 + (seed % 1_000_000) / 1000;
      window.push(x);
      if (window.length > 7) window.shift();
      const got = s.update(x);
      if (i % 997 === 0 && got !== undefined) {
        worst = Math.max(worst, Math.abs(got - window.reduce((a, b) => a + b, 0) / 7));
      }
    }
    expect(worst).toBeLessThan(5e-9);
  });

  it.each(DATASETS)("matches technicalindicators and @ixjb94/indicators on %s", (file) => {
    const cols = candles(file);
    const ours = sma(typed(cols).close, 20);
    expect(firstReady(ours)).toBe(19);
    expect(compareTail(ours, SMA.calculate({ period: 20, values: cols.close }))).toBe(cols.rows - 19);
    expect(compareTail(ours, new IndicatorsSync().sma(cols.close, 20))).toBe(cols.rows - 19);
  });
});
