import { IndicatorsSync } from "@ixjb94/indicators";
import { ATR } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Atr, atr, trueRange } from "../../../core/indicators/index.ts";
import { candles, close, compareTail, DATASETS, firstReady, typed } from "./candles.ts";

describe("Atr", () => {
  it("true range widens the bar to a gap from the previous close", () => {
    expect(trueRange(12, 10, 11)).toBe(2);
    expect(trueRange(105, 100, 95)).toBe(10); // gap up
    expect(trueRange(90, 85, 100)).toBe(15); // gap down
  });

  it("averages the first true ranges, then smooths Wilder-style (hand-computed)", () => {
    const a = new Atr(2);
    expect(a.update(10, 8, 9)).toBeUndefined(); // no previous close: no true range
    expect(a.update(11, 9, 10)).toBeUndefined(); // tr max(2, |11-9|, |9-9|) = 2
    expect(a.update(14, 10, 13)).toBe(3); // tr max(4, 4, 0) = 4; mean of 2 and 4
    expect(a.update(13, 12, 12)).toBe(2); // tr max(1, 0, 1) = 1; 3 + (1 - 3) / 2
    expect(a.value).toBe(2);
  });

  it("warm-up lasts `period` candles; reset starts over", () => {
    const a = new Atr(3);
    for (let i = 0; i < 3; i++) {
      expect(a.update(2, 1, 1.5)).toBeUndefined();
      expect(a.ready).toBe(false);
      expect(a.value).toBeNaN();
    }
    expect(a.update(2, 1, 1.5)).toBe(1);
    a.reset();
    expect(a.value).toBeNaN();
    expect(a.update(2, 1, 1.5)).toBeUndefined();
  });

  it("rejects bad periods", () => {
    expect(() => new Atr(0)).toThrow(RangeError);
  });

  it.each(DATASETS)("matches technicalindicators on %s", (file) => {
    const cols = candles(file);
    const { high, low, close: c } = typed(cols);
    const ours = atr(high, low, c, 14);
    expect(firstReady(ours)).toBe(14);
    const theirs = ATR.calculate({ period: 14, high: cols.high, low: cols.low, close: cols.close });
    expect(compareTail(ours, theirs)).toBe(cols.rows - 14);
  });

  it.each(DATASETS)("converges to @ixjb94/indicators (which counts the first bar's range) on %s", (file) => {
    // Tulip's ATR is ready one candle earlier, taking high - low of the first candle as a true range; the
    // difference decays by 13/14 per candle, below 1e-12 relative after 400.
    const cols = candles(file);
    const { high, low, close: c } = typed(cols);
    const ours = atr(high, low, c, 14);
    const theirs = new IndicatorsSync().atr(cols.high, cols.low, cols.close, 14);
    const offset = cols.rows - theirs.length;
    for (let i = 400; i < cols.rows; i++) expect(close(ours[i]!, theirs[i - offset]!)).toBe(true);
  });
});
