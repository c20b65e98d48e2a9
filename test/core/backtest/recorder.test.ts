import { describe, expect, it } from "vitest";
import { RunRecorder } from "../../../core/backtest/recorder.ts";
import { roundTrips } from "../../../core/backtest/trades.ts";
import type { Fill, Order, OrderIntent } from "../../../core/domain/index.ts";
import type { IntentOutcome } from "../../../core/trading/types.ts";

function intent(n: number, side: "buy" | "sell", reason?: string): OrderIntent {
  return {
    id: `s:BTC/USDT:${n}`,
    strategyId: "s",
    symbol: "BTC/USDT",
    side,
    reduceOnly: side === "sell",
    size: { kind: "base", value: 1 },
    type: side === "sell" ? "limit" : "market",
    candleTime: n,
    ...(reason !== undefined && { reason }),
  };
}

function order(n: number, side: "buy" | "sell", status: Order["status"]): Order {
  return {
    clientOrderId: `qc-${n}`,
    accountId: "a",
    strategyId: "s",
    intentId: `s:BTC/USDT:${n}`,
    symbol: "BTC/USDT",
    side,
    type: "market",
    amount: 1,
    status,
    filled: status === "filled" ? 1 : 0,
    fee: 0,
    createdAt: n,
    updatedAt: n,
  };
}

function fill(n: number, side: "buy" | "sell", price: number): Fill {
  return {
    id: `qc-${n}:1`,
    clientOrderId: `qc-${n}`,
    accountId: "a",
    strategyId: "s",
    symbol: "BTC/USDT",
    side,
    amount: 1,
    price,
    fee: 0,
    feeCurrency: "USDT",
    time: n,
  };
}

const outcome = (i: OrderIntent, o: Order, fills: Fill[]): IntentOutcome => ({
  intent: i,
  submit: { kind: "new", order: o },
  order: o,
  fills,
});

describe("RunRecorder: why each trade ended", () => {
  it("names the exit of an order filled at once, and of one that rested and filled steps later", () => {
    const rec = new RunRecorder(10);
    // A round trip whose exit filled when sent.
    const b1 = fill(1, "buy", 100);
    rec.collect({ outcomes: [outcome(intent(1, "buy"), order(1, "buy", "filled"), [b1])], fills: [b1] });
    const s2 = fill(2, "sell", 110);
    rec.collect({
      outcomes: [outcome(intent(2, "sell", "take the profit"), order(2, "sell", "filled"), [s2])],
      fills: [s2],
    });
    // A round trip whose exit rested (a limit) and filled two steps later, among the host's fills.
    const b3 = fill(3, "buy", 100);
    rec.collect({ outcomes: [outcome(intent(3, "buy"), order(3, "buy", "filled"), [b3])], fills: [b3] });
    rec.collect({ outcomes: [outcome(intent(4, "sell", "resting exit"), order(4, "sell", "open"), [])], fills: [] });
    rec.collect({ outcomes: [], fills: [] });
    const s4 = { ...fill(4, "sell", 105), time: 6 };
    rec.collect({ outcomes: [], fills: [s4] });

    const trades = roundTrips(rec.fills, rec.reasonOf, {});
    expect(trades.map((t) => [t.entryPrice, t.exitPrice, t.exitReason])).toEqual([
      [100, 110, "take the profit"],
      [100, 105, "resting exit"],
    ]);
    expect(rec.verdictCounts()).toEqual({ approved: 0, resized: 0, rejected: 0 });
  });

  it("defaults the reason to what the intent did", () => {
    const rec = new RunRecorder(2);
    const b = fill(1, "buy", 100);
    const s = fill(2, "sell", 90);
    rec.collect({
      outcomes: [
        outcome(intent(1, "buy"), order(1, "buy", "filled"), [b]),
        outcome(intent(2, "sell"), order(2, "sell", "filled"), [s]),
      ],
      fills: [b, s],
    });
    expect(roundTrips(rec.fills, rec.reasonOf, {})[0]?.exitReason).toBe("exit");
  });

  it("keeps a step's reasons to that step: a fill answered twice takes the last, a later step's fill its own", () => {
    const rec = new RunRecorder(4);
    const b1 = fill(1, "buy", 100);
    const s2 = fill(2, "sell", 110);
    rec.collect({
      outcomes: [
        outcome(intent(1, "buy"), order(1, "buy", "filled"), [b1]),
        outcome(intent(2, "sell", "first word"), order(2, "sell", "filled"), [s2]),
        outcome(intent(2, "sell", "last word"), order(2, "sell", "filled"), [s2]),
      ],
      fills: [b1, s2],
    });
    // The next steps: an entry whose fill arrives with no outcome, then its exit.
    const b3 = fill(3, "buy", 100);
    rec.collect({ outcomes: [], fills: [b3] });
    const s4 = fill(4, "sell", 90);
    rec.collect({ outcomes: [outcome(intent(4, "sell", "stop"), order(4, "sell", "filled"), [s4])], fills: [s4] });
    const trades = roundTrips(rec.fills, rec.reasonOf, {});
    expect(trades.map((t) => t.exitReason)).toEqual(["last word", "stop"]);
    expect(rec.fills).toEqual([b1, s2, b3, s4]);
  });
});
