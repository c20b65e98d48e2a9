import type SQLite from "better-sqlite3";
import type { Kysely } from "kysely";
import type { DialectName, Store } from "../store/database.ts";

/**
 * What the candle code needs to run SQL: a Kysely handle (the store's, or a transaction's) and, on
 * SQLite, the raw better-sqlite3 handle for the bulk paths. On SQLite both reach the same connection,
 * so raw statements run inside a Kysely transaction while it is open.
 */
export interface SqlContext {
  // Kysely<any>: candle_series comes from a migration written in parallel; plain SQL keeps us off its typing.
  readonly db: Kysely<any>;
  readonly dialect: DialectName;
  readonly sqlite?: SQLite.Database;
}

/**
 * Runs `work` in one database transaction: everything it writes is committed together or not at all,
 * and everything it reads comes from one snapshot (SQLite always; PostgreSQL with `snapshot: true`,
 * which asks for REPEATABLE READ). Kysely holds SQLite's single connection for the duration, so no
 * other query of this process slips into the transaction, and raw statements on `ctx.sqlite` are in it.
 * @example await inTransaction(store, async (ctx) => { await createCandleWriter(ctx, key).write(rows) })
 */
export async function inTransaction<T>(
  store: Store,
  work: (ctx: SqlContext) => Promise<T>,
  options: { snapshot?: boolean } = {},
): Promise<T> {
  let builder = store.db.transaction();
  if (options.snapshot && store.dialect === "postgres") builder = builder.setIsolationLevel("repeatable read");
  return builder.execute((trx) =>
    work({ db: trx as unknown as Kysely<any>, dialect: store.dialect, sqlite: store.sqlite }),
  );
}
