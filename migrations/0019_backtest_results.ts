import type { Kysely } from "kysely";

// Stored backtests with everything that makes them reproducible (plugin version and code hash,
// params, data range, settings, engine version). The id is a hash of those inputs.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("backtest_results")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("plugin_id", "text", (c) => c.notNull())
    .addColumn("plugin_version", "text", (c) => c.notNull())
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("params_json", "text", (c) => c.notNull())
    .addColumn("symbols", "text", (c) => c.notNull())
    .addColumn("timeframe", "text", (c) => c.notNull())
    .addColumn("from_ts", "bigint", (c) => c.notNull())
    .addColumn("to_ts", "bigint", (c) => c.notNull())
    .addColumn("settings_json", "text", (c) => c.notNull())
    .addColumn("engine_version", "text", (c) => c.notNull())
    .addColumn("metrics_json", "text", (c) => c.notNull())
    .addColumn("result_json", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("backtest_results_plugin_idx")
    .on("backtest_results")
    .columns(["plugin_id", "created_at"])
    .execute();
  await db.schema.createIndex("backtest_results_created_idx").on("backtest_results").column("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("backtest_results").execute();
}
