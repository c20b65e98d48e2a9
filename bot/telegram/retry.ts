import type { Transformer } from "grammy";
import type { Logger } from "../../core/log.ts";

/** The part of an AbortSignal we use; grammY on Node hands over the abort-controller package's kind. */
export interface AbortLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

export interface RetryOptions {
  /** Retries after the first attempt; 3 by default. */
  readonly maxRetries?: number;
  /** A longer `retry_after` is not waited for: the error goes to the caller. 60 by default. */
  readonly maxDelaySeconds?: number;
  readonly log?: Logger;
  /** Injected in tests; waits `ms` unless the call is aborted first. */
  readonly sleep?: (ms: number, signal?: AbortLike) => Promise<void>;
}

/**
 * An API transformer that retries a call Telegram answered with 429 Too Many Requests, after the
 * `retry_after` seconds Telegram asks for. Bounded twice: a few retries, and no wait longer than
 * `maxDelaySeconds` (a flood-wait of minutes should surface, not hang a command). Only 429 is retried:
 * after a network error we cannot know whether a message went out, and sending it twice is worse.
 * grammY's @grammyjs/auto-retry plugin does the same and can replace this once approved.
 * @example bot.api.config.use(retryOn429({ maxRetries: 3, log }))
 */
export function retryOn429(options: RetryOptions = {}): Transformer {
  const maxRetries = options.maxRetries ?? 3;
  const maxDelay = options.maxDelaySeconds ?? 60;
  const sleep = options.sleep ?? abortableSleep;
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      const result = await prev(method, payload, signal);
      if (result.ok || result.error_code !== 429 || attempt >= maxRetries || signal?.aborted) return result;
      const after = result.parameters?.retry_after;
      if (after === undefined || after > maxDelay) return result;
      options.log?.warn({ method, retryAfter: after, attempt: attempt + 1 }, "Telegram rate limit; retrying");
      await sleep(after * 1_000, signal);
    }
  };
}

function abortableSleep(ms: number, signal?: AbortLike): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
