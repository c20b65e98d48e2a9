import type { Kysely } from "kysely";

// The metrics of each combination a sweep ran, stored as it finishes: a sweep stopped half way (a
// crash, Ctrl-C) runs only what is missing when started again, and a wider grid reruns only its new
// combinations. The id is a hash of the combination's backtest id, the metrics options and the engine's
// sources (see core/backtest/sweep/stored.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("sweep_results")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("backtest_id", "text", (c) => c.notNull())
    .addColumn("plugin_id", "text", (c) => c.notNull())
    .addColumn("params_json", "text", (c) => c.notNull())
    .addColumn("metrics_json", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("sweep_results").execute();
}
