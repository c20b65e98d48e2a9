import { IndicatorsSync } from "@ixjb94/indicators";
import { RSI } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Rsi, rsi } from "../../../core/indicators/index.ts";
import { candles, compareTail, DATASETS, firstReady, typed } from "./candles.ts";

describe("Rsi", () => {
  it("uses Wilder's smoothing seeded with the mean of the first changes (hand-computed)", () => {
    const r = new Rsi(2);
    expect(r.update(10)).toBeUndefined();
    expect(r.update(11)).toBeUndefined(); // +1
    expect(r.update(10)).toBe(50); // -1: avg gain 0.5, avg loss 0.5
    // +2: avg gain 0.5 + (2 - 0.5) / 2 = 1.25, avg loss 0.5 + (0 - 0.5) / 2 = 0.25 -> 100 * 1.25 / 1.5
    expect(r.update(12)).toBeCloseTo(250 / 3, 12);
    // -3: avg gain 1.25 / 2 = 0.625, avg loss (0.25 + 3) / 2 = 1.625 -> 100 * 0.625 / 2.25
    expect(r.update(9)).toBeCloseTo(62.5 / 2.25, 12);
  });

  it("reads 100 on only gains, 0 on only losses, 50 with no movement at all", () => {
    expect(Array.from(rsi(Float64Array.of(1, 2, 3, 4), 3))[3]).toBe(100);
    expect(Array.from(rsi(Float64Array.of(4, 3, 2, 1), 3))[3]).toBe(0);
    expect(Array.from(rsi(Float64Array.of(5, 5, 5, 5), 3))[3]).toBe(50);
  });

  it("needs period + 1 closes", () => {
    const r = new Rsi(3);
    for (const x of [1, 2, 3]) {
      expect(r.update(x)).toBeUndefined();
      expect(r.value).toBeNaN();
      expect(r.ready).toBe(false);
    }
    expect(r.update(4)).toBe(100);
    expect(r.ready).toBe(true);
  });

  it("reset forgets the previous close", () => {
    const r = new Rsi(1);
    r.update(100);
    r.update(50);
    r.reset();
    expect(r.update(1)).toBeUndefined();
    expect(r.update(2)).toBe(100);
  });

  it("rejects bad periods", () => {
    expect(() => new Rsi(0)).toThrow(RangeError);
  });

  it.each(DATASETS)("matches @ixjb94/indicators, and technicalindicators to its 2 decimals, on %s", (file) => {
    const cols = candles(file);
    const ours = rsi(typed(cols).close, 14);
    expect(firstReady(ours)).toBe(14);
    expect(compareTail(ours, new IndicatorsSync().rsi(cols.close, 14))).toBe(cols.rows - 14);
    // technicalindicators rounds its RSI with toFixed(2).
    const theirs = RSI.calculate({ period: 14, values: cols.close });
    expect(theirs.length).toBe(cols.rows - 14);
    for (let j = 0; j < theirs.length; j++)
      expect(Math.abs(ours[14 + j]! - theirs[j]!)).toBeLessThanOrEqual(0.005 + 1e-9);
  });
});
