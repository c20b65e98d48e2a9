import type { Selectable } from "kysely";
import type { Position } from "../../domain/position.ts";
import type { PositionsTable } from "../schema.ts";
import { type Db, touched } from "./common.ts";

/**
 * A position as stored, with its stops. Their shape belongs to core/risk, which validates what it
 * reads back; to the store they are opaque JSON.
 */
export interface StoredPosition extends Position {
  readonly stops?: unknown;
}

export interface PositionKey {
  readonly accountId: string;
  readonly strategyId: string;
  readonly symbol: string;
}

export interface PositionFilter {
  readonly accountId?: string;
  readonly strategyId?: string;
  readonly symbol?: string;
  /** Leave out flat positions (quantity 0), which are kept for their realised PnL. */
  readonly openOnly?: boolean;
}

/**
 * Inserts or replaces the position of (account, strategy, symbol). Stops are written only when
 * `stops` is given (null clears them), so a fill that changes the quantity cannot wipe stops set
 * earlier by the risk manager.
 * @example await upsertPosition(db, { ...position, quantity: 0.5, updatedAt: now })
 */
export async function upsertPosition(db: Db, position: StoredPosition): Promise<void> {
  const writeStops = position.stops !== undefined;
  const stopsJson = position.stops === undefined || position.stops === null ? null : JSON.stringify(position.stops);
  await db
    .insertInto("positions")
    .values({
      account_id: position.accountId,
      strategy_id: position.strategyId,
      symbol: position.symbol,
      quantity: position.quantity,
      entry_price: position.entryPrice,
      realized_pnl: position.realizedPnl,
      fees: position.fees,
      opened_at: position.openedAt,
      updated_at: position.updatedAt,
      stops_json: stopsJson,
    })
    .onConflict((oc) =>
      oc.columns(["account_id", "strategy_id", "symbol"]).doUpdateSet((eb) => ({
        quantity: eb.ref("excluded.quantity"),
        entry_price: eb.ref("excluded.entry_price"),
        realized_pnl: eb.ref("excluded.realized_pnl"),
        fees: eb.ref("excluded.fees"),
        opened_at: eb.ref("excluded.opened_at"),
        updated_at: eb.ref("excluded.updated_at"),
        ...(writeStops && { stops_json: eb.ref("excluded.stops_json") }),
      })),
    )
    .execute();
}

/** @example await findPosition(db, { accountId: "paper", strategyId: "sma-btc", symbol: "BTC/USDT" }) */
export async function findPosition(db: Db, key: PositionKey): Promise<StoredPosition | undefined> {
  const row = await db
    .selectFrom("positions")
    .selectAll()
    .where("account_id", "=", key.accountId)
    .where("strategy_id", "=", key.strategyId)
    .where("symbol", "=", key.symbol)
    .executeTakeFirst();
  return row && toPosition(row);
}

/**
 * Positions matching every given filter, ordered by account, strategy and symbol.
 * @example await listPositions(db, { accountId: "paper", openOnly: true })
 */
export async function listPositions(db: Db, filter: PositionFilter = {}): Promise<StoredPosition[]> {
  let query = db.selectFrom("positions").selectAll();
  if (filter.accountId !== undefined) query = query.where("account_id", "=", filter.accountId);
  if (filter.strategyId !== undefined) query = query.where("strategy_id", "=", filter.strategyId);
  if (filter.symbol !== undefined) query = query.where("symbol", "=", filter.symbol);
  if (filter.openOnly) query = query.where("quantity", "!=", 0);
  const rows = await query.orderBy("account_id").orderBy("strategy_id").orderBy("symbol").execute();
  return rows.map(toPosition);
}

/** Removes a position row; false when there was none. @example await deletePosition(db, key) */
export async function deletePosition(db: Db, key: PositionKey): Promise<boolean> {
  const result = await db
    .deleteFrom("positions")
    .where("account_id", "=", key.accountId)
    .where("strategy_id", "=", key.strategyId)
    .where("symbol", "=", key.symbol)
    .executeTakeFirst();
  return touched(result);
}

function toPosition(row: Selectable<PositionsTable>): StoredPosition {
  return {
    accountId: row.account_id,
    strategyId: row.strategy_id,
    symbol: row.symbol,
    quantity: row.quantity,
    entryPrice: row.entry_price,
    realizedPnl: row.realized_pnl,
    fees: row.fees,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    ...(row.stops_json !== null && { stops: JSON.parse(row.stops_json) as unknown }),
  };
}
