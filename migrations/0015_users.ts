import { type Kysely, SqliteAdapter } from "kysely";

// People who use quantchat, whatever platform they come from; identities and roles hang off them.
export async function up(db: Kysely<any>): Promise<void> {
  // An auto-assigned id is spelled differently on each engine, and one migration must run on both:
  // SQLite wants `integer primary key autoincrement` (the rowid, never reused), PostgreSQL the SQL
  // standard identity column. Asking Kysely's adapter keeps the choice here, in plain sight.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable("users")
    .addColumn("id", sqlite ? "integer" : "bigint", (c) =>
      sqlite ? c.primaryKey().notNull().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
    )
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull().defaultTo("en"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("users").execute();
}
