import { IndicatorsSync } from "@ixjb94/indicators";
import { WMA } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Wma, wma } from "../../../core/indicators/index.ts";
import { candles, compareTail, DATASETS, firstReady, typed } from "./candles.ts";

describe("Wma", () => {
  it("weights the newest value most (hand-computed)", () => {
    const w = new Wma(3); // weights 1, 2, 3; divisor 6
    expect(w.update(1)).toBeUndefined();
    expect(w.update(2)).toBeUndefined();
    expect(w.update(3)).toBeCloseTo(14 / 6, 14); // 1*1 + 2*2 + 3*3
    expect(w.update(6)).toBeCloseTo(26 / 6, 14); // 2*1 + 3*2 + 6*3
    expect(w.update(0)).toBeCloseTo(15 / 6, 14); // 3*1 + 6*2 + 0*3
  });

  it("warm-up: undefined, NaN, not ready", () => {
    const w = new Wma(2);
    expect(w.update(1)).toBeUndefined();
    expect(w.value).toBeNaN();
    expect(w.ready).toBe(false);
    expect(w.update(4)).toBe(3); // (1 + 8) / 3
    expect(w.ready).toBe(true);
  });

  it("reset starts over", () => {
    const w = new Wma(2);
    w.update(10);
    w.update(20);
    w.reset();
    expect(w.update(1)).toBeUndefined();
    expect(w.update(4)).toBe(3);
  });

  it("rejects bad periods", () => {
    expect(() => new Wma(-1)).toThrow(RangeError);
  });

  it("stays on the exact weighted mean over a long stream (periodic re-summing)", () => {
    const w = new Wma(5);
    const window: number[] = [];
    let seed = 7;
    let worst = 0;
    for (let i = 0; i < 1_000_000; i++) {
      seed = (seed * 48271) % 2147483647;
      const x = 1e6 + (seed % 1_000_000) / 1000;
      window.push(x);
      if (window.length > 5) window.shift();
      const got = w.update(x);
      if (i % 997 === 0 && got !== undefined) {
        const exact = window.reduce((acc, v, j) => acc + v * (j + 1), 0) / 15;
        worst = Math.max(worst, Math.abs(got - exact));
      }
    }
    expect(worst).toBeLessThan(5e-9);
  });

  it.each(DATASETS)("matches technicalindicators and @ixjb94/indicators on %s", (file) => {
    const cols = candles(file);
    const ours = wma(typed(cols).close, 20);
    expect(firstReady(ours)).toBe(19);
    expect(compareTail(ours, WMA.calculate({ period: 20, values: cols.close }))).toBe(cols.rows - 19);
    expect(compareTail(ours, new IndicatorsSync().wma(cols.close, 20))).toBe(cols.rows - 19);
  });
});
