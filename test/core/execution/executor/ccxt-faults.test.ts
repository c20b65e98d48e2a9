import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryBus } from "../../../../core/bus/index.ts";
import { systemClock } from "../../../../core/clock.ts";
import type { Order } from "../../../../core/domain/index.ts";
import { createExecutor, type Executor } from "../../../../core/execution/executor/index.ts";
import { realSleep } from "../../../../core/execution/executor/retry.ts";
import type { Store } from "../../../../core/store/database.ts";
import { findOrder, findPosition, listFills } from "../../../../core/store/index.ts";
import { migrateToLatest } from "../../../../core/store/migrate.ts";
import { openTestStore, type TestStore } from "../../../helpers/db.ts";
import { connect, guardNetwork, startVenue, type Venue } from "../ccxt/helpers.ts";
import { approve, intent } from "./helpers.ts";

guardNetwork();

// Every fault the fake exchange injects, through the real ccxt adapter, on both exchange dialects.
const CASES = [
  { dialect: "binance", symbol: "BTC/USDT", price: 50_000, limit: 45_000, create: "POST /api/v3/order", base: "BTC" },
  { dialect: "upbit", symbol: "BTC/KRW", price: 90_000_000, limit: 81_000_000, create: "POST /v1/orders", base: "BTC" },
] as const;

const GRACE = 600;

describe.each(CASES)("executor against the fake $dialect: every injected fault", (c) => {
  let venue: Venue;
  let opened: TestStore;
  let store: Store;
  let executor: Executor;
  const waits: number[] = [];
  let seq = 0;

  const next = (over: Parameters<typeof intent>[1] = {}) =>
    intent(++seq, { symbol: c.symbol, strategyId: `faults-${c.dialect}`, id: `faults-${c.dialect}:${seq}`, ...over });
  const submit = async (over: Parameters<typeof intent>[1] = {}, amount = 0.001) =>
    ((await executor.submit(next(over), approve(amount), { price: c.price })) as { order: Order }).order;
  /** Creates the fake received for this client order id, and the orders it holds with it. */
  const posts = (id: string) =>
    venue.fake.requests.filter((r) => r.method === "POST" && (r.params.newClientOrderId ?? r.params.identifier) === id);
  const ordersOnExchange = (id: string) => [...venue.fake.book.orders.values()].filter((o) => o.clientOrderId === id);

  beforeAll(async () => {
    venue = await startVenue(c.dialect);
    opened = await openTestStore("sqlite", `ccxt-${c.dialect}`);
    store = opened.store;
    await migrateToLatest(store);
    // A ccxt client with a short timeout, so the fake's held replies become client-side timeouts.
    const adapter = connect(venue.fake, venue.fake.apiKey, { timeout: 300 });
    executor = createExecutor({
      accountId: c.dialect,
      exchange: adapter,
      store,
      bus: new MemoryBus(),
      clock: systemClock,
      lostReplyGraceMs: GRACE,
      retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 2_000, jitter: 0.1 },
      runtime: {
        sleep: (ms) => {
          waits.push(ms);
          return realSleep(ms);
        },
      },
    });
  });

  afterAll(async () => {
    expect(venue.fake.pendingFaults()).toEqual([]);
    expect(venue.fake.problems).toEqual([]);
    await venue.adapter.close();
    await venue.fake.close();
    await opened.cleanup();
  });

  it("500 on the create: looked up (nothing there), sent again, filled; one order on the exchange", async () => {
    venue.fake.failNext(c.create, { status: 500 });
    const order = await submit();
    expect(order.status).toBe("filled");
    expect(posts(order.clientOrderId)).toHaveLength(2);
    expect(ordersOnExchange(order.clientOrderId)).toHaveLength(1);
    expect(await listFills(store.db, { clientOrderId: order.clientOrderId })).toHaveLength(1);
  });

  it("429 with Retry-After: 1 s honoured before the next request", async () => {
    waits.length = 0;
    venue.fake.failNext(c.create, { status: 429, retryAfter: 1 });
    const started = Date.now();
    const order = await submit();
    expect(order.status).toBe("filled");
    expect(waits[0]).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(ordersOnExchange(order.clientOrderId)).toHaveLength(1);
  });

  it("timeout (the exchange is slow but does the work): the lookup finds it, nothing is resent", async () => {
    venue.fake.failNext(c.create, { timeoutMs: 450 });
    const order = await submit();
    expect(order.status).toBe("filled");
    expect(posts(order.clientOrderId)).toHaveLength(1);
    expect(ordersOnExchange(order.clientOrderId)).toHaveLength(1);
  });

  it("connection dropped after the exchange accepted: the lookup finds it; exactly ONE order", async () => {
    venue.fake.failNext(c.create, { dropAfterAccept: true });
    const order = await submit();
    expect(order).toMatchObject({ status: "filled", filled: 0.001 });
    expect(posts(order.clientOrderId)).toHaveLength(1);
    expect(ordersOnExchange(order.clientOrderId)).toHaveLength(1);
    const fills = await listFills(store.db, { clientOrderId: order.clientOrderId });
    expect(fills).toHaveLength(1);
    expect(fills[0]?.fee).toBeGreaterThan(0);
  });

  it("insufficient funds: rejected with the exchange's reason", async () => {
    venue.fake.failNext(c.create, { insufficientFunds: true });
    const order = await submit();
    expect(order.status).toBe("rejected");
    expect(order.reason).toMatch(/^insufficient funds: /);
    expect(ordersOnExchange(order.clientOrderId)).toHaveLength(0);
  });

  it("invalid order: rejected with the exchange's reason", async () => {
    venue.fake.failNext(c.create, { invalidOrder: "Filter failure: PERCENT_PRICE_BY_SIDE" });
    const order = await submit();
    expect(order.status).toBe("rejected");
    expect(order.reason).toMatch(/^invalid order: .*PERCENT_PRICE_BY_SIDE/);
    expect(ordersOnExchange(order.clientOrderId)).toHaveLength(0);
  });

  it("a resting limit order filled on the exchange later: the poll records the fill with its fee", async () => {
    const order = await submit({ type: "limit", limitPrice: c.limit }, 0.002);
    expect(order.status).toBe("open");
    venue.fake.fillOrder(order.clientOrderId);
    await executor.sync();
    const stored = await findOrder(store.db, order.clientOrderId);
    expect(stored).toMatchObject({ status: "filled", filled: 0.002, averagePrice: c.limit });
    const [fill] = await listFills(store.db, { clientOrderId: order.clientOrderId });
    const feeOnExchange = ordersOnExchange(order.clientOrderId)[0]?.fee;
    expect(fill?.fee).toBeCloseTo(feeOnExchange ?? Number.NaN, 10);
    // Binance takes a buy's fee in the base asset: the position holds what the wallet received.
    const position = await findPosition(store.db, {
      accountId: c.dialect,
      strategyId: `faults-${c.dialect}`,
      symbol: c.symbol,
    });
    expect(position?.quantity).toBeGreaterThan(0);
  });

  it("reconciliation reports open orders on the exchange that we never placed", async () => {
    await venue.adapter.createOrder({
      clientOrderId: `by-hand-${c.dialect}`,
      symbol: c.symbol,
      side: "buy",
      type: "limit",
      amount: 0.001,
      price: c.limit,
    });
    const report = await executor.reconcile();
    expect(report.unknownOnExchange.map((o) => o.clientOrderId)).toContain(`by-hand-${c.dialect}`);
  });

  it("a live account's reconciliation compares positions with the exchange's balances", async () => {
    const live = createExecutor({
      accountId: c.dialect,
      exchange: venue.adapter,
      store,
      bus: new MemoryBus(),
      clock: systemClock,
      live: true,
    });
    const report = await live.reconcile();
    // The fake account started with 1 BTC that no strategy bought: exactly that is reported.
    expect(report.balanceDifferences).toHaveLength(1);
    expect(report.balanceDifferences[0]?.currency).toBe(c.base);
    expect(report.balanceDifferences[0]?.difference).toBeCloseTo(1, 10);
    expect(report.balanceDifferences[0]?.positions).toBeGreaterThan(0);
  });
});
