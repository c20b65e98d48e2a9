import type { Kysely } from "kysely";

// Which chats get which notifications (fills, stop-outs, risk warnings, plugin failures, trading
// state, daily summary), as set with `/notify on|off|<kinds>`.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notification_subscriptions")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("chat_id", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("kinds_json", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("notification_subscriptions_pk", ["platform", "chat_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("notification_subscriptions").execute();
}
