import type { Kysely } from "kysely";

// Exchange API keys, encrypted (AES-256-GCM) before they reach the store: only ciphertext, the IV,
// the GCM tag and a masked hint of the key for `credentials list` are kept.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("credentials")
    .addColumn("name", "text", (c) => c.primaryKey().notNull())
    .addColumn("exchange", "text", (c) => c.notNull())
    .addColumn("ciphertext", "text", (c) => c.notNull())
    .addColumn("iv", "text", (c) => c.notNull())
    .addColumn("auth_tag", "text", (c) => c.notNull())
    .addColumn("key_hint", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("credentials").execute();
}
