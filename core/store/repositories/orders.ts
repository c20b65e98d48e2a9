import type { Selectable } from "kysely";
import type { Order, OrderStatus, OrderType, Side } from "../../domain/order.ts";
import type { OrdersTable } from "../schema.ts";
import { type Db, type ListOptions, optional, touched } from "./common.ts";

/** What changes on an order as it travels to a final state. Absent fields keep their value. */
export interface OrderUpdate {
  readonly status?: OrderStatus;
  readonly filled?: number;
  readonly averagePrice?: number;
  readonly fee?: number;
  readonly exchangeOrderId?: string;
  readonly reason?: string;
  readonly updatedAt: number;
}

export interface OrderFilter extends ListOptions {
  readonly accountId?: string;
  readonly strategyId?: string;
  readonly symbol?: string;
  readonly status?: OrderStatus | readonly OrderStatus[];
  /** Only orders not yet in a final state: what reconciliation looks at after a restart. */
  readonly open?: boolean;
  /** Created at or after this time. */
  readonly since?: number;
}

const OPEN_STATUSES: readonly OrderStatus[] = ["pending", "open", "partially_filled"];

/**
 * Writes a new order, before the exchange sees it. Returns false, changing nothing, when an order with
 * this client order id is already stored: the caller resumes that order instead of sending another.
 * @example if (!(await insertOrder(db, order))) order = (await findOrder(db, order.clientOrderId))!
 */
export async function insertOrder(db: Db, order: Order): Promise<boolean> {
  const result = await db
    .insertInto("orders")
    .values({
      client_order_id: order.clientOrderId,
      account_id: order.accountId,
      strategy_id: order.strategyId,
      intent_id: order.intentId,
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      amount: order.amount,
      price: order.price ?? null,
      status: order.status,
      filled: order.filled,
      average_price: order.averagePrice ?? null,
      fee: order.fee,
      exchange_order_id: order.exchangeOrderId ?? null,
      reason: order.reason ?? null,
      created_at: order.createdAt,
      updated_at: order.updatedAt,
    })
    .onConflict((oc) => oc.column("client_order_id").doNothing())
    .executeTakeFirst();
  return touched(result);
}

/**
 * Applies an update to a stored order; false when there is no such order.
 * @example await updateOrder(db, id, { status: "filled", filled: 1, averagePrice: 42_000, updatedAt: now })
 */
export async function updateOrder(db: Db, clientOrderId: string, update: OrderUpdate): Promise<boolean> {
  const result = await db
    .updateTable("orders")
    .set({
      ...(update.status !== undefined && { status: update.status }),
      ...(update.filled !== undefined && { filled: update.filled }),
      ...(update.averagePrice !== undefined && { average_price: update.averagePrice }),
      ...(update.fee !== undefined && { fee: update.fee }),
      ...(update.exchangeOrderId !== undefined && { exchange_order_id: update.exchangeOrderId }),
      ...(update.reason !== undefined && { reason: update.reason }),
      updated_at: update.updatedAt,
    })
    .where("client_order_id", "=", clientOrderId)
    .executeTakeFirst();
  return touched(result);
}

/** @example const order = await findOrder(db, "qc-1x2y3z-2a") */
export async function findOrder(db: Db, clientOrderId: string): Promise<Order | undefined> {
  const row = await db.selectFrom("orders").selectAll().where("client_order_id", "=", clientOrderId).executeTakeFirst();
  return row && toOrder(row);
}

/**
 * Orders matching every given filter, newest first by default.
 * @example await listOrders(db, { accountId: "paper", open: true })
 */
export async function listOrders(db: Db, filter: OrderFilter = {}): Promise<Order[]> {
  let query = db.selectFrom("orders").selectAll();
  if (filter.accountId !== undefined) query = query.where("account_id", "=", filter.accountId);
  if (filter.strategyId !== undefined) query = query.where("strategy_id", "=", filter.strategyId);
  if (filter.symbol !== undefined) query = query.where("symbol", "=", filter.symbol);
  if (filter.since !== undefined) query = query.where("created_at", ">=", filter.since);
  const statuses = filter.open ? OPEN_STATUSES : filter.status;
  if (typeof statuses === "string") query = query.where("status", "=", statuses);
  else if (statuses?.length === 0) return [];
  else if (statuses) query = query.where("status", "in", [...statuses]);
  const order = filter.order ?? "desc";
  query = query.orderBy("created_at", order).orderBy("client_order_id", order);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(toOrder);
}

function toOrder(row: Selectable<OrdersTable>): Order {
  return {
    clientOrderId: row.client_order_id,
    accountId: row.account_id,
    strategyId: row.strategy_id,
    intentId: row.intent_id,
    symbol: row.symbol,
    side: row.side as Side,
    type: row.type as OrderType,
    amount: row.amount,
    price: optional(row.price),
    status: row.status as OrderStatus,
    filled: row.filled,
    averagePrice: optional(row.average_price),
    fee: row.fee,
    exchangeOrderId: optional(row.exchange_order_id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    reason: optional(row.reason),
  };
}
