import type { Kysely } from "kysely";

// One row per stored candle series, kept by the candle importer in the same transaction as the
// candles. `revision` is bumped on every change so the columnar candle cache can tell it is stale.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("candle_series")
    .addColumn("exchange", "text", (c) => c.notNull())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("timeframe", "text", (c) => c.notNull())
    .addColumn("first_ts", "bigint", (c) => c.notNull())
    .addColumn("last_ts", "bigint", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addColumn("gaps", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("candle_series_pk", ["exchange", "symbol", "timeframe"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("candle_series").execute();
}
