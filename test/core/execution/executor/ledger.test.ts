import { describe, expect, it } from "vitest";
import type { Order } from "../../../../core/domain/index.ts";
import type { ExchangeOrder } from "../../../../core/execution/exchange.ts";
import { createKyselyLedger, createSqliteLedger, type OrderLedger } from "../../../../core/execution/executor/index.ts";
import { planClose, planObservation } from "../../../../core/execution/executor/plan.ts";
import type { Store } from "../../../../core/store/database.ts";
import { findPosition, listFills, upsertPosition } from "../../../../core/store/index.ts";
import { useMigratedStore } from "../../../helpers/db.ts";

const MARKET = { base: "BTC", quote: "USDT" };
const KEY = { accountId: "a", strategyId: "s", symbol: "BTC/USDT" };

function order(id: string, side: "buy" | "sell" = "buy"): Order {
  return {
    ...KEY,
    clientOrderId: id,
    intentId: id,
    side,
    type: "market",
    amount: 1,
    status: "pending",
    filled: 0,
    fee: 0,
    createdAt: 1,
    updatedAt: 1,
  };
}
function seen(o: Order, filled: number, price = 100): ExchangeOrder {
  return {
    exchangeOrderId: `x-${o.clientOrderId}`,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    amount: o.amount,
    status: filled >= o.amount ? "filled" : "partially_filled",
    filled,
    averagePrice: price,
    fee: Number((filled * 0.1).toFixed(10)),
    feeCurrency: "USDT",
    time: 1,
  };
}

const VARIANTS = [
  { name: "prepared statements (sqlite)", dialect: "sqlite", make: (s: Store) => createSqliteLedger(s.sqlite!) },
  { name: "kysely (sqlite)", dialect: "sqlite", make: (s: Store) => createKyselyLedger(s.db) },
  { name: "kysely (postgres)", dialect: "postgres", make: (s: Store) => createKyselyLedger(s.db) },
] as const;

describe.each(VARIANTS)("order ledger: $name", (variant) => {
  const getStore = useMigratedStore(variant.dialect, "ledger");
  const ledger = (): OrderLedger => variant.make(getStore());

  it("insert is once per client order id; apply writes order, fill and position together, once", async () => {
    const l = ledger();
    const o = order("one");
    expect(await l.insert(o)).toBe(true);
    expect(await l.insert({ ...o, amount: 2 })).toBe(false);
    expect((await l.find("one"))?.amount).toBe(1);
    expect((await l.listOpen("a")).map((x) => x.clientOrderId)).toContain("one");
    const observe = () => l.apply("one", (s, p) => planObservation(s, seen(o, 0.4), p, { now: 5, market: MARKET }));
    const first = await observe();
    expect(first?.fill).toMatchObject({ id: "one:0.4", amount: 0.4, price: 100, fee: 0.04 });
    expect(first?.order).toMatchObject({ status: "partially_filled", filled: 0.4, exchangeOrderId: "x-one" });
    // The same observation again: nothing new, nothing written twice.
    const again = await observe();
    expect(again).toMatchObject({ changed: false });
    expect(again?.fill).toBeUndefined();
    await l.apply("one", (s, p) => planObservation(s, seen(o, 1, 110), p, { now: 6, market: MARKET }));
    const fills = await listFills(getStore().db, { clientOrderId: "one", order: "asc" });
    // The second fill's price is what makes the average 110: (1 × 110 - 0.4 × 100) / 0.6
    expect(fills.map((f) => [f.id, f.amount, +f.price.toFixed(9)])).toEqual([
      ["one:0.4", 0.4, 100],
      ["one:1", 0.6, 116.666666667],
    ]);
    expect((await findPosition(getStore().db, KEY))?.quantity).toBe(1);
    expect(await l.apply("missing", (s) => planClose(s, "rejected", "x", 1))).toBeUndefined();
  });

  it("stops stay with a position that grows, and go when it goes flat", async () => {
    const l = ledger();
    const stops = { side: "long", stopLoss: 90 };
    await upsertPosition(getStore().db, {
      ...KEY,
      quantity: 1,
      entryPrice: 100,
      realizedPnl: 0,
      fees: 0,
      openedAt: 1,
      updatedAt: 1,
      stops,
    });
    const add = order("add");
    await l.insert(add);
    await l.apply("add", (s, p) => planObservation(s, seen(add, 1), p, { now: 7, market: MARKET }));
    expect(await findPosition(getStore().db, KEY)).toMatchObject({ quantity: 2, stops });
    const close = order("close", "sell");
    await l.insert({ ...close, amount: 2 });
    await l.apply("close", (s, p) =>
      planObservation(s, { ...seen(close, 2), amount: 2 }, p, { now: 8, market: MARKET }),
    );
    const flat = await findPosition(getStore().db, KEY);
    expect(flat?.quantity).toBe(0);
    expect(flat?.stops).toBeUndefined();
  });
});

describe("prepared-statement ledger beside Kysely on one SQLite handle", () => {
  const getStore = useMigratedStore("sqlite", "ledger-shared");

  it("waits for a Kysely transaction open across an await, so a rollback there cannot take our write", async () => {
    const store = getStore();
    const l = createSqliteLedger(store.sqlite!);
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const kysely = store.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto("balances")
          .values({ account_id: "k", currency: "X", free: 1, used: 0, updated_at: 1 })
          .execute();
        inside();
        await new Promise((resolve) => setTimeout(resolve, 30));
        throw new Error("roll back");
      })
      .catch(() => "rolled back");
    await opened;
    const inserted = l.insert(order("beside-kysely"));
    expect(await kysely).toBe("rolled back");
    expect(await inserted).toBe(true);
    expect((await l.find("beside-kysely"))?.status).toBe("pending");
    expect(await store.db.selectFrom("balances").selectAll().where("account_id", "=", "k").execute()).toEqual([]);
  });
});
