import type { Kysely } from "kysely";

// Strategy instances and their lifecycle state, so a plugin disabled after repeated failures stays
// disabled across restarts until an operator re-enables it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("strategy_instances")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("plugin_id", "text", (c) => c.notNull())
    .addColumn("plugin_version", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("config_json", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull().defaultTo("ready"))
    .addColumn("state_reason", "text")
    .addColumn("failure_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("strategy_instances").execute();
}
