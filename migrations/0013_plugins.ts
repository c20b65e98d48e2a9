import type { Kysely } from "kysely";

// Installed plugin versions (built-in or from the marketplace) with the digest they were checked
// against. enabled is an integer 0/1: SQLite has no boolean type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("plugins")
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("manifest_json", "text", (c) => c.notNull())
    .addColumn("installed_at", "bigint", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint("plugins_pk", ["id", "version"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("plugins").execute();
}
