import { type AutoRetryOptions, autoRetry } from "@grammyjs/auto-retry";
import { type APIThrottlerOptions, apiThrottler } from "@grammyjs/transformer-throttler";
import type { Transformer } from "grammy";
import type { Logger } from "../../core/log.ts";

/** How often a call Telegram answered 429 is tried again, and how long a `retry_after` may be. */
export type RetryLimits = Partial<Pick<AutoRetryOptions, "maxRetryAttempts" | "maxDelaySeconds">>;

/** Outgoing limits as Bottleneck settings: `global` (all chats), `group` (each group), `out` (each private chat). */
export type ThrottleLimits = APIThrottlerOptions;

/**
 * Telegram's documented limits (core.telegram.org/bots/faq, "My bot is hitting limits"): about 30
 * messages a second in all, one a second in a private chat, 20 a minute in a group. They are the
 * throttler plugin's own defaults, written out so they are visible and tests can swap parts of them.
 */
export const TELEGRAM_RATE_LIMITS = {
  global: { reservoir: 30, reservoirRefreshAmount: 30, reservoirRefreshInterval: 1_000 },
  group: {
    maxConcurrent: 1,
    minTime: 1_000,
    reservoir: 20,
    reservoirRefreshAmount: 20,
    reservoirRefreshInterval: 60_000,
  },
  out: { maxConcurrent: 1, minTime: 1_000 },
} as const satisfies Required<ThrottleLimits>;

/** A few retries, and no flood-wait over a minute: a longer one should surface, not hang a command. */
export const RETRY_LIMITS = { maxRetryAttempts: 3, maxDelaySeconds: 60 } as const satisfies RetryLimits;

export interface RateLimitOptions {
  readonly retry?: RetryLimits;
  /** Each part given (`global`, `group`, `out`) replaces that part of TELEGRAM_RATE_LIMITS. */
  readonly throttle?: ThrottleLimits;
  readonly log: Logger;
}

/**
 * The API transformers that keep the bot within Telegram's limits, innermost first, for
 * `bot.api.config.use(...)`: a log line per 429, grammY's auto-retry, and grammY's throttler outermost.
 * The throttler queues each chat's calls (one at a time, in order), so a retry waiting out a
 * `retry_after` holds back that chat's later messages instead of letting them overtake it.
 * Auto-retry retries 429s only: after a network error or a 5xx we cannot know whether the message
 * went out, and sending it twice is worse than reporting the failure. The price of the throttler is
 * latency: Bottleneck's in-memory store yields to the event loop several times per call, about 9 ms a
 * message (the chat's limiter and the global one), which Telegram's own pacing dwarfs.
 * @example bot.api.config.use(...rateLimits({ log }))
 */
export function rateLimits(options: RateLimitOptions): Transformer[] {
  const throttled = apiThrottler({ ...TELEGRAM_RATE_LIMITS, ...options.throttle });
  // A chat action ("sending a photo…") is not a message; queued behind one, it would delay the
  // message it announces by a whole second.
  const throttle: Transformer = (prev, method, payload, signal) =>
    method === "sendChatAction" ? prev(method, payload, signal) : throttled(prev, method, payload, signal);
  const retry = autoRetry({
    ...RETRY_LIMITS,
    ...options.retry,
    rethrowHttpErrors: true,
    rethrowInternalServerErrors: true,
  });
  return [logRateLimited(options.log), retry, throttle];
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
