import type { MarketInterface, Order } from "ccxt";
import { describe, expect, it } from "vitest";
import {
  DECIMAL_PLACES,
  SIGNIFICANT_DIGITS,
  TICK_SIZE,
  toMarketInfo,
  toStep,
} from "../../../../core/execution/ccxt/markets.ts";
import { feeOf, orderStatus, toExchangeOrder } from "../../../../core/execution/ccxt/orders.ts";

const market = (precision: { amount?: number; price?: number }, limits: Record<string, { min?: number }> = {}) =>
  ({
    symbol: "ETH/BTC",
    base: "ETH",
    quote: "BTC",
    active: undefined,
    spot: true,
    precision,
    limits,
  }) as unknown as MarketInterface;

describe("market precision, whatever ccxt's precision mode", () => {
  it("turns decimal places into steps and keeps ticks as they are", () => {
    expect(toStep(2, DECIMAL_PLACES)).toBe(0.01);
    expect(toStep(8, DECIMAL_PLACES)).toBe(1e-8);
    expect(toStep(0, DECIMAL_PLACES)).toBe(1);
    expect(toStep(0.005, TICK_SIZE)).toBe(0.005);
  });

  it("gives 0 (no step) for significant digits and for missing precision", () => {
    expect(toStep(5, SIGNIFICANT_DIGITS)).toBe(0);
    expect(toStep(undefined, TICK_SIZE)).toBe(0);
  });

  it("builds a MarketInfo from a DECIMAL_PLACES market, falling back to a per-quote minimum", () => {
    const info = toMarketInfo(market({ amount: 3, price: 6 }, { amount: { min: 0.001 } }), DECIMAL_PLACES, {
      BTC: 0.0001,
    });
    expect(info).toEqual({
      symbol: "ETH/BTC",
      base: "ETH",
      quote: "BTC",
      amountStep: 0.001,
      priceTick: 0.000001,
      minAmount: 0.001,
      minNotional: 0.0001,
      active: true,
    });
    expect(toMarketInfo(market({}, { cost: { min: 0.0002 } }), TICK_SIZE, { BTC: 0.0001 }).minNotional).toBe(0.0002);
  });
});

describe("order status with the fill taken into account", () => {
  it.each([
    ["open", "limit", 0, "open"],
    ["open", "limit", 0.1, "partially_filled"],
    ["closed", "limit", 1, "filled"],
    ["canceled", "limit", 0.1, "cancelled"],
    ["canceled", "market", 0.1, "filled"],
    ["canceled", "market", 0, "cancelled"],
    ["expired", "market", 0.1, "expired"],
    ["rejected", "limit", 0, "rejected"],
  ] as const)("%s %s filled %d -> %s", (status, type, filled, expected) => {
    expect(orderStatus(status, type, filled)).toBe(expected);
  });

  it("fills what a terse reply leaves out from what we asked", () => {
    const terse = { id: "42", status: "open", filled: 0 } as unknown as Order;
    expect(
      toExchangeOrder(terse, {
        clientOrderId: "qc-1",
        symbol: "BTC/USDT",
        side: "sell",
        type: "limit",
        amount: 2,
        price: 10,
        time: 5,
      }),
    ).toEqual({
      exchangeOrderId: "42",
      clientOrderId: "qc-1",
      symbol: "BTC/USDT",
      side: "sell",
      type: "limit",
      amount: 2,
      price: 10,
      status: "open",
      filled: 0,
      averagePrice: undefined,
      fee: 0,
      feeCurrency: undefined,
      time: 5,
    });
  });
});

describe("fees", () => {
  it("sums the fees of the currency actually paid", () => {
    expect(
      feeOf({
        fees: [
          { currency: "BNB", cost: 0 },
          { currency: "BTC", cost: 0.1 },
          { currency: "BTC", cost: 0.2 },
        ],
      }),
    ).toEqual({ cost: expect.closeTo(0.3, 10), currency: "BTC" });
    expect(feeOf({ fee: { currency: "USDT", cost: 0 } })).toEqual({ cost: 0, currency: "USDT" });
    expect(feeOf({})).toEqual({ cost: 0 });
  });
});
