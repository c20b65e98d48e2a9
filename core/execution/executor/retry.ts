import { isRetryable, RateLimitedError } from "../errors.ts";

/** How hard the executor tries before it gives up on a call. */
export interface RetryPolicy {
  /** Calls in all, the first one included. */
  readonly maxAttempts: number;
  /** Wait before the second call; doubled for each further one. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** ± this fraction of the wait is random, so that many clients do not retry in step. */
  readonly jitter: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 10_000, jitter: 0.2 };

/** What retrying needs from the outside: a way to wait and a source of randomness (both injectable for tests). */
export interface RetryRuntime {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/**
 * The wait before attempt `attempt + 1`: exponential with jitter, and never shorter than what the
 * exchange asked for (Retry-After); the jitter goes on top of that so throttled clients spread out.
 * @example backoffDelay(3, DEFAULT_RETRY, () => 0.5) // 1000
 * @example backoffDelay(1, DEFAULT_RETRY, () => 0.5, 2_000) // 2000
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const spread = 1 + policy.jitter * (2 * random() - 1);
  const jittered = exponential * spread;
  if (retryAfterMs === undefined || !(retryAfterMs > 0)) return Math.round(jittered);
  return Math.round(retryAfterMs + policy.baseDelayMs * policy.jitter * random());
}

/** The Retry-After an error carries, when it is a retryable exchange error that has one. */
export function retryAfterOf(error: unknown): number | undefined {
  return isRetryable(error) ? error.retryAfterMs : undefined;
}

/** True for a 429-style refusal: the exchange answered without acting, so nothing is in flight. */
export function isRateLimit(error: unknown): boolean {
  return error instanceof RateLimitedError;
}

/**
 * Runs `call` until it succeeds, throws something not retryable, or runs out of attempts (then the
 * last error is thrown). Only for calls that are safe to repeat: reads and cancels, never a create.
 * @example const order = await withRetry(() => exchange.fetchOrderByClientId(symbol, id), DEFAULT_RETRY, runtime)
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  runtime: RetryRuntime,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= policy.maxAttempts) throw error;
      const delay = backoffDelay(attempt, policy, runtime.random, retryAfterOf(error));
      onRetry?.(error, attempt, delay);
      await runtime.sleep(delay);
    }
  }
}

/** A real wait. Time passing is not a clock read: a simulated clock never sleeps, it only retries. */
export function realSleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
