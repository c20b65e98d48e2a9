import { type AutoRetryOptions, autoRetry } from "@grammyjs/auto-retry";
import type { Transformer } from "grammy";
import type { Logger } from "../../core/log.ts";
import { type ThrottleLimits, throttle } from "./throttle.ts";

/** How often a call Telegram answered 429 is tried again, and how long a `retry_after` may be. */
export type RetryLimits = Partial<Pick<AutoRetryOptions, "maxRetryAttempts" | "maxDelaySeconds">>;

/**
 * Telegram's documented limits (core.telegram.org/bots/faq, "My bot is hitting limits"): about 30
 * messages a second in all, one a second in a chat, 20 a minute in a group.
 */
export const TELEGRAM_RATE_LIMITS = {
  globalPerSecond: 30,
  privatePerSecond: 1,
  groupPerSecond: 1,
  groupPerMinute: 20,
} as const satisfies ThrottleLimits;

/** A few retries, and no flood-wait over a minute: a longer one should surface, not hang a command. */
export const RETRY_LIMITS = { maxRetryAttempts: 3, maxDelaySeconds: 60 } as const satisfies RetryLimits;

export interface RateLimitOptions {
  readonly retry?: RetryLimits;
  /** Each limit given replaces that one of TELEGRAM_RATE_LIMITS. */
  readonly throttle?: Partial<ThrottleLimits>;
  readonly log: Logger;
}

/**
 * The API transformers that keep the bot within Telegram's limits, innermost first, for
 * `bot.api.config.use(...)`: a log line per 429, grammY's auto-retry, and our throttler outermost.
 * The throttler sends each chat's calls one at a time, in order, and a call is done only when its
 * retries are, so a retry waiting out a `retry_after` holds back that chat's later messages instead
 * of letting them overtake it. Auto-retry retries 429s only: after a network error or a 5xx we cannot
 * know whether the message went out, and sending it twice is worse than reporting the failure.
 * @example bot.api.config.use(...rateLimits({ log }))
 */
export function rateLimits(options: RateLimitOptions): Transformer[] {
  const retry = autoRetry({
    ...RETRY_LIMITS,
    ...options.retry,
    rethrowHttpErrors: true,
    rethrowInternalServerErrors: true,
  });
  return [logRateLimited(options.log), retry, throttle({ ...TELEGRAM_RATE_LIMITS, ...options.throttle })];
}

function logRateLimited(log: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (!result.ok && result.error_code === 429) {
      log.warn({ method, retryAfter: result.parameters?.retry_after }, "Telegram rate limit (429)");
    }
    return result;
  };
}
