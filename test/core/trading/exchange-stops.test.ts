import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryBus } from "../../../core/bus/index.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import type { OrderIntent } from "../../../core/domain/index.ts";
import type { ExchangeAdapter } from "../../../core/execution/exchange.ts";
import type { Store } from "../../../core/store/database.ts";
import { findPosition } from "../../../core/store/index.ts";
import { createTradingAccount, type TradingAccount } from "../../../core/trading/index.ts";
import { saveStops } from "../../../core/trading/stop-store.ts";
import type { FakeExchange } from "../../fakes/exchange/index.ts";
import { startFakeExchange } from "../../fakes/exchange/index.ts";
import { BINANCE_MARKETS, connect, guardNetwork } from "../execution/ccxt/helpers.ts";
import { candle, intent, LOOSE, STRATEGY, SYMBOL, T0, tempStore } from "./helpers.ts";

// Binance takes a buy's fee in the asset bought: 0.1 BTC bought leaves a position of 0.0999.
const HELD = 0.0999;
const network = guardNetwork();
let fake: FakeExchange;
let t: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
let clock: SimulatedClock;
const adapters: ExchangeAdapter[] = [];

beforeEach(async () => {
  clock = new SimulatedClock(T0);
  fake = await startFakeExchange({
    dialect: "binance",
    markets: BINANCE_MARKETS,
    balances: { USDT: 100_000 },
    prices: { [SYMBOL]: 50_000 },
    now: () => clock.now(),
  });
  t = await tempStore();
  store = t.store;
});
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.close();
  await fake.close();
  await t.cleanup();
});
afterAll(() => network.restore());

/** A live trading account on the fake Binance (which takes stop orders). */
async function liveAccount(): Promise<TradingAccount> {
  const exchange = connect(fake, fake.apiKey);
  adapters.push(exchange);
  expect(exchange.stopOrders).toBe(true);
  const account = createTradingAccount({
    accountId: "live",
    exchange,
    store,
    bus: new MemoryBus(),
    clock,
    globalLimits: LOOSE,
    quote: "USDT",
    equityEveryMs: 0,
    executor: { live: true },
  });
  await account.start();
  return account;
}

const stopOrders = () => [...fake.book.orders.values()].filter((o) => o.type === "stop");
const sells = () =>
  fake.requests.filter((r) => r.method === "POST" && r.path === "/api/v3/order" && r.params.side === "SELL");

/** Long 0.1 BTC from 50,000 with `exits` attached. */
async function longWith(account: TradingAccount, exits: Partial<OrderIntent>) {
  const c0 = candle(0, 50_000, 50_100, 49_900, 50_000);
  clock.set(c0.time);
  await account.onCandle(SYMBOL, c0);
  const entry = await account.handleIntent(intent(0, { size: { kind: "base", value: 0.1 }, ...exits }), c0, STRATEGY);
  expect(entry.fills).toHaveLength(1);
}

async function feed(account: TradingAccount, h: number, o: number, hi: number, lo: number, c: number) {
  clock.set(T0 + h * 3_600_000);
  return account.onCandle(SYMBOL, candle(h, o, hi, lo, c));
}

describe("protective stops placed on the exchange", () => {
  it("a stop-loss rests on the exchange, fills there, and the engine sends no exit of its own", async () => {
    const account = await liveAccount();
    await longWith(account, { stopLoss: { pct: 2 } });
    // The entry's stop-loss went to Binance as a STOP_LOSS for the whole position, and the store says so.
    expect(stopOrders()).toEqual([
      expect.objectContaining({ side: "sell", stopPrice: 49_000, amount: HELD, status: "open" }),
    ]);
    const resting = stopOrders()[0];
    const stored = await findPosition(store.db, { accountId: "live", strategyId: "s1", symbol: SYMBOL });
    expect(stored?.stops).toMatchObject({
      stopLoss: 49_000,
      onExchange: { clientOrderId: resting?.clientOrderId, level: 49_000 },
    });

    // The market falls through the stop: the exchange fills it. The candle that shows it sends nothing more.
    fake.setPrice(SYMBOL, 48_900);
    expect(resting?.status).toBe("filled");
    const hit = await feed(account, 1, 49_500, 49_600, 48_800, 48_900);
    expect(hit.outcomes).toEqual([]);
    expect(hit.fills).toEqual([
      expect.objectContaining({ side: "sell", amount: HELD, price: expect.closeTo(48_900, 6) }),
    ]);
    expect(account.status().positions).toEqual([]);
    expect(sells()).toHaveLength(1); // the stop order itself, nothing else
    // It counts as a stop-out: the cooldown holds the next entry.
    const again = await account.handleIntent(intent(1), candle(1, 49_500, 49_600, 48_800, 48_900), STRATEGY);
    expect(again.verdict?.rules.find((r) => r.rule === "cooldown")?.decision).toBe("reject");
    await account.stop();
  });

  it("a trailing stop follows the price: the resting order is cancelled and placed again higher", async () => {
    const account = await liveAccount();
    await longWith(account, { trailingStop: { mode: "percent", pct: 2 } });
    const first = stopOrders()[0];
    expect(first).toMatchObject({ stopPrice: 49_000, status: "open" });

    fake.setPrice(SYMBOL, 52_000);
    await feed(account, 1, 50_000, 52_000, 49_950, 51_900);
    expect(first?.status).toBe("cancelled");
    const open = stopOrders().filter((o) => o.status === "open");
    expect(open).toEqual([expect.objectContaining({ stopPrice: 50_960, amount: HELD })]);
    expect(account.status().positions[0]?.stops?.onExchange?.level).toBe(50_960);
    await account.stop();
  });

  it("a take-profit takes the resting stop off the exchange before it sells, so it sells once", async () => {
    const account = await liveAccount();
    await longWith(account, { stopLoss: { pct: 2 }, takeProfit: { pct: 4 } });
    fake.setPrice(SYMBOL, 52_100);
    const hit = await feed(account, 1, 50_500, 52_200, 50_400, 52_100);
    expect(hit.outcomes.map((o) => o.intent.reason)).toEqual(["take-profit"]);
    expect(stopOrders()[0]?.status).toBe("cancelled");
    expect(hit.fills).toEqual([expect.objectContaining({ side: "sell", amount: HELD })]);
    expect(account.status().positions).toEqual([]);
    expect(sells()).toHaveLength(2); // the stop (cancelled) and the exit
    expect(fake.book.balances.get("BTC")).toEqual({ free: 0, locked: 0 });
    await account.stop();
  });

  it("survives a restart: a stop that filled while the process was down is applied at start", async () => {
    const first = await liveAccount();
    await longWith(first, { stopLoss: { pct: 2 } });
    await first.stop();
    // Down: the market falls through the stop, which fills on the exchange.
    fake.setPrice(SYMBOL, 48_500);
    const restarted = await liveAccount();
    expect(restarted.status().positions).toEqual([]);
    const stored = await findPosition(store.db, { accountId: "live", strategyId: "s1", symbol: SYMBOL });
    expect(stored?.quantity ?? 0).toBe(0);
    expect(sells()).toHaveLength(1);
    // It was a stop-out: the cooldown holds the next entry straight away.
    const again = await restarted.handleIntent(intent(1), candle(1, 48_500, 48_600, 48_400, 48_500), STRATEGY);
    expect(again.verdict?.rules.find((r) => r.rule === "cooldown")?.decision).toBe("reject");
    await restarted.stop();
  });

  it("after a crash between cancelling a stop and placing the next, the next settle places it", async () => {
    const first = await liveAccount();
    await longWith(first, { stopLoss: { pct: 2 } });
    await first.stop();
    // The stored stops still name an order that is gone from the exchange.
    const gone = stopOrders()[0];
    fake.book.cancel(gone as NonNullable<typeof gone>);
    const restarted = await liveAccount();
    expect(restarted.status().positions[0]?.stops?.onExchange).toBeUndefined();
    await feed(restarted, 1, 50_000, 50_100, 49_900, 50_000);
    const open = stopOrders().filter((o) => o.status === "open");
    expect(open).toEqual([expect.objectContaining({ stopPrice: 49_000, amount: HELD })]);
    expect(restarted.status().positions[0]?.stops?.onExchange?.clientOrderId).toBe(open[0]?.clientOrderId);
    await restarted.stop();
  });

  it("after a crash between placing a stop and saving the stops, the open order is adopted, not placed again", async () => {
    const first = await liveAccount();
    await longWith(first, { stopLoss: { pct: 2 } });
    const placed = first.status().positions[0]?.stops;
    await first.stop();
    const { onExchange: _, ...unsaved } = placed as NonNullable<typeof placed>;
    await saveStops(store.db, { accountId: "live", strategyId: "s1", symbol: SYMBOL }, unsaved);
    const restarted = await liveAccount();
    await feed(restarted, 1, 50_000, 50_100, 49_900, 50_000);
    expect(stopOrders()).toHaveLength(1);
    expect(restarted.status().positions[0]?.stops?.onExchange?.clientOrderId).toBe(stopOrders()[0]?.clientOrderId);
    await restarted.stop();
  });
});
