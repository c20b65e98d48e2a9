import type { Kysely } from "kysely";

// Balances per account and currency; the paper exchange persists its balances here so a restart
// does not hand a paper account its starting cash again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("balances")
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("free", "double precision", (c) => c.notNull())
    .addColumn("used", "double precision", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("balances_pk", ["account_id", "currency"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("balances").execute();
}
