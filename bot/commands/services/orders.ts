import type { Order } from "../../../core/domain/index.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import { listFills } from "../../../core/store/repositories/fills.ts";
import { listOrders } from "../../../core/store/repositories/orders.ts";
import type { OrdersView, OrderView, TradeView } from "../views.ts";

/** More than this many open orders is a listing for the web panel, not a chat message. */
const MAX_OPEN = 50;

/**
 * /orders: the orders not yet final (oldest first: the one waiting longest leads), and the `recent`
 * newest orders of any state.
 * @example await readOrders(db, 5) // { open: [...], recent: [5 orders] }
 */
export async function readOrders(db: Db, recent: number): Promise<OrdersView> {
  const [open, latest] = await Promise.all([
    listOrders(db, { open: true, order: "asc", limit: MAX_OPEN }),
    listOrders(db, { limit: recent }),
  ]);
  return { open: open.map(toView), recent: latest.map(toView) };
}

/**
 * /trades: the latest fills, newest first.
 * @example await readTrades(db, 10)
 */
export async function readTrades(db: Db, limit: number): Promise<TradeView[]> {
  return (await listFills(db, { limit })).map((f) => ({
    time: f.time,
    accountId: f.accountId,
    strategyId: f.strategyId,
    symbol: f.symbol,
    side: f.side,
    amount: f.amount,
    price: f.price,
    fee: f.fee,
    feeCurrency: f.feeCurrency,
  }));
}

function toView(o: Order): OrderView {
  return {
    clientOrderId: o.clientOrderId,
    accountId: o.accountId,
    strategyId: o.strategyId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    amount: o.amount,
    filled: o.filled,
    status: o.status,
    createdAt: o.createdAt,
    ...(o.price !== undefined && { price: o.price }),
    ...(o.averagePrice !== undefined && { averagePrice: o.averagePrice }),
    ...(o.reason !== undefined && { reason: o.reason }),
  };
}
