import type { Kysely } from "kysely";

// The kill switch (ACTIVE, REDUCING, HALTED), one row per scope: "global" or an account id. Kept in
// the store so a HALT survives a restart.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("trading_state")
    .addColumn("scope", "text", (c) => c.primaryKey().notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("changed_by", "text", (c) => c.notNull())
    .addColumn("changed_at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("trading_state").execute();
}
