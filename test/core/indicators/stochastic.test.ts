import { IndicatorsSync } from "@ixjb94/indicators";
import { Stochastic as TiStochastic } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Stochastic, stochastic } from "../../../core/indicators/index.ts";
import { candles, compareTail, DATASETS, firstReady, typed } from "./candles.ts";

describe("Stochastic", () => {
  it("fast %K from the window's range, %D its SMA (hand-computed)", () => {
    const st = new Stochastic(3, 1, 2);
    expect(st.update(10, 8, 9)).toBeUndefined();
    expect(st.update(12, 9, 11)).toBeUndefined();
    // high 12, low 7: raw %K = 100 * (8 - 7) / 5 = 20; %D needs two %K
    expect(st.update(11, 7, 8)).toBeUndefined();
    // window of the last three candles: high 13, low 7: %K = 100 * (12 - 7) / 6; %D = (20 + 83.33) / 2
    expect(st.update(13, 10, 12)).toBe(st);
    expect(st.k).toBeCloseTo(500 / 6, 12);
    expect(st.d).toBeCloseTo((20 + 500 / 6) / 2, 12);
    // the 12 high of candle 2 has left: high 13, low 7 still (candle 3); raw = 100 * (10 - 7) / 6 = 50
    st.update(11, 9, 10);
    expect(st.k).toBeCloseTo(50, 12);
    expect(st.d).toBeCloseTo((500 / 6 + 50) / 2, 12);
  });

  it("smooths %K with kSmooth (slow stochastic)", () => {
    const st = new Stochastic(3, 2, 1);
    st.update(10, 8, 9);
    st.update(12, 9, 11);
    expect(st.update(11, 7, 8)).toBeUndefined(); // raw 20, one of two for the %K SMA
    st.update(13, 10, 12); // raw 83.33
    expect(st.k).toBeCloseTo((20 + 500 / 6) / 2, 12);
    expect(st.d).toBeCloseTo((20 + 500 / 6) / 2, 12); // dPeriod 1
  });

  it("reads 50 when the window has no range", () => {
    const st = new Stochastic(2, 1, 1);
    st.update(5, 5, 5);
    st.update(5, 5, 5);
    expect(st.k).toBe(50);
  });

  it("warm-up lasts kPeriod + kSmooth + dPeriod - 3 candles; reset starts over", () => {
    const st = new Stochastic(5, 3, 3);
    for (let i = 0; i < 5 + 3 + 3 - 3; i++) {
      expect(st.update(10 + i, 5, 7)).toBeUndefined();
      expect(st.ready).toBe(false);
      expect(st.k).toBeNaN();
    }
    expect(st.update(20, 5, 7)).toBeDefined();
    st.reset();
    expect(st.d).toBeNaN();
    expect(st.update(1, 0, 1)).toBeUndefined();
  });

  it("rejects bad periods", () => {
    expect(() => new Stochastic(0)).toThrow(RangeError);
    expect(() => new Stochastic(14, 0)).toThrow(RangeError);
    expect(() => new Stochastic(14, 3, 1.5)).toThrow(RangeError);
  });

  it.each(DATASETS)("slow (14, 3, 3) matches @ixjb94/indicators on %s", (file) => {
    const cols = candles(file);
    const { high, low, close } = typed(cols);
    const ours = stochastic(high, low, close, 14, 3, 3);
    expect(firstReady(ours.d)).toBe(14 + 3 + 3 - 3);
    const [k, d] = new IndicatorsSync().stoch(cols.high, cols.low, cols.close, 14, 3, 3);
    expect(compareTail(ours.k, k!)).toBe(cols.rows - 17);
    expect(compareTail(ours.d, d!)).toBe(cols.rows - 17);
  });

  it.each(DATASETS)("fast (14, 1, 3) matches technicalindicators (which has no %K smoothing) on %s", (file) => {
    const cols = candles(file);
    const { high, low, close } = typed(cols);
    const ours = stochastic(high, low, close, 14, 1, 3);
    const theirs = TiStochastic.calculate({
      period: 14,
      signalPeriod: 3,
      high: cols.high,
      low: cols.low,
      close: cols.close,
    }).filter((r) => r.d !== undefined);
    expect(
      compareTail(
        ours.k,
        theirs.map((r) => r.k),
      ),
    ).toBe(cols.rows - 15);
    expect(
      compareTail(
        ours.d,
        theirs.map((r) => r.d as number),
      ),
    ).toBe(cols.rows - 15);
  });
});
