import type { Kysely } from "kysely";

// Equity over time for charts and daily PnL. strategy_id is "" (not NULL) for the account total,
// because NULLs are never equal in a key and a repeated snapshot must replace, not duplicate.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("equity_snapshots")
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("strategy_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("ts", "bigint", (c) => c.notNull())
    .addColumn("equity", "double precision", (c) => c.notNull())
    .addColumn("cash", "double precision", (c) => c.notNull())
    .addColumn("unrealized_pnl", "double precision", (c) => c.notNull())
    .addPrimaryKeyConstraint("equity_snapshots_pk", ["account_id", "strategy_id", "ts"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("equity_snapshots").execute();
}
