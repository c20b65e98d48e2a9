import { describe, expect, it } from "vitest";
import { createMemoryLedger } from "../../../core/backtest/memory-ledger.ts";
import type { Fill, Order } from "../../../core/domain/index.ts";
import type { Plan } from "../../../core/execution/executor/plan.ts";

function order(id: string): Order {
  return {
    clientOrderId: id,
    accountId: "a",
    strategyId: "s",
    intentId: id,
    symbol: "BTC/USDT",
    side: "buy",
    type: "market",
    amount: 1,
    status: "pending",
    filled: 0,
    fee: 0,
    createdAt: 1,
    updatedAt: 1,
  };
}

/** A plan that records a fill with `fillId` for whatever order it is applied to. */
const filling =
  (fillId: string) =>
  (stored: Order): Plan => ({
    order: { ...stored, status: "partially_filled", filled: stored.filled + 0.1 },
    changed: true,
    fill: {
      id: fillId,
      clientOrderId: stored.clientOrderId,
      accountId: stored.accountId,
      strategyId: stored.strategyId,
      symbol: stored.symbol,
      side: stored.side,
      amount: 0.1,
      price: 100,
      fee: 0,
      feeCurrency: "USDT",
      time: 2,
    },
  });

describe("memory ledger", () => {
  it("answers at once, and inserts a client order id once", () => {
    const ledger = createMemoryLedger();
    expect(ledger.insert(order("one"))).toBe(true);
    expect(ledger.insert({ ...order("one"), amount: 2 })).toBe(false);
    expect(ledger.find("one")).toMatchObject({ amount: 1 });
    expect(ledger.apply("missing", filling("x"))).toBeUndefined();
  });

  it("never records a fill id twice, whatever order it comes with", () => {
    const ledger = createMemoryLedger();
    for (const id of ["one", "two", "one:0"]) ledger.insert(order(id));
    const fillOf = (id: string, fillId: string) => (ledger.apply(id, filling(fillId)) as { fill?: Fill }).fill?.id;
    // The executor's own ids (<clientOrderId>:<amount>)
    expect(fillOf("one", "one:0.1")).toBe("one:0.1");
    expect(fillOf("one", "one:0.1")).toBeUndefined();
    // An id in another order's form, given with a different order, is the same fill
    expect(fillOf("two", "one:0.1")).toBeUndefined();
    // Ids of no order's form
    expect(fillOf("two", "trade-7")).toBe("trade-7");
    expect(fillOf("one", "trade-7")).toBeUndefined();
    // An order whose id holds the separator: "one:0:5" is its own, and also reads as one of "one"
    expect(fillOf("two", "one:0:5")).toBe("one:0:5");
    expect(fillOf("one:0", "one:0:5")).toBeUndefined();
    expect(fillOf("one", "one:0:5")).toBeUndefined();
  });
});
