import { describe, expect, it } from "vitest";
import {
  atrScaledAmount,
  baseAmount,
  equityPctAmount,
  fixedQuoteAmount,
  orderPrice,
  riskBasedAmount,
  sizeIntent,
} from "../../../core/risk/index.ts";
import { buy, exit, position, snap } from "./fixtures.ts";

describe("baseAmount", () => {
  it("turns each size kind into base units", () => {
    expect(baseAmount({ kind: "fraction", value: 0.5 }, 25_000, { quote: 1_000 })).toBe(0.02);
    expect(baseAmount({ kind: "quote", value: 500 }, 25_000, { quote: 1_000 })).toBe(0.02);
    expect(baseAmount({ kind: "base", value: 0.3 }, 25_000, { quote: 1_000 })).toBe(0.3);
    expect(baseAmount({ kind: "fraction", value: 0.25 }, 25_000, { held: 0.08 })).toBe(0.02);
  });
});

describe("sizeIntent", () => {
  it("sizes a fraction of the allocation at the reference price", () => {
    // 0.5 × 1000 USDT / 50 000 = 0.01 BTC
    const sized = sizeIntent(buy(0, { size: { kind: "fraction", value: 0.5 } }), snap());
    expect(sized).toEqual({ ok: true, amount: 0.01, reason: "0.5 of the 1000 USDT allocation at 50000 = 0.01 BTC" });
  });

  it("sizes a quote amount, rounding down to the amount step", () => {
    // 500 / 30 000 = 0.016666… → 0.01666 at step 0.00001
    const sized = sizeIntent(buy(0, { size: { kind: "quote", value: 500 } }), snap({ price: 30_000 }));
    expect(sized).toEqual({
      ok: true,
      amount: 0.01666,
      reason: "500 USDT at 30000 = 0.0166667 BTC, rounded down to the amount step 0.00001: 0.01666 BTC",
    });
  });

  it("does not call float noise a rounding", () => {
    // 333 / 50 000 is 0.00666 give or take one ulp: exactly 666 steps
    const sized = sizeIntent(buy(0, { size: { kind: "quote", value: 333 } }), snap());
    expect(sized).toEqual({ ok: true, amount: 0.00666, reason: "333 USDT at 50000 = 0.00666 BTC" });
  });

  it("rounds a base quantity down to the step", () => {
    const sized = sizeIntent(buy(0.0123456789), snap());
    expect(sized).toEqual({
      ok: true,
      amount: 0.01234,
      reason: "0.0123457 BTC, rounded down to the amount step 0.00001: 0.01234 BTC",
    });
  });

  it("sizes a limit order at its limit price", () => {
    const intent = buy(0, { type: "limit", limitPrice: 25_000, size: { kind: "quote", value: 500 } });
    expect(orderPrice(intent, snap())).toBe(25_000);
    expect(sizeIntent(intent, snap())).toMatchObject({ ok: true, amount: 0.02 });
  });

  it("reads an exit's fraction as a fraction of the position held, so 1 closes it all", () => {
    const s = snap({ positions: [position(0.04, { lastPrice: 90_000 })] });
    expect(sizeIntent(exit(0, { size: { kind: "fraction", value: 0.5 } }), s)).toEqual({
      ok: true,
      amount: 0.02,
      reason: "0.5 of the 0.04 BTC held = 0.02 BTC",
    });
    expect(sizeIntent(exit(0, { size: { kind: "fraction", value: 1 } }), s)).toMatchObject({ amount: 0.04 });
  });

  it("refuses sizes that are not positive numbers, and fractions above 1", () => {
    expect(sizeIntent(buy(-1), snap())).toEqual({ ok: false, reason: "size must be a positive number, got -1" });
    expect(sizeIntent(buy(Number.NaN), snap())).toEqual({
      ok: false,
      reason: "size must be a positive number, got NaN",
    });
    expect(sizeIntent(buy(0, { size: { kind: "fraction", value: 1.5 } }), snap())).toEqual({
      ok: false,
      reason: "a fraction must be at most 1, got 1.5",
    });
  });

  it("refuses to size without a price", () => {
    expect(sizeIntent(buy(0.1), snap({ price: 0 }))).toEqual({ ok: false, reason: "no valid price for BTC/USDT (0)" });
  });

  it("refuses an amount that rounds down to nothing", () => {
    expect(sizeIntent(buy(0.000004), snap())).toEqual({
      ok: false,
      reason: "0.000004 BTC, which rounds down to 0 at the amount step 0.00001",
    });
  });
});

describe("sizing helpers", () => {
  it("fixed quote and % of equity", () => {
    expect(fixedQuoteAmount(500, 25_000)).toBe(0.02);
    expect(equityPctAmount(10_000, 5, 25_000)).toBe(0.02);
    expect(fixedQuoteAmount(500, 0)).toBe(0);
  });

  it("risk-based: the stop distance risks riskPct of equity", () => {
    // 1% of 10 000 = 100 USDT at risk; 50 000 − 48 000 = 2000 per BTC → 0.05 BTC
    expect(riskBasedAmount({ equity: 10_000, riskPct: 1, entry: 50_000, stop: 48_000 })).toBe(0.05);
    // a short's stop above the entry: same distance, same size
    expect(riskBasedAmount({ equity: 10_000, riskPct: 1, entry: 50_000, stop: 52_000 })).toBe(0.05);
    expect(riskBasedAmount({ equity: 10_000, riskPct: 1, entry: 50_000, stop: 50_000 })).toBe(0);
  });

  it("ATR-scaled: riskPct of equity per multiple × ATR", () => {
    // 100 USDT at risk / (2 × 500) = 0.1 BTC; twice the ATR, half the size
    expect(atrScaledAmount({ equity: 10_000, riskPct: 1, atr: 500, multiple: 2 })).toBe(0.1);
    expect(atrScaledAmount({ equity: 10_000, riskPct: 1, atr: 1_000, multiple: 2 })).toBe(0.05);
    expect(atrScaledAmount({ equity: 10_000, riskPct: 1, atr: 0, multiple: 2 })).toBe(0);
  });
});
