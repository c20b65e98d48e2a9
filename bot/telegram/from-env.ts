import type { Bus } from "../../core/bus/index.ts";
import type { Clock } from "../../core/clock.ts";
import type { Env } from "../../core/config/env.ts";
import type { Logger } from "../../core/log.ts";
import type { Store } from "../../core/store/database.ts";
import type { CoreServices } from "../commands/services.ts";
import { createTelegramBot, type TelegramBot } from "./bot.ts";

/**
 * What `npm start` calls: the Telegram bot when TELEGRAM_BOT_TOKEN is set, otherwise one log line
 * saying it is off. The bot starts in the background: Telegram being unreachable (or the token being
 * refused) is logged and must not hold up or take down the engine, which keeps managing positions.
 * `await telegram.start()` waits for it when a caller does want to.
 * @example const telegram = startTelegramFromEnv(env, { services, store, bus, clock, log }); … await telegram?.stop();
 */
export function startTelegramFromEnv(
  env: Pick<Env, "TELEGRAM_BOT_TOKEN" | "TELEGRAM_API_ROOT" | "TELEGRAM_ADMINS">,
  deps: {
    readonly services: CoreServices;
    readonly store: Store;
    readonly bus: Bus;
    readonly clock: Clock;
    readonly log: Logger;
  },
): TelegramBot | undefined {
  if (!env.TELEGRAM_BOT_TOKEN) {
    deps.log.info("TELEGRAM_BOT_TOKEN is not set: the Telegram bot is off");
    return undefined;
  }
  const telegram = createTelegramBot({
    token: env.TELEGRAM_BOT_TOKEN,
    ...(env.TELEGRAM_API_ROOT !== undefined && { apiRoot: env.TELEGRAM_API_ROOT }),
    admins: env.TELEGRAM_ADMINS ?? [],
    ...deps,
  });
  telegram.start().catch((error: unknown) => deps.log.error({ err: error }, "Telegram bot did not start"));
  return telegram;
}
