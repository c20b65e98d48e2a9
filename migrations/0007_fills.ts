import type { Kysely } from "kysely";

// Executions. The key makes re-applying a fill (a retried poll, reconciliation after a restart) a
// no-op. It is (account_id, id) rather than id alone because trade ids are unique only within one
// exchange, and two accounts on two exchanges could report the same one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("fills")
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("client_order_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("strategy_id", "text", (c) => c.notNull())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("side", "text", (c) => c.notNull())
    .addColumn("amount", "double precision", (c) => c.notNull())
    .addColumn("price", "double precision", (c) => c.notNull())
    .addColumn("fee", "double precision", (c) => c.notNull())
    .addColumn("fee_currency", "text", (c) => c.notNull())
    .addColumn("ts", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("fills_pk", ["account_id", "id"])
    .execute();
  await db.schema.createIndex("fills_order_idx").on("fills").column("client_order_id").execute();
  await db.schema.createIndex("fills_strategy_idx").on("fills").columns(["strategy_id", "ts"]).execute();
  await db.schema.createIndex("fills_account_ts_idx").on("fills").columns(["account_id", "ts"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("fills").execute();
}
