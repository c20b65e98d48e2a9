import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Order } from "../../../../core/domain/index.ts";
import { createExecutor, createKyselyLedger, type Executor } from "../../../../core/execution/executor/index.ts";
import { createPaperExchange, type PaperExchange } from "../../../../core/execution/paper/index.ts";
import type { Store } from "../../../../core/store/database.ts";
import { findOrder, findPosition, listFills, listOrders, loadBalances } from "../../../../core/store/index.ts";
import { migrateToLatest } from "../../../../core/store/migrate.ts";
import { openTestStore, type TestStore } from "../../../helpers/db.ts";
import { approve, instantRuntime, intent, newClock, recordingBus, rejectVerdict, T0 } from "./helpers.ts";

const CANDLE = { time: T0, open: 50_000, high: 50_100, low: 49_900, close: 50_000, volume: 10 };
const KEY = { accountId: "paper", strategyId: "s1", symbol: "BTC/USDT" };

// The same order path on the three ledgers: raw SQLite statements, Kysely on SQLite, Kysely on PostgreSQL.
const LEDGERS = [
  { name: "sqlite (prepared statements)", dialect: "sqlite", kysely: false },
  { name: "sqlite (kysely)", dialect: "sqlite", kysely: true },
  { name: "postgres", dialect: "postgres", kysely: true },
] as const;

describe.each(LEDGERS)("executor with the paper exchange, $name", (variant) => {
  let opened: TestStore;
  let store: Store;
  let clock: ReturnType<typeof newClock>;
  let paper: PaperExchange;
  let executor: Executor;
  let recorded: ReturnType<typeof recordingBus>;

  async function setUp(options: { volumeShare?: number; limitTimeoutMs?: number } = {}) {
    paper = await createPaperExchange({
      accountId: "paper",
      clock,
      store,
      balances: { USDT: 100_000 },
      fees: { maker: 0.05, taker: 0.1 },
      slippageBps: 10,
      markets: { "BTC/USDT": { amountStep: 0.00001, priceTick: 0.01, minNotional: 5 } },
      ...(options.volumeShare !== undefined && { volumeShare: options.volumeShare }),
    });
    await paper.onCandle("BTC/USDT", CANDLE);
    executor = createExecutor({
      accountId: "paper",
      exchange: paper,
      store,
      bus: recorded.bus,
      clock,
      runtime: instantRuntime(clock),
      limitTimeoutMs: options.limitTimeoutMs ?? 3_600_000,
      ...(variant.kysely && { ledger: createKyselyLedger(store.db) }),
    });
  }

  beforeEach(async () => {
    opened = await openTestStore(variant.dialect, "executor-paper");
    store = opened.store;
    await migrateToLatest(store);
    clock = newClock();
    recorded = recordingBus();
  });

  afterEach(async () => {
    await paper?.close();
    await recorded.bus.close();
    await opened.cleanup();
  });

  it("market buy: stored, filled at the slipped price, taker fee, position and events", async () => {
    await setUp();
    const result = await executor.submit(intent(1), approve(0.1));
    expect(result.kind).toBe("new");
    const order = (result as { order: Order }).order;
    // 50 000 + 10 bps = 50 050; fee 0.1% of 5 005 = 5.005 USDT
    expect(order).toMatchObject({ status: "filled", filled: 0.1, averagePrice: 50_050, fee: 5.005 });
    expect(await findOrder(store.db, order.clientOrderId)).toMatchObject({ status: "filled", filled: 0.1 });
    const fills = await listFills(store.db, { accountId: "paper" });
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ amount: 0.1, price: 50_050, fee: 5.005, feeCurrency: "USDT", side: "buy" });
    const position = await findPosition(store.db, KEY);
    expect(position).toMatchObject({ quantity: 0.1, entryPrice: 50_050, fees: 5.005 });
    expect(position?.realizedPnl).toBeCloseTo(-5.005, 9);
    await recorded.bus.drain();
    expect(recorded.events.map((e) => e.topic)).toEqual(["order.filled", "order.updated"]);
    expect(recorded.events[0]?.payload).toMatchObject({ fill: { price: 50_050 } });
    await paper.flush();
    const balances = await loadBalances(store.db, "paper");
    expect(balances.BTC?.free).toBeCloseTo(0.1, 12);
    expect(balances.USDT?.free).toBeCloseTo(100_000 - 5_005 - 5.005, 9);
  });

  it("the store holds the order and its fill when the events arrive", async () => {
    await setUp();
    const seen: string[] = [];
    recorded.bus.subscribe("order.filled", async ({ fill }) => {
      const fills = await listFills(store.db, { clientOrderId: fill.clientOrderId });
      const order = await findOrder(store.db, fill.clientOrderId);
      seen.push(`${fills.length} fill, order ${order?.status}`);
    });
    await executor.submit(intent(2), approve(0.1));
    await recorded.bus.drain();
    expect(seen).toEqual(["1 fill, order filled"]);
  });

  it("limit buy rests, fills at its limit with the maker fee when a candle trades through it", async () => {
    await setUp();
    const result = await executor.submit(intent(3, { type: "limit", limitPrice: 49_500.004 }), approve(0.2));
    const order = (result as { order: Order }).order;
    expect(order).toMatchObject({ status: "open", price: 49_500, filled: 0 });
    expect(executor.tracked()).toEqual([order.clientOrderId]);
    // A candle above the limit fills nothing.
    clock.set(T0 + 60_000);
    await paper.onCandle("BTC/USDT", { ...CANDLE, time: T0 + 60_000, low: 49_800 });
    await executor.sync();
    expect((await findOrder(store.db, order.clientOrderId))?.status).toBe("open");
    clock.set(T0 + 120_000);
    await paper.onCandle("BTC/USDT", { ...CANDLE, time: T0 + 120_000, low: 49_400, close: 49_600 });
    await executor.sync();
    const filled = await findOrder(store.db, order.clientOrderId);
    // 0.2 × 49 500 = 9 900; maker 0.05% = 4.95
    expect(filled).toMatchObject({ status: "filled", filled: 0.2, averagePrice: 49_500, fee: 4.95 });
    expect(executor.tracked()).toEqual([]);
    expect(await findPosition(store.db, KEY)).toMatchObject({ quantity: 0.2, entryPrice: 49_500 });
  });

  it("partial fills: each candle fills a share of its volume; two fills, one position", async () => {
    await setUp({ volumeShare: 0.1 });
    const result = await executor.submit(intent(4, { type: "limit", limitPrice: 49_000 }), approve(1.5));
    const id = (result as { order: Order }).order.clientOrderId;
    clock.set(T0 + 60_000);
    await paper.onCandle("BTC/USDT", { ...CANDLE, time: T0 + 60_000, low: 48_900, volume: 10 });
    await executor.sync();
    expect(await findOrder(store.db, id)).toMatchObject({ status: "partially_filled", filled: 1 });
    clock.set(T0 + 120_000);
    await paper.onCandle("BTC/USDT", { ...CANDLE, time: T0 + 120_000, low: 48_900, volume: 10 });
    await executor.sync();
    expect(await findOrder(store.db, id)).toMatchObject({ status: "filled", filled: 1.5 });
    const fills = await listFills(store.db, { clientOrderId: id, order: "asc" });
    expect(fills.map((f) => f.amount)).toEqual([1, 0.5]);
    expect(fills.map((f) => f.fee)).toEqual([24.5, 12.25]);
    expect((await findPosition(store.db, KEY))?.quantity).toBe(1.5);
  });

  it("an unfilled limit order expires after the timeout: cancelled on the exchange, stored expired", async () => {
    await setUp({ limitTimeoutMs: 15 * 60_000, volumeShare: 0.01 });
    const result = await executor.submit(intent(5, { type: "limit", limitPrice: 49_000 }), approve(1));
    const id = (result as { order: Order }).order.clientOrderId;
    clock.set(T0 + 60_000);
    await paper.onCandle("BTC/USDT", { ...CANDLE, time: T0 + 60_000, low: 48_900, volume: 10 });
    await executor.sync();
    expect(await findOrder(store.db, id)).toMatchObject({ status: "partially_filled", filled: 0.1 });
    clock.set(T0 + 15 * 60_000);
    await executor.sync();
    const expired = await findOrder(store.db, id);
    expect(expired).toMatchObject({ status: "expired", filled: 0.1, reason: "unfilled after 15m: cancelled" });
    expect((await paper.fetchOrderByClientId("BTC/USDT", id))?.status).toBe("cancelled");
    // The reserved quote went back: only the filled part was spent.
    const balance = (await paper.fetchBalance()).USDT;
    expect(balance?.used).toBe(0);
    expect(balance?.free).toBeCloseTo(100_000 - 4_900 - 2.45, 6);
    expect(executor.tracked()).toEqual([]);
  });

  it("submitting the same intent again is a no-op: one order on the exchange", async () => {
    await setUp();
    const first = await executor.submit(intent(6), approve(0.1));
    const [again, concurrent] = await Promise.all([
      executor.submit(intent(6), approve(0.1)),
      executor.submit(intent(6), approve(0.2)),
    ]);
    expect(first.kind).toBe("new");
    expect(again.kind).toBe("duplicate");
    expect(concurrent.kind).toBe("duplicate");
    expect(await listOrders(store.db, { accountId: "paper" })).toHaveLength(1);
    expect(await listFills(store.db, { accountId: "paper" })).toHaveLength(1);
    expect((await paper.fetchTrades("BTC/USDT")).length).toBe(1);
  });

  it("rounds the amount down to the step and the limit price to the tick", async () => {
    await setUp();
    const result = await executor.submit(
      intent(7, { type: "limit", limitPrice: 48_123.456, side: "buy" }),
      approve(0.123456789),
    );
    expect((result as { order: Order }).order).toMatchObject({ amount: 0.12345, price: 48_123.46 });
  });

  it("insufficient funds: rejected with the exchange's reason, stored and published", async () => {
    await setUp();
    const result = await executor.submit(intent(8), approve(3));
    const order = (result as { order: Order }).order;
    expect(order.status).toBe("rejected");
    expect(order.reason).toMatch(/^insufficient funds: insufficient USDT/);
    expect((await findOrder(store.db, order.clientOrderId))?.reason).toBe(order.reason);
    await recorded.bus.drain();
    expect(recorded.events).toEqual([{ topic: "order.updated", payload: { order } }]);
  });

  it("an order below the market minimum is rejected before it reaches the exchange", async () => {
    await setUp();
    const result = await executor.submit(intent(9), approve(0.00005), { price: 50_000 });
    const order = (result as { order: Order }).order;
    expect(order.status).toBe("rejected");
    expect(order.reason).toMatch(/below the market minimum of 5/);
    expect(await paper.fetchOrderByClientId("BTC/USDT", order.clientOrderId)).toBeUndefined();
  });

  it("a rejecting risk verdict is denied: nothing stored, nothing sent", async () => {
    await setUp();
    const result = await executor.submit(intent(10), rejectVerdict("daily loss limit reached"));
    expect(result).toEqual({ kind: "denied", reason: "daily loss limit reached" });
    expect(await listOrders(store.db, { accountId: "paper" })).toEqual([]);
  });

  it("sell after buy: realised PnL net of both fees; flat position", async () => {
    await setUp();
    await executor.submit(intent(11), approve(0.1));
    paper.setPrice("BTC/USDT", 51_000);
    await executor.submit(intent(12, { side: "sell", reduceOnly: true }), approve(0.1));
    const position = await findPosition(store.db, KEY);
    // bought at 50 050 (fee 5.005), sold at 50 949 (51 000 - 10 bps, fee 5.0949)
    expect(position?.quantity).toBe(0);
    expect(position?.realizedPnl).toBeCloseTo((50_949 - 50_050) * 0.1 - 5.005 - 5.0949, 6);
  });

  it("operator cancel of a resting order", async () => {
    await setUp();
    const result = await executor.submit(intent(13, { type: "limit", limitPrice: 40_000 }), approve(0.1));
    const id = (result as { order: Order }).order.clientOrderId;
    const cancelled = await executor.cancel(id, "cancelled by telegram:42");
    expect(cancelled).toMatchObject({ status: "cancelled", reason: "cancelled by telegram:42" });
    expect(executor.tracked()).toEqual([]);
  });
});
