import type { Kysely } from "kysely";

// How a chat or web login maps to a user: one user may be known on Telegram, Discord and the web.
// Deleting the user deletes its identities, so a removed user cannot come back through one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("user_identities")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("platform_user_id", "text", (c) => c.notNull())
    .addColumn("user_id", "bigint", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("user_identities_pk", ["platform", "platform_user_id"])
    .execute();
  await db.schema.createIndex("user_identities_user_idx").on("user_identities").column("user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("user_identities").execute();
}
