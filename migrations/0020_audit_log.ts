import { type Kysely, SqliteAdapter } from "kysely";

// Who did what and how it ended: commands, refused attempts, kill-switch changes, credential changes.
export async function up(db: Kysely<any>): Promise<void> {
  // An auto-assigned id is spelled differently on each engine, and one migration must run on both:
  // SQLite wants `integer primary key autoincrement` (the rowid, never reused), PostgreSQL the SQL
  // standard identity column. Asking Kysely's adapter keeps the choice here, in plain sight.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable("audit_log")
    .addColumn("id", sqlite ? "integer" : "bigint", (c) =>
      sqlite ? c.primaryKey().notNull().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
    )
    .addColumn("ts", "bigint", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target", "text")
    .addColumn("detail_json", "text")
    .addColumn("outcome", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_ts_idx").on("audit_log").column("ts").execute();
  await db.schema.createIndex("audit_log_actor_idx").on("audit_log").columns(["actor", "ts"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_log").execute();
}
