import type { Selectable } from "kysely";
import type { AccountsTable } from "../schema.ts";
import type { Db } from "./common.ts";

export interface AccountRecord {
  readonly id: string;
  /** The ccxt exchange id, e.g. "binance". */
  readonly exchange: string;
  readonly mode: "paper" | "live";
  /** The account's strategies.yaml entry (ccxt options, paper starting balances); never keys. */
  readonly config: unknown;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * Inserts an account or updates its exchange, mode and config; created_at keeps its first value.
 * @example await saveAccount(db, { id: "paper", exchange: "binance", mode: "paper", config, createdAt: now, updatedAt: now })
 */
export async function saveAccount(db: Db, account: AccountRecord): Promise<void> {
  const values = {
    exchange: account.exchange,
    mode: account.mode,
    config_json: JSON.stringify(account.config),
    updated_at: account.updatedAt,
  };
  await db
    .insertInto("accounts")
    .values({ id: account.id, created_at: account.createdAt, ...values })
    .onConflict((oc) => oc.column("id").doUpdateSet(values))
    .execute();
}

/** @example await findAccount(db, "paper") */
export async function findAccount(db: Db, id: string): Promise<AccountRecord | undefined> {
  const row = await db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toAccount(row);
}

/** Every account, by id. @example await listAccounts(db) */
export async function listAccounts(db: Db): Promise<AccountRecord[]> {
  return (await db.selectFrom("accounts").selectAll().orderBy("id").execute()).map(toAccount);
}

function toAccount(row: Selectable<AccountsTable>): AccountRecord {
  return {
    id: row.id,
    exchange: row.exchange,
    mode: row.mode as AccountRecord["mode"],
    config: JSON.parse(row.config_json) as unknown,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
