import type SQLite from "better-sqlite3";
import type { Order, OrderStatus, OrderType, Position, Side } from "../../domain/index.ts";
import type { OrdersTable, PositionsTable } from "../../store/schema.ts";
import { GroupCommit } from "./group-commit.ts";
import type { Applied, OrderLedger } from "./ledger.ts";
import type { Plan } from "./plan.ts";

/**
 * The ledger on the raw better-sqlite3 handle with prepared statements: the hot path of the embedded
 * mode, where Kysely's query building and async driver would cost more than SQLite itself. The same
 * tables and the same semantics as the Kysely ledger (a test runs both through one suite).
 *
 * With `batch` set (other submits in flight) writes go through a group commit: one transaction for
 * every write of the event-loop turn. Without it (one order at a time) each commits at once.
 *
 * The handle is shared with Kysely. better-sqlite3 is synchronous, so nothing interleaves with one of
 * our statements, but Kysely can hold a transaction open across an await; anything we wrote then would
 * join that transaction (and vanish with its rollback). So every write first waits for the handle to
 * be outside any transaction.
 * @example const ledger = createSqliteLedger(store.sqlite!)
 */
export function createSqliteLedger(sqlite: SQLite.Database): OrderLedger {
  const s = statements(sqlite);
  const group = new GroupCommit(sqlite);
  const applyBody = (clientOrderId: string, decide: Decide): Applied | undefined => {
    const row = s.findOrder.get(clientOrderId) as OrderRow | undefined;
    if (!row) return undefined;
    const stored = toOrder(row);
    const positionRow = s.findPosition.get(stored.accountId, stored.strategyId, stored.symbol) as
      | PositionRow
      | undefined;
    return write(s, decide(stored, positionRow && toPosition(positionRow)));
  };
  const applyTx = sqlite.transaction(applyBody);

  // Writes answer with a promise even when they committed at once: the turn they give up is what lets
  // the other submits of a burst join the next one in a group commit (writes alone cost ~14 WAL pages
  // an intent, shared ones far fewer). Reads answer at once.
  return {
    async insert(order, options) {
      const params = orderParams(order);
      if (options?.batch) return group.enqueue(() => s.insertOrder.run(...params).changes > 0);
      if (sqlite.inTransaction) await idle(sqlite);
      return s.insertOrder.run(...params).changes > 0;
    },
    find(clientOrderId) {
      const row = s.findOrder.get(clientOrderId) as OrderRow | undefined;
      return row && toOrder(row);
    },
    async listOpen(accountId) {
      return (s.listOpen.all(accountId) as OrderRow[]).map(toOrder);
    },
    async apply(clientOrderId, decide, options) {
      if (options?.batch) return group.enqueue(() => applyBody(clientOrderId, decide));
      if (sqlite.inTransaction) await idle(sqlite);
      // IMMEDIATE takes the write lock up front: a second process on the file waits instead of
      // failing halfway with SQLITE_BUSY after our reads.
      return applyTx.immediate(clientOrderId, decide);
    },
  };
}

type Decide = (stored: Order, position: Position | undefined) => Plan;
type OrderRow = OrdersTable;
type PositionRow = Omit<PositionsTable, "stops_json">;
type Statements = ReturnType<typeof statements>;

function write(s: Statements, plan: Plan): Applied {
  const { order } = plan;
  if (!plan.changed) return { order, changed: false };
  s.updateOrder.run(
    order.status,
    order.filled,
    order.averagePrice ?? null,
    order.fee,
    order.exchangeOrderId ?? null,
    order.reason ?? null,
    order.updatedAt,
    order.clientOrderId,
  );
  const f = plan.fill;
  if (!f) return { order, changed: true };
  const inserted = s.insertFill.run(
    f.id,
    f.clientOrderId,
    f.accountId,
    f.strategyId,
    f.symbol,
    f.side,
    f.amount,
    f.price,
    f.fee,
    f.feeCurrency,
    f.time,
  );
  // Already recorded (a replayed observation): neither the position nor the event may see it twice.
  if (inserted.changes === 0) return { order, changed: true };
  const p = plan.position;
  if (!p) return { order, changed: true, fill: f };
  s.upsertPosition.run(
    p.accountId,
    p.strategyId,
    p.symbol,
    p.quantity,
    p.entryPrice,
    p.realizedPnl,
    p.fees,
    p.openedAt,
    p.updatedAt,
    plan.clearStops ? 1 : 0,
  );
  return { order, changed: true, fill: f, position: p };
}

// Positional parameters throughout: better-sqlite3 binds them about twice as fast as named ones.
function statements(db: SQLite.Database) {
  return {
    insertOrder: db.prepare(`INSERT INTO orders (client_order_id, account_id, strategy_id, intent_id, symbol, side,
        type, amount, price, status, filled, average_price, fee, exchange_order_id, reason, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (client_order_id) DO NOTHING`),
    updateOrder: db.prepare(`UPDATE orders SET status = ?, filled = ?, average_price = ?, fee = ?,
        exchange_order_id = ?, reason = ?, updated_at = ? WHERE client_order_id = ?`),
    findOrder: db.prepare("SELECT * FROM orders WHERE client_order_id = ?"),
    listOpen: db.prepare(`SELECT * FROM orders
      WHERE account_id = ? AND status IN ('pending', 'open', 'partially_filled') ORDER BY created_at, client_order_id`),
    insertFill: db.prepare(`INSERT INTO fills (id, client_order_id, account_id, strategy_id, symbol, side, amount,
        price, fee, fee_currency, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account_id, id) DO NOTHING`),
    findPosition: db.prepare(`SELECT account_id, strategy_id, symbol, quantity, entry_price, realized_pnl, fees,
        opened_at, updated_at FROM positions WHERE account_id = ? AND strategy_id = ? AND symbol = ?`),
    // Stops are kept unless the last parameter says the position's side ended (flat or flipped).
    upsertPosition: db.prepare(`INSERT INTO positions (account_id, strategy_id, symbol, quantity, entry_price,
        realized_pnl, fees, opened_at, updated_at, stops_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
      ON CONFLICT (account_id, strategy_id, symbol) DO UPDATE SET quantity = excluded.quantity,
        entry_price = excluded.entry_price, realized_pnl = excluded.realized_pnl, fees = excluded.fees,
        opened_at = excluded.opened_at, updated_at = excluded.updated_at,
        stops_json = CASE WHEN ? = 1 THEN NULL ELSE positions.stops_json END`),
  };
}

function orderParams(order: Order): unknown[] {
  return [
    order.clientOrderId,
    order.accountId,
    order.strategyId,
    order.intentId,
    order.symbol,
    order.side,
    order.type,
    order.amount,
    order.price ?? null,
    order.status,
    order.filled,
    order.averagePrice ?? null,
    order.fee,
    order.exchangeOrderId ?? null,
    order.reason ?? null,
    order.createdAt,
    order.updatedAt,
  ];
}

function toOrder(row: OrderRow): Order {
  return {
    clientOrderId: row.client_order_id,
    accountId: row.account_id,
    strategyId: row.strategy_id,
    intentId: row.intent_id,
    symbol: row.symbol,
    side: row.side as Side,
    type: row.type as OrderType,
    amount: row.amount,
    ...(row.price !== null && { price: row.price }),
    status: row.status as OrderStatus,
    filled: row.filled,
    ...(row.average_price !== null && { averagePrice: row.average_price }),
    fee: row.fee,
    ...(row.exchange_order_id !== null && { exchangeOrderId: row.exchange_order_id }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.reason !== null && { reason: row.reason }),
  };
}

function toPosition(row: PositionRow): Position {
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
  };
}

/** Resolves once no transaction (Kysely's, across an await) is open on the handle. */
async function idle(sqlite: SQLite.Database): Promise<void> {
  while (sqlite.inTransaction) await new Promise((resolve) => setImmediate(resolve));
}
