import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";

/** The database or a transaction on it: every repository function takes either. */
export type Db = Kysely<Database>;

/** Paging for list functions; each says which order it uses by default. */
export interface ListOptions {
  readonly limit?: number;
  readonly order?: "asc" | "desc";
}

/** A NULL column as an absent field. @example optional(row.price) // undefined for NULL */
export function optional<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

/** What Kysely reports after an insert, an update or a delete. */
export type WriteResult =
  | { numInsertedOrUpdatedRows?: bigint }
  | { numUpdatedRows: bigint }
  | { numDeletedRows: bigint };

/**
 * True when a write touched at least one row: how "insert unless present" and "update if present"
 * tell their caller which happened.
 * @example touched(await db.deleteFrom("fills").where("id", "=", id).executeTakeFirst())
 */
export function touched(result: WriteResult): boolean {
  const count =
    "numUpdatedRows" in result
      ? result.numUpdatedRows
      : "numDeletedRows" in result
        ? result.numDeletedRows
        : result.numInsertedOrUpdatedRows;
  return (count ?? 0n) > 0n;
}

/**
 * Runs `work` in a transaction, or inside the caller's when `db` already is one (Kysely does not
 * nest transactions).
 * @example await inTransaction(db, async (trx) => { … })
 */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
