import { describe, expect, it } from "vitest";
import {
  CCXT_PRECISION_MODE,
  decimalsOf,
  marketConstraints,
  precisionToStep,
  roundAmount,
  roundPrice,
  roundToStep,
} from "../../../core/risk/index.ts";

describe("roundToStep", () => {
  it("rounds 0.1 + 0.2 down to 0.3, not 0.2", () => {
    // 0.1 + 0.2 = 0.30000000000000004 and 0.3 / 0.1 = 2.9999999999999996: a naive floor gives 0.2.
    expect(roundToStep(0.1 + 0.2, 0.1, "down")).toBe(0.3);
    expect(roundAmount(0.3, 0.1)).toBe(0.3);
    expect(Math.floor(0.3 / 0.1) * 0.1).not.toBe(0.3); // the trap this guards against
  });

  it("rounds amounts DOWN to the step, never up", () => {
    expect(roundAmount(0.0239, 0.001)).toBe(0.023);
    expect(roundAmount(0.0231, 0.001)).toBe(0.023);
    expect(roundAmount(0.000999, 0.001)).toBe(0);
    // 1.15 / 0.05 = 22.999999999999996: still 23 steps
    expect(roundAmount(1.15, 0.05)).toBe(1.15);
    expect(roundAmount(0.07, 0.01)).toBe(0.07);
  });

  it("leaves no float noise in the result", () => {
    // 3 * 0.1 = 0.30000000000000004 in floating point; the result is cut to the step's decimals
    expect(roundToStep(0.31, 0.1, "down")).toBe(0.3);
    expect(roundAmount(0.123456789, 0.00001)).toBe(0.12345);
    expect(roundAmount(12.3456789, 1e-8)).toBe(12.3456789);
  });

  it("rounds prices to the nearest tick", () => {
    expect(roundPrice(27123.456, 0.01)).toBe(27123.46);
    expect(roundPrice(27123.454, 0.01)).toBe(27123.45);
    expect(roundPrice(100.3, 0.5)).toBe(100.5);
    expect(roundToStep(100.3, 0.5, "down")).toBe(100);
    expect(roundToStep(100.1, 0.5, "up")).toBe(100.5);
  });

  it("handles integer steps", () => {
    expect(roundAmount(1234, 10)).toBe(1230);
    expect(roundPrice(1234.5, 1)).toBe(1235);
  });

  it("treats a missing or non-positive step as no precision (MarketInfo uses 0 for unknown)", () => {
    expect(roundAmount(0.123456789, undefined)).toBe(0.123456789);
    expect(roundAmount(0.123456789, 0)).toBe(0.123456789);
  });
});

describe("decimalsOf", () => {
  it("counts decimals in plain and exponent spellings", () => {
    expect(decimalsOf(0.001)).toBe(3);
    expect(decimalsOf(1e-8)).toBe(8);
    expect(decimalsOf(2.5e-7)).toBe(8);
    expect(decimalsOf(0.25)).toBe(2);
    expect(decimalsOf(10)).toBe(0);
  });
});

describe("precision modes", () => {
  it("turns DECIMAL_PLACES into an exact step", () => {
    expect(precisionToStep(3, "decimals")).toBe(0.001);
    expect(precisionToStep(8, CCXT_PRECISION_MODE.DECIMAL_PLACES)).toBe(1e-8);
    expect(precisionToStep(0, "decimals")).toBe(1);
    expect(precisionToStep(4, "decimals")).toBe(0.0001);
    expect(10 ** -4).not.toBe(0.0001); // why the step is parsed, not computed
  });

  it("keeps TICK_SIZE as is", () => {
    expect(precisionToStep(0.001, "tick")).toBe(0.001);
    expect(precisionToStep(0.5, CCXT_PRECISION_MODE.TICK_SIZE)).toBe(0.5);
  });

  it("refuses SIGNIFICANT_DIGITS, whose step depends on the value", () => {
    expect(() => precisionToStep(5, CCXT_PRECISION_MODE.SIGNIFICANT_DIGITS)).toThrow(/SIGNIFICANT_DIGITS/);
  });

  it("reads a ccxt market in either mode", () => {
    // Binance BTC/USDT as ccxt 4 describes it (TICK_SIZE)
    const binance = {
      precision: { amount: 0.00001, price: 0.01 },
      limits: { amount: { min: 0.00001, max: 9000 }, cost: { min: 5, max: undefined } },
    };
    expect(marketConstraints(binance, CCXT_PRECISION_MODE.TICK_SIZE)).toEqual({
      amountStep: 0.00001,
      priceTick: 0.01,
      minAmount: 0.00001,
      maxAmount: 9000,
      minNotional: 5,
    });
    // An exchange reporting decimals, with nulls where it says nothing
    const decimals = { precision: { amount: 4, price: 2 }, limits: { amount: { min: null }, cost: { min: 10 } } };
    expect(marketConstraints(decimals, "decimals")).toEqual({ amountStep: 0.0001, priceTick: 0.01, minNotional: 10 });
    expect(marketConstraints({})).toEqual({});
  });
});

describe("roundToStep without printing", () => {
  it("gives, for steps of 10^-d, exactly the number the printed product parses to", () => {
    // The definition the shortcut replaces: units on the grid, times the step, printed with the step's
    // decimals and read back. A fixed generator, so a failure names the same values every run.
    let seed = 11;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const steps = [1e-8, 0.00001, 0.001, 0.01, 0.1, 1, 1e-12, 0.25, 5, 10];
    for (let i = 0; i < 6_000; i++) {
      const step = steps[i % steps.length] as number;
      const value = (next() - 0.25) * 10 ** Math.floor(next() * 12 - 4);
      for (const rounding of ["down", "up", "nearest"] as const) {
        const ratio = value / step;
        const whole = Math.round(ratio);
        const units =
          Math.abs(ratio - whole) <= 1e-9 * Math.max(1, Math.abs(whole))
            ? whole
            : rounding === "down"
              ? Math.floor(ratio)
              : rounding === "up"
                ? Math.ceil(ratio)
                : whole;
        const printed = Number((units * step).toFixed(decimalsOf(step)));
        expect(Object.is(roundToStep(value, step, rounding), printed)).toBe(true);
      }
    }
  });
});
