import type { Maybe } from "../execution/maybe.ts";
import type { StopOut } from "../risk/snapshot.ts";
import type { StopState } from "../risk/stops/position-stops.ts";
import type { Store } from "../store/database.ts";
import type { Db } from "../store/repositories/common.ts";

/** What a stop exit's intent id ends with: `<strategy>:<symbol>:<candle time>:<kind>`. */
export const STOP_OUT_KINDS = ["stop-loss", "trailing-stop"] as const;

/**
 * Writes (or with null, clears) the stops of a position. Only `stops_json` is touched: a fill that
 * changes the quantity at the same time is never overwritten, and a position row that does not exist
 * (an in-memory ledger) is simply not there to update.
 * @example await saveStops(store.db, { accountId: "paper", strategyId: "sma", symbol: "BTC/USDT" }, state)
 */
export async function saveStops(
  db: Db,
  key: { readonly accountId: string; readonly strategyId: string; readonly symbol: string },
  stops: StopState | null,
): Promise<void> {
  await db
    .updateTable("positions")
    .set({ stops_json: stops === null ? null : JSON.stringify(stops) })
    .where("account_id", "=", key.accountId)
    .where("strategy_id", "=", key.strategyId)
    .where("symbol", "=", key.symbol)
    .execute();
}

/** Writes (or with null, clears) the stops of a position, as saveStops does. */
export type StopWriter = (
  key: { readonly accountId: string; readonly strategyId: string; readonly symbol: string },
  stops: StopState | null,
) => Maybe<void>;

/**
 * The fastest saveStops for a store: one prepared statement on the raw SQLite handle (a position's
 * stops are written on every entry, and Kysely's compile and prepare cost far more than the update),
 * saveStops elsewhere. Done at once, unless a Kysely transaction holds the shared handle.
 * @example const write = stopWriter(store); await write({ accountId, strategyId, symbol }, state)
 */
export function stopWriter(store: Store): StopWriter {
  const { sqlite } = store;
  if (!sqlite) return (key, stops) => saveStops(store.db, key, stops);
  const update = sqlite.prepare(
    "UPDATE positions SET stops_json = ? WHERE account_id = ? AND strategy_id = ? AND symbol = ?",
  );
  const run: StopWriter = (key, stops) => {
    update.run(stops === null ? null : JSON.stringify(stops), key.accountId, key.strategyId, key.symbol);
  };
  return (key, stops) => {
    // A Kysely transaction may be open across an await on the shared handle: never write into it.
    if (sqlite.inTransaction) return whenIdle(sqlite).then(() => run(key, stops));
    return run(key, stops);
  };
}

async function whenIdle(sqlite: NonNullable<Store["sqlite"]>): Promise<void> {
  while (sqlite.inTransaction) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A stored `stops_json` as a StopState, or undefined when it is not one (a stop the engine cannot read
 * is dropped with a warning by the caller, never guessed at).
 * @example asStopState({ side: "long", entryPrice: 100, stopLoss: 95, takeProfit: null, trailing: null }) // the same
 */
export function asStopState(value: unknown): StopState | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const level = (x: unknown) => x === null || (typeof x === "number" && Number.isFinite(x));
  const trailing =
    v.trailing === null ||
    (typeof v.trailing === "object" && typeof (v.trailing as { mode?: unknown }).mode === "string");
  if (
    (v.side === "long" || v.side === "short") &&
    typeof v.entryPrice === "number" &&
    level(v.stopLoss) &&
    level(v.takeProfit) &&
    trailing &&
    (v.onExchange === undefined || isRestingStop(v.onExchange))
  ) {
    return value as StopState;
  }
  return undefined;
}

/**
 * Stop-outs of an account since `since`, from its filled stop exits (intent ids ending in a stop kind):
 * the cooldown and the stop-loss guard remember them across a restart.
 * @example await loadStopOuts(store.db, "paper", now - 24 * 3_600_000) // [{ symbol: "BTC/USDT", time, strategyId }]
 */
export async function loadStopOuts(db: Db, accountId: string, since: number): Promise<StopOut[]> {
  const rows = await db
    .selectFrom("orders")
    .select(["symbol", "strategy_id", "intent_id", "updated_at"])
    .where("account_id", "=", accountId)
    .where("status", "in", ["filled", "partially_filled"])
    .where("updated_at", ">=", since)
    .where((eb) => eb.or(STOP_OUT_KINDS.map((kind) => eb("intent_id", "like", `%:${kind}`))))
    .orderBy("updated_at")
    .execute();
  return rows.map((r) => ({ symbol: r.symbol, time: r.updated_at, strategyId: r.strategy_id }));
}

function isRestingStop(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.clientOrderId === "string" && typeof v.level === "number" && typeof v.amount === "number";
}
