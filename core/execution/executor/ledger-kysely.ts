import type { Position } from "../../domain/index.ts";
import type { Db } from "../../store/repositories/common.ts";
import { insertFill } from "../../store/repositories/fills.ts";
import { findOrder, insertOrder, listOrders, updateOrder } from "../../store/repositories/orders.ts";
import { findPosition, upsertPosition } from "../../store/repositories/positions.ts";
import type { Applied, OrderLedger } from "./ledger.ts";
import type { Plan } from "./plan.ts";

/**
 * The ledger over the store's repositories: portable (PostgreSQL and SQLite), one round trip per
 * statement. PostgreSQL runs the apply transaction at its default READ COMMITTED, which is enough:
 * one executor owns an account, and the fill's primary key stops a second insert whatever happens.
 * @example const ledger = createKyselyLedger(store.db)
 */
export function createKyselyLedger(db: Db): OrderLedger {
  return {
    insert: (order) => insertOrder(db, order),
    find: (clientOrderId) => findOrder(db, clientOrderId),
    listOpen: (accountId) => listOrders(db, { accountId, open: true, order: "asc" }),
    apply: (clientOrderId, decide) =>
      db.transaction().execute(async (trx) => {
        const stored = await findOrder(trx, clientOrderId);
        if (!stored) return undefined;
        const position = await findPosition(trx, stored);
        return write(trx, decide(stored, position && withoutStops(position)));
      }),
  };
}

async function write(trx: Db, plan: Plan): Promise<Applied> {
  const { order } = plan;
  if (!plan.changed) return { order, changed: false };
  await updateOrder(trx, order.clientOrderId, {
    status: order.status,
    filled: order.filled,
    fee: order.fee,
    updatedAt: order.updatedAt,
    ...(order.averagePrice !== undefined && { averagePrice: order.averagePrice }),
    ...(order.exchangeOrderId !== undefined && { exchangeOrderId: order.exchangeOrderId }),
    ...(order.reason !== undefined && { reason: order.reason }),
  });
  if (!plan.fill || !(await insertFill(trx, plan.fill))) return { order, changed: true };
  if (!plan.position) return { order, changed: true, fill: plan.fill };
  // Stops are left alone unless the side ended: null clears them, undefined keeps them.
  await upsertPosition(trx, { ...plan.position, ...(plan.clearStops && { stops: null }) });
  return { order, changed: true, fill: plan.fill, position: plan.position };
}

function withoutStops(position: Position & { stops?: unknown }): Position {
  const { stops: _stops, ...rest } = position;
  return rest;
}
