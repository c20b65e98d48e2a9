import type { Kysely } from "kysely";

// The plugins' small key-value state (ctx.state). No foreign key to strategy_instances: the runner
// may persist state for an instance before the instance row is written, and the size cap is the
// host's job.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("strategy_state")
    .addColumn("strategy_id", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("value_json", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("strategy_state_pk", ["strategy_id", "key"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("strategy_state").execute();
}
