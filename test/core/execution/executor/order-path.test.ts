import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clientOrderId, type Order } from "../../../../core/domain/index.ts";
import { createExecutor, type Executor } from "../../../../core/execution/executor/index.ts";
import { createPaperExchange } from "../../../../core/execution/paper/index.ts";
import type { Store } from "../../../../core/store/database.ts";
import { findOrder, listFills } from "../../../../core/store/index.ts";
import { migrateToLatest } from "../../../../core/store/migrate.ts";
import { openTestStore, type TestStore } from "../../../helpers/db.ts";
import { FaultyExchange } from "./faulty-exchange.ts";
import { approve, instantRuntime, intent, newClock, recordingBus } from "./helpers.ts";

const GRACE = 5_000;
const executorId = (n: number) => clientOrderId("s1", intent(n).id);

describe("order path: durable first, lost replies resolved by lookup (adapter-level faults)", () => {
  let opened: TestStore;
  let store: Store;
  let clock: ReturnType<typeof newClock>;
  let runtime: ReturnType<typeof instantRuntime>;
  let exchange: FaultyExchange;
  let executor: Executor;
  let recorded: ReturnType<typeof recordingBus>;

  beforeEach(async () => {
    opened = await openTestStore("sqlite", "order-path");
    store = opened.store;
    await migrateToLatest(store);
    clock = newClock();
    runtime = instantRuntime(clock);
    recorded = recordingBus();
    const paper = await createPaperExchange({ accountId: "acct", clock, balances: { USDT: 100_000 } });
    paper.setPrice("BTC/USDT", 50_000);
    exchange = new FaultyExchange(paper, clock);
    executor = createExecutor({
      accountId: "acct",
      exchange,
      store,
      bus: recorded.bus,
      clock,
      runtime,
      lostReplyGraceMs: GRACE,
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0.2 },
    });
  });

  afterEach(async () => {
    await recorded.bus.close();
    await opened.cleanup();
  });

  const submit = async (n: number) => ((await executor.submit(intent(n), approve(0.1))) as { order: Order }).order;
  const ordersOnExchange = (id: string) => exchange.exchangeOrders("BTC/USDT", id);

  it("the pending order is committed before the exchange sees the create", async () => {
    const seen: (Order | undefined)[] = [];
    const original = exchange.createOrder.bind(exchange);
    exchange.createOrder = async (request) => {
      seen.push(await findOrder(store.db, request.clientOrderId));
      return original(request);
    };
    await submit(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ status: "pending", filled: 0, amount: 0.1 });
  });

  it("lost reply after the exchange accepted: found by lookup, never created twice", async () => {
    exchange.failCreate({ kind: "lost-reply" });
    const order = await submit(2);
    expect(order.status).toBe("filled");
    expect(exchange.creates).toHaveLength(1);
    expect(await ordersOnExchange(order.clientOrderId)).toHaveLength(1);
    expect(await listFills(store.db, { clientOrderId: order.clientOrderId })).toHaveLength(1);
  });

  it("a 500 that created nothing: sent again only after the lookup, past the grace period, found nothing", async () => {
    exchange.failCreate({ kind: "fail" });
    const order = await submit(3);
    expect(order.status).toBe("filled");
    expect(exchange.creates).toHaveLength(2);
    expect(exchange.lookups).toBe(1);
    // The only wait before the lookup was the grace period (longer than the 100 ms backoff).
    expect(runtime.waits).toEqual([GRACE]);
    expect(await ordersOnExchange(order.clientOrderId)).toHaveLength(1);
  });

  it("a timed-out create that lands 3 s later is found by the lookup after the grace period: one order", async () => {
    exchange.failCreate({ kind: "late", afterMs: 3_000 });
    const order = await submit(4);
    expect(order.status).toBe("filled");
    expect(exchange.creates).toHaveLength(1);
    expect(await ordersOnExchange(order.clientOrderId)).toHaveLength(1);
  });

  it("429 with Retry-After: waits what the exchange asked, without the lost-reply grace", async () => {
    exchange.failCreate({ kind: "rate-limit", retryAfterMs: 2_000 });
    const order = await submit(5);
    expect(order.status).toBe("filled");
    expect(runtime.waits).toHaveLength(1);
    expect(runtime.waits[0]).toBeGreaterThanOrEqual(2_000);
    expect(runtime.waits[0]).toBeLessThan(GRACE);
    expect(exchange.creates).toHaveLength(2);
  });

  it("backoff grows exponentially between attempts, and gives up with the exchange provably empty", async () => {
    for (let i = 0; i < 4; i++) exchange.failCreate({ kind: "rate-limit", retryAfterMs: 0 });
    const order = await submit(6);
    expect(order.status).toBe("rejected");
    expect(order.reason).toMatch(/^gave up after 4 attempts: refused by the exchange: 429/);
    // random() is 0.5: no jitter; 100, 200, 400, 800.
    expect(runtime.waits).toEqual([100, 200, 400, 800]);
    expect(await ordersOnExchange(order.clientOrderId)).toHaveLength(0);
  });

  it("when even the lookups fail, the order stays pending and tracked; a later sync settles it without resending", async () => {
    exchange.failCreate({ kind: "lost-reply" });
    exchange.failLookups(4);
    const order = await submit(7);
    expect(order.status).toBe("pending");
    expect(executor.tracked()).toEqual([order.clientOrderId]);
    expect(exchange.creates).toHaveLength(1);
    await executor.sync();
    expect(await findOrder(store.db, order.clientOrderId)).toMatchObject({ status: "filled", filled: 0.1 });
    expect(exchange.creates).toHaveLength(1);
    expect(executor.tracked()).toEqual([]);
  });

  it("with the exchange down, a stored intent is still a duplicate; a new one throws and stores nothing", async () => {
    const order = await submit(10);
    exchange.marketsDown = true;
    const restarted = createExecutor({ accountId: "acct", exchange, store, bus: recorded.bus, clock, runtime });
    expect(await restarted.submit(intent(10), approve(0.1))).toEqual({ kind: "duplicate", order });
    await expect(restarted.submit(intent(11), approve(0.1))).rejects.toThrow(/503/);
    expect(await findOrder(store.db, executorId(11))).toBeUndefined();
  });

  it("an invalid order is rejected at once, with no lookup", async () => {
    exchange.failCreate({ kind: "invalid", reason: "Filter failure: LOT_SIZE" });
    const order = await submit(8);
    expect(order).toMatchObject({ status: "rejected", reason: "invalid order: Filter failure: LOT_SIZE" });
    expect(exchange.lookups).toBe(0);
  });

  it("a 'duplicate' refusal after an unknown outcome means the first create got through: adopted", async () => {
    // Without a grace period the lookup right after the timeout finds nothing, so the executor sends
    // again; the first request lands just before the second and the exchange refuses the duplicate.
    const hasty = createExecutor({
      accountId: "acct",
      exchange,
      store,
      bus: recorded.bus,
      clock,
      runtime,
      lostReplyGraceMs: 0,
      retry: { baseDelayMs: 100 },
    });
    exchange.failCreate({ kind: "late-until-resend" });
    const order = ((await hasty.submit(intent(9), approve(0.1))) as { order: Order }).order;
    expect(exchange.creates).toHaveLength(2);
    expect(exchange.lookups).toBe(2);
    expect(order.status).toBe("filled");
    expect(await ordersOnExchange(order.clientOrderId)).toHaveLength(1);
  });
});
