import { ADX } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Adx, adx } from "../../../core/indicators/index.ts";
import { candles, compareTail, DATASETS, firstReady, typed } from "./candles.ts";

describe("Adx", () => {
  it("follows Wilder's sums and averages (hand-computed, period 2)", () => {
    const a = new Adx(2);
    expect(a.update(10, 8, 9)).toBeUndefined();
    // +DM 2 (up 2, down -1), -DM 0, TR 3
    expect(a.update(12, 9, 11)).toBeUndefined();
    // +DM 1, -DM 0, TR 2: sums TR 5, +DM 3, -DM 0 -> +DI 60, -DI 0, DX 100
    expect(a.update(13, 11, 12)).toBeUndefined();
    // up -1, down 1: -DM 1, TR 2: TR 5 - 2.5 + 2 = 4.5, +DM 1.5, -DM 1 -> DI 33.33 / 22.22, DX 20; ADX (100 + 20) / 2
    expect(a.update(12, 10, 11)).toBe(a);
    expect(a.adx).toBeCloseTo(60, 12);
    expect(a.plusDi).toBeCloseTo(100 / 3, 12);
    expect(a.minusDi).toBeCloseTo(200 / 9, 12);
    // +DM 2, TR 3: TR 5.25, +DM 2.75, -DM 0.5 -> DX 100 * 2.25 / 3.25; ADX 60 + (DX - 60) / 2
    a.update(14, 11, 13);
    expect(a.plusDi).toBeCloseTo((100 * 2.75) / 5.25, 12);
    expect(a.minusDi).toBeCloseTo((100 * 0.5) / 5.25, 12);
    expect(a.adx).toBeCloseTo(60 + ((100 * 2.25) / 3.25 - 60) / 2, 12);
  });

  it("reads 0 rather than NaN when nothing moves", () => {
    const a = new Adx(2);
    for (let i = 0; i < 5; i++) a.update(10, 10, 10);
    expect(a.adx).toBe(0);
    expect(a.plusDi).toBe(0);
    expect(a.minusDi).toBe(0);
  });

  it("is ready on candle 2 * period; reset starts over", () => {
    const a = new Adx(3);
    for (let i = 0; i < 5; i++) {
      expect(a.update(10 + i, 9 + i, 9.5 + i)).toBeUndefined();
      expect(a.ready).toBe(false);
      expect(a.adx).toBeNaN();
    }
    expect(a.update(15, 14, 14.5)).toBeDefined();
    expect(a.adx).toBe(100);
    a.reset();
    expect(a.plusDi).toBeNaN();
    expect(a.update(1, 0, 1)).toBeUndefined();
  });

  it("rejects bad periods", () => {
    expect(() => new Adx(0)).toThrow(RangeError);
  });

  it.each(DATASETS)("matches technicalindicators (Wilder's definition) on %s", (file) => {
    const cols = candles(file);
    const { high, low, close } = typed(cols);
    const ours = adx(high, low, close, 14);
    expect(firstReady(ours.adx)).toBe(2 * 14 - 1);
    const theirs = ADX.calculate({ period: 14, high: cols.high, low: cols.low, close: cols.close });
    const rows = cols.rows - (2 * 14 - 1);
    expect(
      compareTail(
        ours.adx,
        theirs.map((r) => r.adx),
      ),
    ).toBe(rows);
    expect(
      compareTail(
        ours.plusDi,
        theirs.map((r) => r.pdi),
      ),
    ).toBe(rows);
    expect(
      compareTail(
        ours.minusDi,
        theirs.map((r) => r.mdi),
      ),
    ).toBe(rows);
  });
});
