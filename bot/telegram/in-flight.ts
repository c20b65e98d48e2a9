import type { Context, MiddlewareFn } from "grammy";

/** Updates being handled right now: counted by a middleware, waited for on stop (and by tests). */
export interface InFlight {
  /** Mount first: counts each update from the moment it arrives until its handling settles. */
  readonly middleware: MiddlewareFn<Context>;
  readonly count: number;
  /** Resolves true once no update is being handled, or false when `timeoutMs` passes first. */
  settled(timeoutMs?: number): Promise<boolean>;
}

/**
 * With updates handled concurrently there is no single "update in hand" any more; this is the tally
 * that replaces it.
 * @example const inFlight = trackInFlight(); bot.use(inFlight.middleware); … await inFlight.settled(2_000);
 */
export function trackInFlight(): InFlight {
  let count = 0;
  let waiters: (() => void)[] = [];
  return {
    async middleware(_ctx, next) {
      count++;
      try {
        await next();
      } finally {
        if (--count === 0) {
          const done = waiters;
          waiters = [];
          for (const wake of done) wake();
        }
      }
    },
    get count() {
      return count;
    },
    settled(timeoutMs = Number.POSITIVE_INFINITY) {
      if (count === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = timeoutMs < Number.POSITIVE_INFINITY ? setTimeout(() => resolve(false), timeoutMs) : undefined;
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
