import type { Kysely } from "kysely";

// What each strategy instance holds of each symbol on each account. Stops live beside the position
// (stops_json) so engine-managed stops survive a restart.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("positions")
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("strategy_id", "text", (c) => c.notNull())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("quantity", "double precision", (c) => c.notNull())
    .addColumn("entry_price", "double precision", (c) => c.notNull())
    .addColumn("realized_pnl", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("fees", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("opened_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("stops_json", "text")
    .addPrimaryKeyConstraint("positions_pk", ["account_id", "strategy_id", "symbol"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("positions").execute();
}
