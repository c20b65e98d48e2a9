import type { Api } from "grammy";
import type { Bus, Unsubscribe } from "../../core/bus/index.ts";
import type { Logger } from "../../core/log.ts";
import type { Db } from "../../core/store/repositories/common.ts";
import { listSubscribers } from "../../core/store/repositories/notifications.ts";
import { listRoles } from "../../core/store/repositories/roles.ts";
import { findUserByIdentity } from "../../core/store/repositories/users.ts";
import { NOTICE_TOPICS, type Notice, noticeFor } from "../commands/notices.ts";
import { createTranslator, DEFAULT_LANGUAGE, type Language, toLanguage } from "../i18n/index.ts";
import { sendReply } from "./send.ts";

export interface NotifierOptions {
  readonly api: Api;
  readonly bus: Bus;
  readonly db: Db;
  readonly log: Logger;
}

/** Where one notification went, each list in the order the deliveries ended. */
export interface DeliveryReport {
  readonly delivered: readonly string[];
  readonly failed: readonly string[];
  /** Private chats of users who no longer hold a role. */
  readonly skipped: readonly string[];
}

export interface TelegramNotifier {
  /** Subscribes to the bus; notifications flow until `stop`. */
  start(): void;
  stop(): void;
  /** Sends one notice to every Telegram chat subscribed to its kind (the daily summary job calls this). */
  deliver(notice: Notice): Promise<DeliveryReport>;
}

/**
 * Turns bus events into messages for the chats that asked for them (`/notify`). Chats are served all
 * at once, each in its own try: the bot's throttler paces each chat and the total to Telegram's
 * limits, so a chat held back (its own limit, a retry_after) delays no other, and a chat that blocked
 * the bot (403) is logged while the rest still get the message. A private chat reads in its user's
 * language and stops receiving anything once the user has no role; group chats read in English.
 * @example const notifier = createTelegramNotifier({ api: bot.api, bus, db: store.db, log }); notifier.start();
 */
export function createTelegramNotifier(options: NotifierOptions): TelegramNotifier {
  const { api, bus, db, log } = options;
  let unsubscribes: Unsubscribe[] = [];

  const audience = async (chatId: string): Promise<{ language: Language } | undefined> => {
    // Telegram gives a private chat the id of the user in it; group ids are negative and match no user.
    const user = await findUserByIdentity(db, { platform: "telegram", platformUserId: chatId });
    if (!user) return { language: DEFAULT_LANGUAGE };
    if ((await listRoles(db, user.id)).length === 0) return undefined;
    return { language: toLanguage(user.language) };
  };

  const deliver = async (notice: Notice): Promise<DeliveryReport> => {
    const delivered: string[] = [];
    const failed: string[] = [];
    const skipped: string[] = [];
    const chats = (await listSubscribers(db, notice.kind)).filter((s) => s.platform === "telegram");
    await Promise.all(
      chats.map(async ({ chatId }) => {
        try {
          const reader = await audience(chatId);
          if (!reader) {
            skipped.push(chatId);
            return;
          }
          await sendReply(api, chatId, notice.render(createTranslator(reader.language), reader.language));
          delivered.push(chatId);
        } catch (error) {
          failed.push(chatId);
          log.warn({ err: error, chatId, kind: notice.kind }, "notification not delivered");
        }
      }),
    );
    return { delivered, failed, skipped };
  };

  return {
    deliver,
    start() {
      if (unsubscribes.length > 0) return;
      unsubscribes = NOTICE_TOPICS.map((topic) =>
        bus.subscribe(topic, async (payload) => {
          const notice = noticeFor(topic, payload);
          if (notice) await deliver(notice);
        }),
      );
    },
    stop() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      unsubscribes = [];
    },
  };
}
