import { describe, expect, it } from "vitest";
import {
  balance,
  concurrentPositions,
  exitSize,
  minOrderSize,
  singlePosition,
  totalExposure,
} from "../../../core/risk/index.ts";
import { buy, exit, position, snap } from "./fixtures.ts";

// Defaults: equity 10 000 USDT, BTC at 50 000, so 10% of equity (the single-position limit) is
// 1 000 USDT = 0.02 BTC and 50% (the exposure limit) is 5 000 USDT = 0.1 BTC.

describe("single-position (10% of equity)", () => {
  it("approves a position within the limit", () => {
    // 0.01 BTC × 50 000 = 500 USDT = 5%
    expect(singlePosition(buy(0.01), 0.01, snap())).toEqual({
      decision: "approve",
      rule: "single-position",
      reason: "position would be 5% of equity, limit 10%",
    });
  });

  it("approves a position exactly at the limit", () => {
    expect(singlePosition(buy(0.02), 0.02, snap()).decision).toBe("approve");
  });

  it("resizes a position over the limit down to it", () => {
    // 0.03 BTC = 1 500 USDT = 15%; the cap 0.02 BTC fits
    expect(singlePosition(buy(0.03), 0.03, snap())).toEqual({
      decision: "resize",
      rule: "single-position",
      reason: "position would be 15% of equity, limit 10%: resized to 0.02 BTC",
      amount: 0.02,
    });
  });

  it("counts what the strategy already holds", () => {
    // held 0.015 + 0.01 = 0.025 BTC = 12.5%; room 0.02 − 0.015 = 0.005 BTC
    const s = snap({ positions: [position(0.015)] });
    expect(singlePosition(buy(0.01), 0.01, s)).toMatchObject({
      decision: "resize",
      amount: 0.005,
      reason: "position would be 12.5% of equity, limit 10%: resized to 0.005 BTC",
    });
  });

  it("rejects when the position is already at or over the limit", () => {
    // held 0.021 BTC = 10.5%
    const s = snap({ positions: [position(0.021)] });
    expect(singlePosition(buy(0.001), 0.001, s)).toEqual({
      decision: "reject",
      rule: "single-position",
      reason: "position is already 10.5% of equity, limit 10%: no room to add",
    });
  });

  it("rejects when the room left rounds down to nothing at the amount step", () => {
    // held 0.0195 = 9.75%; room 0.0005 BTC, below the 0.001 step
    const s = snap({ positions: [position(0.0195)], market: { amountStep: 0.001 } });
    expect(singlePosition(buy(0.01), 0.01, s).reason).toBe(
      "position is already 9.75% of equity, limit 10%: no room to add",
    );
  });

  it("lets a non-reduce-only order flip a short into a long no bigger than the cap", () => {
    // short 0.01; buying 0.05 would leave long 0.04 = 20%; 0.01 closes the short + 0.02 new = 0.03
    const s = snap({ positions: [position(-0.01)] });
    expect(singlePosition(buy(0.05), 0.05, s)).toMatchObject({
      decision: "resize",
      amount: 0.03,
      reason: "position would be 20% of equity, limit 10%: resized to 0.03 BTC",
    });
  });

  it("ignores other strategies' positions in the symbol (total exposure counts them)", () => {
    const s = snap({ positions: [position(0.5, { strategyId: "s2" })] });
    expect(singlePosition(buy(0.01), 0.01, s).decision).toBe("approve");
  });

  it("rejects every entry when there is no equity", () => {
    expect(singlePosition(buy(0.01), 0.01, snap({ equity: 0 })).reason).toBe(
      "equity is 0 or below: no room for any position",
    );
  });

  it("sizes a limit order at its limit price", () => {
    // 0.03 BTC at 25 000 = 750 USDT = 7.5%: fits, where at 50 000 it would not
    expect(singlePosition(buy(0.03, { type: "limit", limitPrice: 25_000 }), 0.03, snap()).reason).toBe(
      "position would be 7.5% of equity, limit 10%",
    );
  });
});

describe("total-exposure (50% of equity)", () => {
  const eth = (quantity: number) => position(quantity, { symbol: "ETH/USDT", strategyId: "s2", lastPrice: 2_000 });

  it("approves when the total stays within the limit", () => {
    // ETH 1.5 × 2 000 = 3 000; + 0.03 BTC × 50 000 = 1 500 → 4 500 = 45%
    expect(totalExposure(buy(0.03), 0.03, snap({ positions: [eth(1.5)] }))).toEqual({
      decision: "approve",
      rule: "total-exposure",
      reason: "exposure would be 45% of equity, limit 50%",
    });
  });

  it("resizes to the room left by the other positions", () => {
    // 3 000 + 0.05 × 50 000 = 5 500 = 55%; room (5 000 − 3 000) / 50 000 = 0.04 BTC
    expect(totalExposure(buy(0.05), 0.05, snap({ positions: [eth(1.5)] }))).toEqual({
      decision: "resize",
      rule: "total-exposure",
      reason: "exposure would be 55% of equity, limit 50%: resized to 0.04 BTC",
      amount: 0.04,
    });
  });

  it("counts other strategies' positions in the same symbol", () => {
    // s2 holds 0.09 BTC = 4 500; room 500 USDT = 0.01 BTC
    const s = snap({ positions: [position(0.09, { strategyId: "s2" })] });
    expect(totalExposure(buy(0.02), 0.02, s)).toMatchObject({ decision: "resize", amount: 0.01 });
  });

  it("rejects when the account is already over the limit", () => {
    // 2.6 ETH × 2 000 = 5 200 = 52%
    expect(totalExposure(buy(0.01), 0.01, snap({ positions: [eth(2.6)] }))).toEqual({
      decision: "reject",
      rule: "total-exposure",
      reason: "exposure is already 52% of equity, limit 50%: no room to add",
    });
  });

  it("approves an order that lowers exposure even over the limit", () => {
    // ETH 6 000 + BTC short 0.04 (2 000) = 80%; buying 0.06 leaves long 0.02 (1 000): 70%
    const s = snap({ positions: [eth(3), position(-0.04)] });
    expect(totalExposure(buy(0.06), 0.06, s).reason).toBe(
      "exposure would be 70% of equity, limit 50%, but lower than the 80% now",
    );
  });
});

describe("concurrent-positions (10)", () => {
  const others = (n: number) =>
    Array.from({ length: n }, (_, i) => position(1, { symbol: `C${i}/USDT`, strategyId: "s2" }));

  it("approves a new position under the limit", () => {
    expect(concurrentPositions(buy(0.01), 0.01, snap({ positions: others(3) }))).toEqual({
      decision: "approve",
      rule: "concurrent-positions",
      reason: "would be position 4 of at most 10",
    });
  });

  it("rejects a new position at the limit", () => {
    expect(concurrentPositions(buy(0.01), 0.01, snap({ positions: others(10) }))).toEqual({
      decision: "reject",
      rule: "concurrent-positions",
      reason: "10 positions open, limit 10: no new position",
    });
  });

  it("approves adding to a position already open", () => {
    const s = snap({ positions: [...others(9), position(0.01)] });
    expect(concurrentPositions(buy(0.01), 0.01, s).reason).toBe(
      "adds to the open BTC/USDT position (10 open, limit 10)",
    );
  });

  it("does not count flat positions", () => {
    const s = snap({ positions: [...others(9), position(0, { symbol: "X/USDT" })] });
    expect(concurrentPositions(buy(0.01), 0.01, s).decision).toBe("approve");
  });
});

describe("balance", () => {
  it("approves a buy the free balance pays for", () => {
    expect(balance(buy(0.01), 0.01, snap()).reason).toBe("costs 500 USDT, 10000 USDT free");
  });

  it("resizes a buy to the free balance", () => {
    // 0.05 × 25 000 = 1 250 > 1 000; 1 000 / 25 000 = 0.04
    expect(balance(buy(0.05), 0.05, snap({ cash: 1_000, price: 25_000 }))).toEqual({
      decision: "resize",
      rule: "balance",
      reason: "costs 1250 USDT, 1000 USDT free: resized to 0.04 BTC",
      amount: 0.04,
    });
  });

  it("rejects when the balance buys less than one amount step", () => {
    // 0.1 / 50 000 = 0.000002 BTC < step 0.00001
    expect(balance(buy(0.01), 0.01, snap({ cash: 0.1 })).reason).toBe(
      "costs 500 USDT, 0.1 USDT free: not enough for any amount",
    );
  });

  it("approves sells, which spend no quote", () => {
    expect(balance(buy(0.01, { side: "sell" }), 0.01, snap({ cash: 0 })).reason).toBe("a sell spends no quote balance");
  });
});

describe("min-order-size (10 USDT configured, market 5 USDT and 0.00001 BTC)", () => {
  it("approves an order above both minimums", () => {
    expect(minOrderSize(buy(0.01), 0.01, snap())).toEqual({
      decision: "approve",
      rule: "min-order-size",
      reason: "order of 0.01 BTC (500 USDT) meets the 10 USDT minimum",
    });
  });

  it("rejects below the configured minimum", () => {
    // 0.0001 × 50 000 = 5 USDT
    expect(minOrderSize(buy(0.0001), 0.0001, snap()).reason).toBe(
      "order of 0.0001 BTC (5 USDT) is below the 10 USDT minimum (minOrderQuote)",
    );
  });

  it("rejects below the market's minimum notional when it is the larger", () => {
    const s = snap({ market: { amountStep: 0.00001, minNotional: 20 } });
    expect(minOrderSize(buy(0.0003), 0.0003, s)).toEqual({
      decision: "reject",
      rule: "min-order-size",
      reason: "order of 0.0003 BTC (15 USDT) is below the 20 USDT minimum (market minimum notional)",
    });
  });

  it("rejects below the market's minimum amount", () => {
    const s = snap({ market: { amountStep: 0.0001, minAmount: 0.001 } });
    expect(minOrderSize(buy(0.0005), 0.0005, s).reason).toBe(
      "order of 0.0005 BTC (25 USDT) is below the market minimum amount 0.001 BTC",
    );
  });

  it("reads zeros (MarketInfo's 'unknown') as no market minimum", () => {
    const s = snap({
      market: { amountStep: 0, priceTick: 0, minAmount: 0, minNotional: 0 },
      limits: { minOrderQuote: 0 },
    });
    expect(minOrderSize(buy(0.000001), 0.000001, s).decision).toBe("approve");
  });

  it("never blocks an exit, but warns when it is below the market's minimum", () => {
    // 0.00005 × 50 000 = 2.5 USDT < the market's 5
    const verdict = minOrderSize(exit(0.00005), 0.00005, snap());
    const message =
      "exit of 0.00005 BTC (2.5 USDT) is below the 5 USDT minimum (market minimum notional): the exchange may refuse it";
    expect(verdict).toEqual({
      decision: "approve",
      rule: "min-order-size",
      reason: message,
      warning: { rule: "min-order-size", level: 100, message },
    });
  });

  it("does not hold exits to the configured minimum", () => {
    // 5 USDT: under minOrderQuote 10, at the market's 5
    expect(minOrderSize(exit(0.0001), 0.0001, snap()).reason).toBe(
      "exit of 0.0001 BTC (5 USDT) meets the 5 USDT minimum",
    );
  });
});

describe("exit-size", () => {
  it("passes entries", () => {
    expect(exitSize(buy(0.01), 0.01, snap()).reason).toBe("an entry, not an exit");
  });

  it("rejects an exit with nothing held", () => {
    expect(exitSize(exit(0.01), 0.01, snap())).toEqual({
      decision: "reject",
      rule: "exit-size",
      reason: "nothing held in BTC/USDT to reduce",
    });
  });

  it("rejects a reduce-only order on the position's own side", () => {
    const s = snap({ positions: [position(0.2)] });
    expect(exitSize(exit(0.1, { side: "buy" }), 0.1, s).reason).toBe(
      "a reduce-only buy would add to the long 0.2 BTC position",
    );
  });

  it("caps an exit at the position held", () => {
    expect(exitSize(exit(0.5), 0.5, snap({ positions: [position(0.2)] }))).toEqual({
      decision: "resize",
      rule: "exit-size",
      reason: "exit of 0.5 BTC capped to the 0.2 BTC held",
      amount: 0.2,
    });
  });

  it("approves a partial exit, and covering a short", () => {
    expect(exitSize(exit(0.1), 0.1, snap({ positions: [position(0.2)] })).reason).toBe(
      "exit of 0.1 BTC of the 0.2 BTC held",
    );
    expect(exitSize(exit(0.1, { side: "buy" }), 0.1, snap({ positions: [position(-0.2)] })).decision).toBe("approve");
  });
});
