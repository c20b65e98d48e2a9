import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BusEvents } from "../../../core/bus/index.ts";
import type { Store } from "../../../core/store/database.ts";
import { findPosition, listEquity, listRiskVerdicts } from "../../../core/store/index.ts";
import type { StrategyRunner } from "../../../core/strategy/runner.ts";
import { handleEmitted, type StrategySession, stepResult } from "../../../core/trading/session.ts";
import { switchTradingState } from "../../../core/trading/trading-state.ts";
import { candle, feed, intent, LOOSE, paperAccount, recordingBus, STRATEGY, SYMBOL, T0, tempStore } from "./helpers.ts";

let t: Awaited<ReturnType<typeof tempStore>>;
let store: Store;

beforeEach(async () => {
  t = await tempStore();
  store = t.store;
});
afterEach(async () => {
  await t.cleanup();
});

describe("the trading pipeline of one account", () => {
  it("takes an intent to a stored, published verdict, an order, a fill, a position and equity", async () => {
    const { bus, events } = recordingBus();
    const { account, clock } = await paperAccount(store, { bus, equityEveryMs: 60_000 });
    await feed(account, clock, candle(0, 100, 101, 99, 100));
    const buy = intent(0, { size: { kind: "quote", value: 1000 } });
    const outcome = await account.handleIntent(buy, candle(0, 100, 101, 99, 100), STRATEGY);

    expect(outcome.verdict?.decision).toBe("approve");
    expect(outcome.order?.status).toBe("filled");
    expect(outcome.fills).toHaveLength(1);
    const fill = outcome.fills[0]!;
    expect(fill).toMatchObject({ side: "buy", amount: 10, price: 100, fee: 1, time: T0, strategyId: "s1" });

    const stored = await listRiskVerdicts(store.db, { intentId: buy.id });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ decision: "approve", amount: 10, strategyId: "s1", side: "buy" });
    expect(stored[0]!.rules.map((r) => r.rule)).toContain("single-position");

    await bus.drain();
    const topics = events.map((e) => e.topic);
    expect(topics.indexOf("risk.verdict")).toBeLessThan(topics.indexOf("order.filled"));
    const published = events.find((e) => e.topic === "risk.verdict")!.payload as BusEvents["risk.verdict"];
    expect(published).toMatchObject({ intentId: buy.id, decision: "approve" });

    expect(await findPosition(store.db, { accountId: "paper", strategyId: "s1", symbol: SYMBOL })).toMatchObject({
      quantity: 10,
      entryPrice: 100,
      realizedPnl: -1,
    });
    expect(account.snapshotFor(STRATEGY)).toEqual({
      cash: 8999,
      allocation: 9999,
      positions: { [SYMBOL]: { quantity: 10, entryPrice: 100 } },
    });

    // The next candle marks the position at 110: equity 8999 + 1100.
    await feed(account, clock, candle(1, 100, 111, 100, 110));
    expect(account.valuation()).toEqual({ equity: 10_099, cash: 8999 });
    const curve = await listEquity(store.db, { accountId: "paper" });
    expect(curve.at(-1)).toMatchObject({ time: T0 + 3_600_000, equity: 10_099, cash: 8999 });
    await account.stop();
  });

  it("rejects with reasons on the bus, stores the rejection, and never calls the strategy's onFill", async () => {
    const { bus, events } = recordingBus();
    const { account, clock } = await paperAccount(store, { bus, globalLimits: { ...LOOSE, maxPositionPct: 10 } });
    await feed(account, clock, candle(0, 100, 101, 99, 100));
    // Disabled symbol: rejected outright.
    const { account: strict } = { account };
    const onFill = vi.fn();
    const session: StrategySession = {
      strategy: { ...STRATEGY, limits: { disabledSymbols: [SYMBOL] } },
      runner: { onFill, wantsFills: true } as unknown as StrategyRunner,
      symbols: [SYMBOL],
    };
    const result = stepResult();
    const buy = intent(0);
    await handleEmitted(strict, session, [{ intent: buy, candle: candle(0, 100, 101, 99, 100), step: 0 }], result);
    expect(result.outcomes[0]?.verdict?.decision).toBe("reject");
    expect(result.outcomes[0]?.submit).toEqual({ kind: "denied", reason: expect.stringContaining("disabled") });
    expect(result.fills).toEqual([]);
    expect(onFill).not.toHaveBeenCalled();

    await bus.drain();
    const verdict = events.find((e) => e.topic === "risk.verdict")!.payload as BusEvents["risk.verdict"];
    expect(verdict.decision).toBe("reject");
    expect(verdict.reasons.some((r) => r.startsWith("symbol-enabled:") && r.includes("disabled"))).toBe(true);
    expect(events.some((e) => e.topic === "order.updated")).toBe(false);
    expect((await listRiskVerdicts(store.db, { decision: "reject" }))[0]?.intentId).toBe(buy.id);
    await account.stop();
  });

  it("hands a fill to the strategy's onFill, and sends what onFill asks for", async () => {
    const { account, clock } = await paperAccount(store);
    const c0 = candle(0, 100, 101, 99, 100);
    await feed(account, clock, c0);
    const exit = intent(0, {
      side: "sell",
      reduceOnly: true,
      size: { kind: "fraction", value: 1 },
      reason: "take it back",
    });
    const onFill = vi
      .fn()
      .mockResolvedValueOnce({ intents: [{ intent: exit, candle: c0, step: 0 }], reachedIndex: 1 })
      .mockResolvedValue({ intents: [], reachedIndex: 1 });
    const session: StrategySession = {
      strategy: STRATEGY,
      runner: { onFill, wantsFills: true } as unknown as StrategyRunner,
      symbols: [SYMBOL],
    };
    const result = stepResult();
    await handleEmitted(account, session, [{ intent: intent(0), candle: c0, step: 0 }], result);
    expect(onFill).toHaveBeenCalledTimes(2);
    expect(onFill.mock.calls[0]?.[0]).toEqual({
      symbol: SYMBOL,
      side: "buy",
      amount: 1,
      price: 100,
      fee: 0.1,
      time: T0,
    });
    expect(onFill.mock.calls[0]?.[1]).toMatchObject({ positions: { [SYMBOL]: { quantity: 1, entryPrice: 100 } } });
    expect(result.fills.map((f) => f.side)).toEqual(["buy", "sell"]);
    expect(account.snapshotFor(STRATEGY).positions).toEqual({});
    await account.stop();
  });

  it("resizes a buy to what the free cash pays for, the fee set aside", async () => {
    const { account, clock, paper } = await paperAccount(store, { globalLimits: null });
    await feed(account, clock, candle(0, 100, 101, 99, 100));
    const outcome = await account.handleIntent(
      intent(0, { size: { kind: "fraction", value: 1 } }),
      candle(0, 100, 101, 99, 100),
      STRATEGY,
    );
    expect(outcome.verdict?.decision).toBe("resize");
    expect(outcome.order?.status).toBe("filled");
    // 10 000 / 1.001 / 100 = 99.9000999 -> 99.90009 at the 0.00001 step: 9990.009 + a 9.990009 fee.
    expect(outcome.fills[0]?.amount).toBe(99.90009);
    expect((await paper.fetchBalance()).USDT?.free).toBeCloseTo(0.000991, 6);
    await account.stop();
  });

  it("refuses short sales on a spot account and allows them where shorting is on", async () => {
    const spot = await paperAccount(store);
    await feed(spot.account, spot.clock, candle(0, 100, 101, 99, 100));
    const short = await spot.account.handleIntent(intent(0, { side: "sell" }), candle(0, 100, 101, 99, 100), STRATEGY);
    expect(short.verdict?.decision).toBe("reject");
    expect(short.verdict?.rules.find((r) => r.rule === "short-selling")?.reason).toContain("no short selling");
    await spot.account.stop();

    const t2 = await tempStore();
    try {
      const margin = await paperAccount(t2.store, { allowShort: true });
      await feed(margin.account, margin.clock, candle(0, 100, 101, 99, 100));
      const ok = await margin.account.handleIntent(intent(0, { side: "sell" }), candle(0, 100, 101, 99, 100), STRATEGY);
      expect(ok.fills[0]).toMatchObject({ side: "sell", amount: 1, price: 100 });
      expect(margin.account.snapshotFor(STRATEGY).positions).toEqual({ [SYMBOL]: { quantity: -1, entryPrice: 100 } });
      await margin.account.stop();
    } finally {
      await t2.cleanup();
    }
  });
});

describe("the kill switch", () => {
  it("HALTED rejects entries and exits; REDUCING lets only exits through; ACTIVE again trades", async () => {
    const { bus, events } = recordingBus();
    const { account, clock } = await paperAccount(store, { bus });
    await feed(account, clock, candle(0, 100, 101, 99, 100));
    const c = candle(0, 100, 101, 99, 100);
    expect((await account.handleIntent(intent(0), c, STRATEGY)).fills).toHaveLength(1);

    // Chat's /halt: the one core function, not the account's own.
    await switchTradingState({ db: store.db, bus, clock }, "HALTED", "exchange outage", "telegram:42");
    const entry = await account.handleIntent(intent(0), c, STRATEGY);
    const exit = await account.handleIntent(
      intent(0, { side: "sell", reduceOnly: true, size: { kind: "fraction", value: 1 } }),
      c,
      STRATEGY,
    );
    for (const o of [entry, exit]) {
      expect(o.verdict?.decision).toBe("reject");
      expect(o.verdict?.rules.at(-1)).toMatchObject({ rule: "trading-state", decision: "reject" });
    }

    const change = await account.setTradingState("REDUCING", "winding down", "web:admin");
    expect(change).toEqual({ previous: "HALTED", state: "REDUCING", changed: true });
    expect(account.status().trading).toMatchObject({
      state: "REDUCING",
      reason: "winding down",
      changedBy: "web:admin",
    });
    expect((await account.handleIntent(intent(0), c, STRATEGY)).verdict?.decision).toBe("reject");
    const out = await account.handleIntent(
      intent(0, { side: "sell", reduceOnly: true, size: { kind: "fraction", value: 1 } }),
      c,
      STRATEGY,
    );
    expect(out.verdict?.decision).toBe("approve");
    expect(out.fills[0]).toMatchObject({ side: "sell", amount: 1 });

    await account.setTradingState("ACTIVE", "back to normal", "web:admin");
    expect((await account.handleIntent(intent(0), c, STRATEGY)).fills).toHaveLength(1);
    await bus.drain();
    expect(
      events.filter((e) => e.topic === "trading.state").map((e) => (e.payload as { state: string }).state),
    ).toEqual(["HALTED", "REDUCING", "ACTIVE"]);
    await account.stop();
  });

  it("a drawdown past the limit switches the account to REDUCING by itself", async () => {
    const { bus, events } = recordingBus();
    const { account, clock } = await paperAccount(store, { bus, globalLimits: { ...LOOSE, maxDrawdownPct: 20 } });
    await feed(account, clock, candle(0, 100, 101, 99, 100));
    const c0 = candle(0, 100, 101, 99, 100);
    await account.handleIntent(intent(0, { size: { kind: "base", value: 90 } }), c0, STRATEGY);
    await feed(account, clock, candle(1, 100, 100, 70, 70)); // equity about 10 000 - 2 700
    const entry = await account.handleIntent(intent(1), candle(1, 100, 100, 70, 70), STRATEGY);
    expect(entry.verdict?.decision).toBe("reject");
    expect(account.status().trading).toMatchObject({ state: "REDUCING", changedBy: "risk:max-drawdown" });
    await bus.drain();
    expect(events.find((e) => e.topic === "trading.state")?.payload).toMatchObject({
      state: "REDUCING",
      by: "risk:max-drawdown",
    });
    await account.stop();
  });
});
