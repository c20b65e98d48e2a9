import type { Fill, Order, Position } from "../../domain/index.ts";
import type { Store } from "../../store/database.ts";
import type { Maybe } from "../maybe.ts";
import { createKyselyLedger } from "./ledger-kysely.ts";
import { createSqliteLedger } from "./ledger-sqlite.ts";
import type { Plan } from "./plan.ts";

/** What one applied plan left in the store. */
export interface Applied {
  readonly order: Order;
  readonly changed: boolean;
  /** Present only when the fill was NEW: a fill already stored is neither re-applied nor re-published. */
  readonly fill?: Fill;
  readonly position?: Position;
}

/**
 * The executor's durable record: orders, fills and positions. Two implementations of one contract:
 * Kysely (PostgreSQL, and SQLite when no raw handle is at hand) and prepared statements on the raw
 * better-sqlite3 handle, the hot path of the embedded mode.
 */
/**
 * `batch`: other writes are in flight, so this one may share their commit (group commit); it still
 * resolves only once committed. Without it the write commits on its own at once (lowest latency).
 */
export interface WriteOptions {
  readonly batch?: boolean;
}

/**
 * Reads and writes may answer at once (the in-memory ledger; SQLite outside a group commit): a value
 * is as committed as a resolved promise, and saves the order path a turn of the event loop.
 */
export interface OrderLedger {
  /** Writes a new order and commits it; false, changing nothing, when the client order id is stored. */
  insert(order: Order, options?: WriteOptions): Maybe<boolean>;
  find(clientOrderId: string): Maybe<Order | undefined>;
  /** The account's orders not yet final, oldest first: what reconciliation walks. */
  listOpen(accountId: string): Promise<Order[]>;
  /**
   * In ONE transaction: re-reads the order and its position, asks `decide` for a plan, writes the
   * order, the fill (once: idempotent by id) and the position. Reading inside the transaction makes
   * two observations of the same order (a poll and a reconciliation) unable to record a fill twice.
   * Undefined when no such order is stored.
   */
  apply(
    clientOrderId: string,
    decide: (stored: Order, position: Position | undefined) => Plan,
    options?: WriteOptions,
  ): Maybe<Applied | undefined>;
}

/**
 * The fastest ledger for a store: raw prepared statements on SQLite, Kysely on PostgreSQL.
 * @example const ledger = ledgerFor(store); await ledger.insert(order)
 */
export function ledgerFor(store: Store): OrderLedger {
  return store.sqlite ? createSqliteLedger(store.sqlite) : createKyselyLedger(store.db);
}
