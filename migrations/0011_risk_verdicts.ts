import { type Kysely, SqliteAdapter } from "kysely";

// Every verdict the risk manager gives, for chat, the web panel and the audit of why an order was or
// was not sent.
export async function up(db: Kysely<any>): Promise<void> {
  // An auto-assigned id is spelled differently on each engine, and one migration must run on both:
  // SQLite wants `integer primary key autoincrement` (the rowid, never reused), PostgreSQL the SQL
  // standard identity column. Asking Kysely's adapter keeps the choice here, in plain sight.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable("risk_verdicts")
    .addColumn("id", sqlite ? "integer" : "bigint", (c) =>
      sqlite ? c.primaryKey().notNull().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
    )
    .addColumn("intent_id", "text", (c) => c.notNull())
    .addColumn("strategy_id", "text", (c) => c.notNull())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("side", "text", (c) => c.notNull())
    .addColumn("decision", "text", (c) => c.notNull())
    .addColumn("amount", "double precision", (c) => c.notNull())
    .addColumn("rules_json", "text", (c) => c.notNull())
    .addColumn("warnings_json", "text", (c) => c.notNull())
    .addColumn("ts", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("risk_verdicts_strategy_idx")
    .on("risk_verdicts")
    .columns(["strategy_id", "ts"])
    .execute();
  await db.schema.createIndex("risk_verdicts_intent_idx").on("risk_verdicts").column("intent_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("risk_verdicts").execute();
}
