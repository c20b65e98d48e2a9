import { ATR } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { SuperTrend, superTrend } from "../../../core/indicators/index.ts";
import { candles, compareTail, DATASETS, firstReady, typed } from "./candles.ts";

/**
 * TradingView's `ta.supertrend` (Pine v5 reference source), transcribed as written, with technicalindicators'
 * ATR as its ATR. Pine's direction is 1 for down and -1 for up; it is flipped here to our sign.
 */
function pineSuperTrend(high: number[], low: number[], close: number[], atr: number[], factor: number) {
  const value: number[] = [];
  const direction: number[] = [];
  let prevUpper = Number.NaN;
  let prevLower = Number.NaN;
  let prevSuperTrend = Number.NaN;
  for (let i = 0; i < high.length; i++) {
    const a = atr[i]!;
    if (Number.isNaN(a)) {
      value.push(Number.NaN);
      direction.push(Number.NaN);
      continue;
    }
    const src = (high[i]! + low[i]!) / 2;
    let upperBand = src + factor * a;
    let lowerBand = src - factor * a;
    const prevLowerBand = Number.isNaN(prevLower) ? 0 : prevLower; // nz(lowerBand[1])
    const prevUpperBand = Number.isNaN(prevUpper) ? 0 : prevUpper;
    lowerBand = lowerBand > prevLowerBand || close[i - 1]! < prevLowerBand ? lowerBand : prevLowerBand;
    upperBand = upperBand < prevUpperBand || close[i - 1]! > prevUpperBand ? upperBand : prevUpperBand;
    let dir: number;
    if (Number.isNaN(atr[i - 1]!)) dir = 1;
    else if (prevSuperTrend === prevUpperBand) dir = close[i]! > upperBand ? -1 : 1;
    else dir = close[i]! < lowerBand ? 1 : -1;
    const st = dir === -1 ? lowerBand : upperBand;
    value.push(st);
    direction.push(-dir);
    prevUpper = upperBand;
    prevLower = lowerBand;
    prevSuperTrend = st;
  }
  return { value, direction };
}

describe("SuperTrend", () => {
  it("ratchets its bands and flips on a close through them (hand-computed, period 1, multiplier 1)", () => {
    const st = new SuperTrend(1, 1);
    expect(st.update(10, 8, 9)).toBeUndefined(); // no ATR yet
    // ATR 2 (true range), mid 10: bands 12 / 8; starts in a down trend on the upper band
    expect(st.update(11, 9, 10)).toBe(st);
    expect([st.value, st.direction]).toEqual([12, -1]);
    // TR 3, mid 12: basic 15 / 9; upper stays 12 (15 is higher and the close 10 did not break 12);
    // lower rises to 9; close 12.5 > 12 flips up: line = lower band 9
    st.update(13, 11, 12.5);
    expect([st.value, st.direction]).toEqual([9, 1]);
    // TR 1, mid 12: basic 13 / 11; lower rises to 11; close 12 stays above it
    st.update(12.5, 11.5, 12);
    expect([st.value, st.direction]).toEqual([11, 1]);
    // TR 3, mid 10: basic 13 / 7; lower stays 11 (7 is lower, previous close 12 above it); close 9.5 < 11
    // flips down: line = upper band, which had reset to 13 after the close 12.5 broke the old 12
    st.update(11, 9, 9.5);
    expect([st.value, st.direction]).toEqual([13, -1]);
  });

  it("warm-up lasts `period` candles; reset starts over", () => {
    const st = new SuperTrend(3, 2);
    for (let i = 0; i < 3; i++) {
      expect(st.update(11, 9, 10)).toBeUndefined();
      expect(st.ready).toBe(false);
      expect(st.value).toBeNaN();
      expect(st.direction).toBeNaN();
    }
    expect(st.update(11, 9, 10)).toBeDefined();
    st.reset();
    expect(st.value).toBeNaN();
    expect(st.update(11, 9, 10)).toBeUndefined();
  });

  it("rejects bad arguments", () => {
    expect(() => new SuperTrend(0, 3)).toThrow(RangeError);
    expect(() => new SuperTrend(10, 0)).toThrow(RangeError);
  });

  it.each(DATASETS)("matches TradingView's rules over technicalindicators' ATR on %s", (file) => {
    const cols = candles(file);
    const { high, low, close } = typed(cols);
    const ours = superTrend(high, low, close, 10, 3);
    expect(firstReady(ours.value)).toBe(10);
    const atr = ATR.calculate({ period: 10, high: cols.high, low: cols.low, close: cols.close });
    const aligned = [...new Array<number>(cols.rows - atr.length).fill(Number.NaN), ...atr];
    const ref = pineSuperTrend(cols.high, cols.low, cols.close, aligned, 3);
    expect(compareTail(ours.value, ref.value.slice(10))).toBe(cols.rows - 10);
    expect(compareTail(ours.direction, ref.direction.slice(10))).toBe(cols.rows - 10);
    // Both trends occur, so both branches were compared.
    expect(new Set(ours.direction.slice(10))).toEqual(new Set([1, -1]));
  });
});
