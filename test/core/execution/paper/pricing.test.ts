import { describe, expect, it } from "vitest";
import {
  feeOf,
  fillableAmount,
  isMarketable,
  limitCrossed,
  marketFillPrice,
} from "../../../../core/execution/paper/index.ts";

describe("paper fill rules", () => {
  it("market orders slip against the taker, onto the tick", () => {
    expect(marketFillPrice("buy", 100, 10, 0.01)).toBe(100.1);
    expect(marketFillPrice("sell", 100, 10, 0.01)).toBe(99.9);
    expect(marketFillPrice("buy", 27_123.45, 3, 0.01)).toBe(27_131.59);
    expect(marketFillPrice("buy", 100, 0, 0)).toBe(100);
  });

  it("a limit is crossed when the bar trades at or through it", () => {
    expect(limitCrossed("buy", 99, { low: 99, high: 101 })).toBe(true);
    expect(limitCrossed("buy", 99, { low: 99.01, high: 101 })).toBe(false);
    expect(limitCrossed("sell", 101, { low: 99, high: 101 })).toBe(true);
    expect(limitCrossed("sell", 101.5, { low: 99, high: 101 })).toBe(false);
  });

  it("a limit at or beyond the last price is marketable", () => {
    expect(isMarketable("buy", 100, 100)).toBe(true);
    expect(isMarketable("buy", 99, 100)).toBe(false);
    expect(isMarketable("sell", 99, 100)).toBe(true);
    expect(isMarketable("sell", 99, undefined)).toBe(false);
  });

  it("volume share caps what one candle fills", () => {
    expect(fillableAmount(10, { volume: 20 }, 0.25)).toBe(5);
    expect(fillableAmount(3, { volume: 20 }, 0.25)).toBe(3);
    expect(fillableAmount(3, { volume: 0 }, 0.25)).toBe(0);
    expect(fillableAmount(3, { volume: 0 })).toBe(3);
  });

  it("fees are percent of the notional", () => {
    expect(feeOf(1000, 0.1)).toBe(1);
    expect(feeOf(9_900, 0.05)).toBeCloseTo(4.95, 12);
  });
});
