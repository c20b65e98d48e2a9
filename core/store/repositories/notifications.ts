import type { Selectable } from "kysely";
import type { NotificationSubscriptionsTable } from "../schema.ts";
import type { Db } from "./common.ts";

/** What a chat has asked to hear about; kinds are defined by the notifier, `"*"` means all of them. */
export interface NotificationSubscription {
  readonly platform: string;
  readonly chatId: string;
  readonly enabled: boolean;
  readonly kinds: readonly string[];
  readonly updatedAt: number;
}

/**
 * Creates or replaces a chat's subscription.
 * @example await saveSubscription(db, { platform: "telegram", chatId: "-100123", enabled: true, kinds: ["fill", "risk"], updatedAt: now })
 */
export async function saveSubscription(db: Db, subscription: NotificationSubscription): Promise<void> {
  const values = {
    enabled: subscription.enabled ? 1 : 0,
    kinds_json: JSON.stringify(subscription.kinds),
    updated_at: subscription.updatedAt,
  };
  await db
    .insertInto("notification_subscriptions")
    .values({ platform: subscription.platform, chat_id: subscription.chatId, ...values })
    .onConflict((oc) => oc.columns(["platform", "chat_id"]).doUpdateSet(values))
    .execute();
}

/** @example await findSubscription(db, "telegram", "-100123") */
export async function findSubscription(
  db: Db,
  platform: string,
  chatId: string,
): Promise<NotificationSubscription | undefined> {
  const row = await db
    .selectFrom("notification_subscriptions")
    .selectAll()
    .where("platform", "=", platform)
    .where("chat_id", "=", chatId)
    .executeTakeFirst();
  return row && toSubscription(row);
}

/**
 * The enabled chats that want `kind` (or every enabled chat when no kind is given).
 * @example for (const s of await listSubscribers(db, "fill")) await send(s.platform, s.chatId, text)
 */
export async function listSubscribers(db: Db, kind?: string): Promise<NotificationSubscription[]> {
  const rows = await db
    .selectFrom("notification_subscriptions")
    .selectAll()
    .where("enabled", "=", 1)
    .orderBy("platform")
    .orderBy("chat_id")
    .execute();
  // Few chats subscribe; filtering the JSON list here keeps the query portable.
  return rows.map(toSubscription).filter((s) => kind === undefined || s.kinds.includes("*") || s.kinds.includes(kind));
}

function toSubscription(row: Selectable<NotificationSubscriptionsTable>): NotificationSubscription {
  return {
    platform: row.platform,
    chatId: row.chat_id,
    enabled: row.enabled !== 0,
    kinds: JSON.parse(row.kinds_json) as string[],
    updatedAt: row.updated_at,
  };
}
