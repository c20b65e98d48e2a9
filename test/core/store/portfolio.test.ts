import { describe, expect, it } from "vitest";
import { loadBalances, saveBalances } from "../../../core/store/repositories/balances.ts";
import { listEquity, recordEquity } from "../../../core/store/repositories/equity.ts";
import {
  deletePosition,
  findPosition,
  listPositions,
  type StoredPosition,
  upsertPosition,
} from "../../../core/store/repositories/positions.ts";
import { DIALECTS, useMigratedStore } from "../../helpers/db.ts";

const T0 = 1_700_000_000_000;

function position(overrides: Partial<StoredPosition> = {}): StoredPosition {
  return {
    accountId: "paper",
    strategyId: "sma-btc",
    symbol: "BTC/USDT",
    quantity: 0.25,
    entryPrice: 41_000.5,
    realizedPnl: 0,
    fees: 0.01,
    openedAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

describe.each(DIALECTS)("positions, balances and equity on %s", (dialect) => {
  const store = useMigratedStore(dialect, "portfolio");

  it("upserts a position: insert, then replace in place", async () => {
    const db = store().db;
    const key = { accountId: "paper", strategyId: "up", symbol: "BTC/USDT" };
    await upsertPosition(db, position({ ...key }));
    await upsertPosition(
      db,
      position({ ...key, quantity: -0.5, entryPrice: 42_000, realizedPnl: 12.5, updatedAt: T0 + 1 }),
    );
    expect(await findPosition(db, key)).toEqual(
      position({ ...key, quantity: -0.5, entryPrice: 42_000, realizedPnl: 12.5, updatedAt: T0 + 1 }),
    );
    expect(await listPositions(db, { strategyId: "up" })).toHaveLength(1);
  });

  it("keeps stops when an update does not mention them, clears them on null", async () => {
    const db = store().db;
    const key = { accountId: "paper", strategyId: "stops", symbol: "ETH/USDT" };
    const stops = { stopLoss: 1900, trailing: { mode: "percent", pct: 2, peak: 2100 } };
    await upsertPosition(db, position({ ...key, stops }));
    await upsertPosition(db, position({ ...key, quantity: 1, updatedAt: T0 + 5 }));
    expect(await findPosition(db, key)).toMatchObject({ quantity: 1, stops });
    await upsertPosition(db, position({ ...key, stops: null }));
    expect(await findPosition(db, key)).not.toHaveProperty("stops");
  });

  it("lists open positions apart from flat ones, and deletes", async () => {
    const db = store().db;
    await upsertPosition(db, position({ accountId: "lst", symbol: "A/USDT", quantity: 1 }));
    await upsertPosition(db, position({ accountId: "lst", symbol: "B/USDT", quantity: 0, realizedPnl: 3 }));
    expect((await listPositions(db, { accountId: "lst" })).map((p) => p.symbol)).toEqual(["A/USDT", "B/USDT"]);
    expect((await listPositions(db, { accountId: "lst", openOnly: true })).map((p) => p.symbol)).toEqual(["A/USDT"]);
    const key = { accountId: "lst", strategyId: "sma-btc", symbol: "B/USDT" };
    expect(await deletePosition(db, key)).toBe(true);
    expect(await deletePosition(db, key)).toBe(false);
    expect(await findPosition(db, key)).toBeUndefined();
  });

  it("saves balances per currency and reads them back", async () => {
    const db = store().db;
    expect(await loadBalances(db, "bal")).toEqual({});
    await saveBalances(db, "bal", { USDT: { free: 9_000.5, used: 999.5 }, BTC: { free: 0.1, used: 0 } }, T0);
    await saveBalances(db, "bal", { USDT: { free: 8_000, used: 2_000.5 } }, T0 + 1);
    expect(await loadBalances(db, "bal")).toEqual({
      BTC: { free: 0.1, used: 0 },
      USDT: { free: 8_000, used: 2_000.5 },
    });
    expect(await loadBalances(db, "other")).toEqual({});
  });

  it("records equity per account and per strategy; a repeated time replaces", async () => {
    const db = store().db;
    await recordEquity(db, [
      { accountId: "eq", time: T0, equity: 10_000, cash: 10_000, unrealizedPnl: 0 },
      { accountId: "eq", time: T0 + 60_000, equity: 10_100, cash: 9_000, unrealizedPnl: 100 },
      { accountId: "eq", strategyId: "sma-btc", time: T0, equity: 5_000, cash: 5_000, unrealizedPnl: 0 },
    ]);
    await recordEquity(db, { accountId: "eq", time: T0 + 60_000, equity: 10_150, cash: 9_000, unrealizedPnl: 150 });
    expect(await listEquity(db, { accountId: "eq" })).toEqual([
      { accountId: "eq", time: T0, equity: 10_000, cash: 10_000, unrealizedPnl: 0 },
      { accountId: "eq", time: T0 + 60_000, equity: 10_150, cash: 9_000, unrealizedPnl: 150 },
    ]);
    expect(await listEquity(db, { accountId: "eq", strategyId: "sma-btc" })).toEqual([
      { accountId: "eq", strategyId: "sma-btc", time: T0, equity: 5_000, cash: 5_000, unrealizedPnl: 0 },
    ]);
    expect((await listEquity(db, { accountId: "eq", from: T0 + 1 })).map((s) => s.time)).toEqual([T0 + 60_000]);
    expect((await listEquity(db, { accountId: "eq", order: "desc", limit: 1 })).map((s) => s.equity)).toEqual([10_150]);
  });
});
