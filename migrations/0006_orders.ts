import type { Kysely } from "kysely";

// Orders, written before the exchange sees them; the client order id is the key so a retry after a
// crash finds the order it already made instead of making another.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("orders")
    .addColumn("client_order_id", "text", (c) => c.primaryKey().notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("strategy_id", "text", (c) => c.notNull())
    .addColumn("intent_id", "text", (c) => c.notNull())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("side", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("amount", "double precision", (c) => c.notNull())
    .addColumn("price", "double precision")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("filled", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("average_price", "double precision")
    .addColumn("fee", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("exchange_order_id", "text")
    .addColumn("reason", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  // Reconciliation asks for the open orders; chat and web list an account's orders.
  await db.schema.createIndex("orders_status_idx").on("orders").column("status").execute();
  await db.schema.createIndex("orders_account_idx").on("orders").columns(["account_id", "created_at"]).execute();
  await db.schema.createIndex("orders_strategy_idx").on("orders").columns(["strategy_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("orders").execute();
}
