import { IndicatorsSync } from "@ixjb94/indicators";
import { BollingerBands } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Bollinger, bollinger } from "../../../core/indicators/index.ts";
import { candles, compareTail, DATASETS, firstReady, loadCandles, typed } from "./candles.ts";

describe("Bollinger", () => {
  it("uses the SMA and the population standard deviation (hand-computed)", () => {
    const bb = new Bollinger(3, 2);
    expect(bb.update(1)).toBeUndefined();
    expect(bb.update(2)).toBeUndefined();
    // mean 2, variance ((1-2)^2 + 0 + (3-2)^2) / 3 = 2/3
    expect(bb.update(3)).toBe(bb);
    expect(bb.middle).toBe(2);
    expect(bb.upper).toBeCloseTo(2 + 2 * Math.sqrt(2 / 3), 12);
    expect(bb.lower).toBeCloseTo(2 - 2 * Math.sqrt(2 / 3), 12);
    // window 2, 3, 7: mean 4, variance (4 + 1 + 9) / 3 = 14/3
    bb.update(7);
    expect(bb.middle).toBeCloseTo(4, 12);
    expect(bb.upper).toBeCloseTo(4 + 2 * Math.sqrt(14 / 3), 12);
  });

  it("reads a flat window as exactly zero width", () => {
    const bb = new Bollinger(4, 2);
    for (const x of [100_000.01, 99_000.37, 101_234.5, 100_000.07]) bb.update(x);
    for (let i = 0; i < 4; i++) bb.update(64_123.45);
    expect(bb.middle).toBe(64_123.45);
    expect(bb.upper).toBe(64_123.45);
    expect(bb.lower).toBe(64_123.45);
  });

  it("warm-up and reset", () => {
    const bb = new Bollinger(2, 1);
    expect(bb.update(1)).toBeUndefined();
    expect(bb.ready).toBe(false);
    expect(bb.middle).toBeNaN();
    bb.update(3);
    expect(bb.upper).toBe(3); // mean 2, std 1
    bb.reset();
    expect(bb.upper).toBeNaN();
    expect(bb.update(10)).toBeUndefined();
    bb.update(10);
    expect(bb.upper).toBe(10);
  });

  it("rejects bad arguments", () => {
    expect(() => new Bollinger(0, 2)).toThrow(RangeError);
    expect(() => new Bollinger(20, -1)).toThrow(RangeError);
    expect(() => new Bollinger(20, Number.NaN)).toThrow(RangeError);
  });

  it.each(DATASETS)("matches technicalindicators and @ixjb94/indicators on %s", (file) => {
    const cols = candles(file);
    const ours = bollinger(typed(cols).close, 20, 2);
    expect(firstReady(ours.middle)).toBe(19);
    const theirs = BollingerBands.calculate({ period: 20, stdDev: 2, values: cols.close });
    const rows = cols.rows - 19;
    expect(
      compareTail(
        ours.middle,
        theirs.map((r) => r.middle),
      ),
    ).toBe(rows);
    expect(
      compareTail(
        ours.upper,
        theirs.map((r) => r.upper),
      ),
    ).toBe(rows);
    expect(
      compareTail(
        ours.lower,
        theirs.map((r) => r.lower),
      ),
    ).toBe(rows);
    // The width alone, relative to itself: a much stricter check of the standard deviation than the bands.
    const width = ours.upper.map((u, i) => u - ours.lower[i]!);
    expect(
      compareTail(
        width,
        theirs.map((r) => r.upper - r.lower),
      ),
    ).toBe(rows);
    const [lower, middle, upper] = new IndicatorsSync().bbands(cols.close, 20, 2);
    expect(compareTail(ours.middle, middle!)).toBe(rows);
    expect(compareTail(ours.upper, upper!)).toBe(rows);
    expect(compareTail(ours.lower, lower!)).toBe(rows);
  });

  it("keeps the standard deviation exact on a quiet five-minute series (303k BTC candles)", () => {
    // Binance closes have two decimals, so in integer cents the window variance is exact in BigInt.
    const cols = loadCandles("binance_BTC-USDT_5m.csv.gz");
    const ours = bollinger(Float64Array.from(cols.close), 20, 0.5); // upper - lower = std
    const cents = cols.close.map((x) => BigInt(Math.round(x * 100)));
    let s = 0n;
    let s2 = 0n;
    let worst = 0;
    for (let i = 0; i < cents.length; i++) {
      s += cents[i]!;
      s2 += cents[i]! * cents[i]!;
      if (i >= 20) {
        s -= cents[i - 20]!;
        s2 -= cents[i - 20]! * cents[i - 20]!;
      }
      if (i < 19) continue;
      const exact = Math.sqrt(Number(20n * s2 - s * s) / 400) / 100;
      const std = ours.upper[i]! - ours.lower[i]!;
      worst = Math.max(worst, Math.abs(std - exact) / Math.max(exact, 0.01));
    }
    expect(worst).toBeLessThan(1e-8);
  });
});
