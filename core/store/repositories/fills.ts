import type { Selectable } from "kysely";
import type { Fill, Side } from "../../domain/order.ts";
import type { FillsTable } from "../schema.ts";
import { type Db, type ListOptions, touched } from "./common.ts";

export interface FillFilter extends ListOptions {
  readonly accountId?: string;
  readonly strategyId?: string;
  readonly symbol?: string;
  readonly clientOrderId?: string;
  /** At or after this time. */
  readonly since?: number;
  /** Before this time. */
  readonly until?: number;
}

/**
 * Records a fill once. Returns false when this account already has a fill with this id, so a fill
 * seen twice (a retried poll, reconciliation after a restart) is applied to positions only once.
 * @example if (await insertFill(db, fill)) await applyToPosition(fill)
 */
export async function insertFill(db: Db, fill: Fill): Promise<boolean> {
  const result = await db
    .insertInto("fills")
    .values({
      id: fill.id,
      client_order_id: fill.clientOrderId,
      account_id: fill.accountId,
      strategy_id: fill.strategyId,
      symbol: fill.symbol,
      side: fill.side,
      amount: fill.amount,
      price: fill.price,
      fee: fill.fee,
      fee_currency: fill.feeCurrency,
      ts: fill.time,
    })
    .onConflict((oc) => oc.columns(["account_id", "id"]).doNothing())
    .executeTakeFirst();
  return touched(result);
}

/**
 * Fills matching every given filter, newest first by default (`order: "asc"` to replay them).
 * @example await listFills(db, { strategyId: "sma-btc", limit: 10 }) // the last ten trades
 */
export async function listFills(db: Db, filter: FillFilter = {}): Promise<Fill[]> {
  let query = db.selectFrom("fills").selectAll();
  if (filter.accountId !== undefined) query = query.where("account_id", "=", filter.accountId);
  if (filter.strategyId !== undefined) query = query.where("strategy_id", "=", filter.strategyId);
  if (filter.symbol !== undefined) query = query.where("symbol", "=", filter.symbol);
  if (filter.clientOrderId !== undefined) query = query.where("client_order_id", "=", filter.clientOrderId);
  if (filter.since !== undefined) query = query.where("ts", ">=", filter.since);
  if (filter.until !== undefined) query = query.where("ts", "<", filter.until);
  const order = filter.order ?? "desc";
  query = query.orderBy("ts", order).orderBy("id", order);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(toFill);
}

function toFill(row: Selectable<FillsTable>): Fill {
  return {
    id: row.id,
    clientOrderId: row.client_order_id,
    accountId: row.account_id,
    strategyId: row.strategy_id,
    symbol: row.symbol,
    side: row.side as Side,
    amount: row.amount,
    price: row.price,
    fee: row.fee,
    feeCurrency: row.fee_currency,
    time: row.ts,
  };
}
