// The Telegram adapter: grammY bot, rendering of replies as HTML messages and photos, notifications.
export { createTelegramBot, type TelegramBot, type TelegramBotOptions } from "./bot.ts";
export { CALLBACK_DATA_LIMIT, decodeCallbackData, encodeCallbackData } from "./callback-data.ts";
export type { BotContext, CallerFlavor } from "./context.ts";
export { startTelegramFromEnv } from "./from-env.ts";
export { registerMenus } from "./menu.ts";
export {
  createTelegramNotifier,
  type DeliveryReport,
  type NotifierOptions,
  type TelegramNotifier,
} from "./notifier.ts";
export {
  type RateLimitOptions,
  RETRY_LIMITS,
  type RetryLimits,
  rateLimits,
  TELEGRAM_RATE_LIMITS,
} from "./rate-limits.ts";
export { escapeHtml } from "./render/escape.ts";
export { type Outgoing, renderReply, TELEGRAM_CAPTION_LIMIT, toKeyboard } from "./render/reply.ts";
export { packMessages, type Section, TELEGRAM_TEXT_LIMIT } from "./render/split.ts";
export { renderTable, type TableLines } from "./render/table.ts";
export { displayWidth } from "./render/width.ts";
export { replaceMessage, sendReply } from "./send.ts";
export { telegramSurface } from "./surface.ts";
export { type ThrottleLimits, type ThrottleTime, throttle } from "./throttle.ts";
