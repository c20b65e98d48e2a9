import type { Kysely } from "kysely";

// The ML model registry: each trained version, its held-out metrics and whether it trades (active),
// runs beside the active one without trading (shadow), or is kept for the record (retired).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("models")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("metrics_json", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("shadow"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("models_pk", ["name", "version"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("models").execute();
}
