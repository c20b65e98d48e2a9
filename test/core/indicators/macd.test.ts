import { MACD } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Macd, macd } from "../../../core/indicators/index.ts";
import { candles, compareTail, DATASETS, firstReady, typed } from "./candles.ts";

describe("Macd", () => {
  it("is EMA(fast) - EMA(slow) with an EMA signal (hand-computed)", () => {
    // fast EMA(2): alpha 2/3; slow EMA(3): alpha 1/2; signal EMA(2) of the line.
    const m = new Macd(2, 3, 2);
    expect(m.update(1)).toBeUndefined(); // fast not seeded
    expect(m.update(2)).toBeUndefined(); // fast 1.5, slow not seeded
    // fast 1.5 + 2/3 * (3 - 1.5) = 2.5, slow (1 + 2 + 3) / 3 = 2, line 0.5; signal needs 2 lines
    expect(m.update(3)).toBeUndefined();
    // fast 2.5 + 2/3 * (6 - 2.5) = 29/6, slow 2 + (6 - 2) / 2 = 4, line 5/6; signal seed (1/2 + 5/6) / 2 = 2/3
    const out = m.update(6);
    expect(out).toBe(m);
    expect(m.macd).toBeCloseTo(5 / 6, 12);
    expect(m.signal).toBeCloseTo(2 / 3, 12);
    expect(m.histogram).toBeCloseTo(1 / 6, 12);
    // fast 29/6 + 2/3 * (0 - 29/6) = 29/18, slow 4 + (0 - 4) / 2 = 2, line -7/18;
    // signal 2/3 + 2/3 * (-7/18 - 2/3) = -1/27
    m.update(0);
    expect(m.macd).toBeCloseTo(-7 / 18, 12);
    expect(m.signal).toBeCloseTo(-1 / 27, 12);
    expect(m.histogram).toBeCloseTo(-7 / 18 + 1 / 27, 12);
  });

  it("is not ready until the signal is, and reads NaN before", () => {
    const m = new Macd(2, 3, 2);
    for (const x of [1, 2, 3]) {
      expect(m.update(x)).toBeUndefined();
      expect(m.ready).toBe(false);
      expect(m.macd).toBeNaN();
      expect(m.signal).toBeNaN();
      expect(m.histogram).toBeNaN();
    }
    expect(m.update(4)).toBeDefined();
    expect(m.ready).toBe(true);
  });

  it("reset restarts every EMA", () => {
    const m = new Macd(2, 3, 2);
    for (const x of [5, 9, 2, 7, 1]) m.update(x);
    m.reset();
    expect(m.macd).toBeNaN();
    for (const x of [1, 2, 3]) expect(m.update(x)).toBeUndefined();
    m.update(6);
    expect(m.signal).toBeCloseTo(2 / 3, 12);
  });

  it("rejects bad periods", () => {
    expect(() => new Macd(0, 26, 9)).toThrow(RangeError);
    expect(() => new Macd(12, 26, 0)).toThrow(RangeError);
  });

  it.each(DATASETS)("matches technicalindicators (EMA oscillator and signal) on %s", (file) => {
    const cols = candles(file);
    const ours = macd(typed(cols).close, 12, 26, 9);
    expect(firstReady(ours.signal)).toBe(26 + 9 - 2);
    const theirs = MACD.calculate({
      values: cols.close,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    }).filter((r) => r.signal !== undefined);
    const rows = cols.rows - (26 + 9 - 2);
    expect(
      compareTail(
        ours.macd,
        theirs.map((r) => r.MACD as number),
      ),
    ).toBe(rows);
    expect(
      compareTail(
        ours.signal,
        theirs.map((r) => r.signal as number),
      ),
    ).toBe(rows);
    expect(
      compareTail(
        ours.histogram,
        theirs.map((r) => r.histogram as number),
      ),
    ).toBe(rows);
  });
});
