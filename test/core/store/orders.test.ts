import { describe, expect, it } from "vitest";
import type { Fill, Order } from "../../../core/domain/order.ts";
import { insertFill, listFills } from "../../../core/store/repositories/fills.ts";
import { findOrder, insertOrder, listOrders, updateOrder } from "../../../core/store/repositories/orders.ts";
import { DIALECTS, useMigratedStore } from "../../helpers/db.ts";

// Times past 2^31 ms and prices with fractions: what int4 or a lossy float column would mangle.
const T0 = 1_700_000_000_123;

function order(overrides: Partial<Order> = {}): Order {
  return {
    clientOrderId: "qc-a1",
    accountId: "paper",
    strategyId: "sma-btc",
    intentId: "sma-btc:BTC/USDT:1700000000000:0",
    symbol: "BTC/USDT",
    side: "buy",
    type: "limit",
    amount: 0.012345,
    price: 43_210.5,
    status: "pending",
    filled: 0,
    fee: 0,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function fill(overrides: Partial<Fill> = {}): Fill {
  return {
    id: "t-1",
    clientOrderId: "qc-f1",
    accountId: "paper",
    strategyId: "sma-btc",
    symbol: "BTC/USDT",
    side: "buy",
    amount: 0.5,
    price: 42_000.25,
    fee: 0.021,
    feeCurrency: "USDT",
    time: T0,
    ...overrides,
  };
}

describe.each(DIALECTS)("orders and fills on %s", (dialect) => {
  const store = useMigratedStore(dialect, "orders");

  it("round-trips an order, optional fields absent", async () => {
    const market = order({ clientOrderId: "qc-rt", type: "market", price: undefined });
    expect(await insertOrder(store().db, market)).toBe(true);
    const found = await findOrder(store().db, "qc-rt");
    expect(found).toEqual(market);
    expect(found?.price).toBeUndefined();
    expect(typeof found?.createdAt).toBe("number");
    expect(await findOrder(store().db, "qc-missing")).toBeUndefined();
  });

  it("stores an order once: a second insert with the same client order id changes nothing", async () => {
    const first = order({ clientOrderId: "qc-dup", amount: 1 });
    expect(await insertOrder(store().db, first)).toBe(true);
    expect(await insertOrder(store().db, { ...first, amount: 2 })).toBe(false);
    expect((await findOrder(store().db, "qc-dup"))?.amount).toBe(1);
  });

  it("updates an order field by field", async () => {
    await insertOrder(store().db, order({ clientOrderId: "qc-up" }));
    expect(await updateOrder(store().db, "qc-up", { status: "open", exchangeOrderId: "ex-9", updatedAt: T0 + 1 })).toBe(
      true,
    );
    expect(
      await updateOrder(store().db, "qc-up", {
        status: "filled",
        filled: 0.012345,
        averagePrice: 43_200.75,
        fee: 0.53,
        updatedAt: T0 + 2,
      }),
    ).toBe(true);
    expect(await findOrder(store().db, "qc-up")).toEqual(
      order({
        clientOrderId: "qc-up",
        status: "filled",
        filled: 0.012345,
        averagePrice: 43_200.75,
        fee: 0.53,
        exchangeOrderId: "ex-9",
        updatedAt: T0 + 2,
      }),
    );
    expect(await updateOrder(store().db, "qc-nope", { status: "cancelled", updatedAt: T0 })).toBe(false);
  });

  it("lists orders by account, status and openness, newest first", async () => {
    const db = store().db;
    await insertOrder(db, order({ clientOrderId: "l-1", accountId: "acct-l", status: "filled", createdAt: T0 + 10 }));
    await insertOrder(db, order({ clientOrderId: "l-2", accountId: "acct-l", status: "open", createdAt: T0 + 20 }));
    await insertOrder(db, order({ clientOrderId: "l-3", accountId: "acct-l", status: "pending", createdAt: T0 + 30 }));
    await insertOrder(db, order({ clientOrderId: "l-4", accountId: "acct-other", status: "open", createdAt: T0 + 40 }));
    const ids = (orders: Order[]) => orders.map((o) => o.clientOrderId);
    expect(ids(await listOrders(db, { accountId: "acct-l" }))).toEqual(["l-3", "l-2", "l-1"]);
    expect(ids(await listOrders(db, { accountId: "acct-l", order: "asc", limit: 2 }))).toEqual(["l-1", "l-2"]);
    expect(ids(await listOrders(db, { accountId: "acct-l", open: true }))).toEqual(["l-3", "l-2"]);
    expect(ids(await listOrders(db, { accountId: "acct-l", status: "filled" }))).toEqual(["l-1"]);
    expect(ids(await listOrders(db, { status: ["open"], since: T0 + 20 }))).toEqual(["l-4", "l-2"]);
    expect(await listOrders(db, { status: [] })).toEqual([]);
  });

  it("records a fill once, however often it is applied", async () => {
    const db = store().db;
    const f = fill({ id: "t-idem", clientOrderId: "qc-idem" });
    expect(await insertFill(db, f)).toBe(true);
    expect(await insertFill(db, f)).toBe(false);
    expect(await insertFill(db, { ...f, amount: 99 })).toBe(false);
    expect(await listFills(db, { clientOrderId: "qc-idem" })).toEqual([f]);
  });

  it("keeps fills with the same trade id on different accounts apart", async () => {
    const db = store().db;
    expect(await insertFill(db, fill({ id: "t-shared", accountId: "binance-1", clientOrderId: "qc-s" }))).toBe(true);
    expect(await insertFill(db, fill({ id: "t-shared", accountId: "upbit-1", clientOrderId: "qc-s" }))).toBe(true);
    expect((await listFills(db, { clientOrderId: "qc-s" })).map((f) => f.accountId).sort()).toEqual([
      "binance-1",
      "upbit-1",
    ]);
  });

  it("lists fills by strategy and time window, newest first or oldest first", async () => {
    const db = store().db;
    for (const [id, offset] of [
      ["w-1", 0],
      ["w-2", 1000],
      ["w-3", 2000],
    ] as const) {
      await insertFill(db, fill({ id, strategyId: "window", clientOrderId: "qc-w", time: T0 + offset }));
    }
    const ids = (fills: Fill[]) => fills.map((f) => f.id);
    expect(ids(await listFills(db, { strategyId: "window" }))).toEqual(["w-3", "w-2", "w-1"]);
    expect(ids(await listFills(db, { strategyId: "window", order: "asc" }))).toEqual(["w-1", "w-2", "w-3"]);
    expect(ids(await listFills(db, { strategyId: "window", since: T0 + 1000, until: T0 + 2000 }))).toEqual(["w-2"]);
    expect(ids(await listFills(db, { strategyId: "window", limit: 1 }))).toEqual(["w-3"]);
  });
});
