import type { Kysely } from "kysely";

// Migrations import no application code and use portable types only (ARCHITECTURE.md, Kysely's habit).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("candles")
    .addColumn("exchange", "text", (c) => c.notNull())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("timeframe", "text", (c) => c.notNull())
    .addColumn("ts", "bigint", (c) => c.notNull())
    .addColumn("open", "double precision", (c) => c.notNull())
    .addColumn("high", "double precision", (c) => c.notNull())
    .addColumn("low", "double precision", (c) => c.notNull())
    .addColumn("close", "double precision", (c) => c.notNull())
    .addColumn("volume", "double precision", (c) => c.notNull())
    .addPrimaryKeyConstraint("candles_pk", ["exchange", "symbol", "timeframe", "ts"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("candles").execute();
}
