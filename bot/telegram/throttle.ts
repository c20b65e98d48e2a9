import type { Transformer } from "grammy";

/** Outgoing limits, in calls per unit of time; `Infinity` lifts one. */
export interface ThrottleLimits {
  /** At most this many calls in any second, all chats together. */
  readonly globalPerSecond: number;
  /** Calls a second to one private chat, evenly spaced (1: a second between two). */
  readonly privatePerSecond: number;
  /** Calls a second to one group (or channel), evenly spaced. */
  readonly groupPerSecond: number;
  /** At most this many calls to one group in any minute. */
  readonly groupPerMinute: number;
}

/** Reading the time and waiting, injected so tests can drive the throttler's decisions by hand. */
export interface ThrottleTime {
  /** Milliseconds on a clock that never goes back. */
  now(): number;
  /** Runs `wake` once, `ms` from now. */
  after(ms: number, wake: () => void): void;
}

const realTime: ThrottleTime = {
  now: () => performance.now(),
  after: (ms, wake) => void setTimeout(wake, ms),
};

/** A chat action ("sending a photo…") is not a message; getUpdates is what the bot receives, not sends. */
const UNTHROTTLED = new Set(["sendChatAction", "getUpdates"]);

/**
 * An API transformer that keeps outgoing calls within `limits`. Calls to one chat (by `chat_id`) go
 * out one at a time and in order: the next starts when the previous has settled, retries included,
 * and no sooner than the chat's pace allows. Calls without a chat id count against the global limit
 * only. A call within every limit goes straight through (no timer, no queue, not even an extra
 * await); a timer is set only when a call has to wait.
 * @example bot.api.config.use(throttle({ globalPerSecond: 30, privatePerSecond: 1, groupPerSecond: 1, groupPerMinute: 20 }))
 */
export function throttle(limits: ThrottleLimits, time: ThrottleTime = realTime): Transformer {
  const global = limit(limits.globalPerSecond, 1_000);
  const lanes = new Map<string, Lane>();
  let sweepAt = 256;

  const laneOf = (chatId: string | number): Lane => {
    const key = String(chatId);
    let lane = lanes.get(key);
    if (lane) return lane;
    if (lanes.size >= sweepAt) {
      sweepIdle(lanes, time.now());
      sweepAt = Math.max(256, lanes.size * 2);
    }
    // Private chats have positive ids; groups, supergroups and channels negative ones (or "@name").
    const group = !(Number(chatId) > 0);
    const own = group
      ? [limit(limits.groupPerSecond, 1_000, true), limit(limits.groupPerMinute, 60_000)]
      : [limit(limits.privatePerSecond, 1_000, true)];
    lane = { limits: own.filter((l) => l !== undefined), waiting: [], busy: false, waking: false };
    lanes.set(key, lane);
    return lane;
  };

  /** Starts `send` now: the lane is busy until it settles, then the next waiting call gets its turn. */
  const launch = <T>(lane: Lane, send: () => Promise<T>): Promise<T> => {
    lane.busy = true;
    const result = attempt(send);
    const release = () => {
      lane.busy = false;
      pump(lane);
    };
    result.then(release, release);
    return result;
  };

  /** Gives the lane's first waiting call its slot: at once, or by a timer when a limit says so. */
  const pump = (lane: Lane): void => {
    if (lane.busy || lane.waking || lane.waiting.length === 0) return;
    const now = time.now();
    const chatReady = readyAt(lane.limits, now);
    if (chatReady > now) {
      lane.waking = true;
      time.after(chatReady - now, () => {
        lane.waking = false;
        pump(lane);
      });
      return;
    }
    // The global slot is reserved now, so chats waiting on the global limit are served in turn.
    const at = global ? global.reserve(now) : now;
    for (const l of lane.limits) l.take(at);
    const next = lane.waiting.shift()!;
    lane.busy = true;
    if (at > now) time.after(at - now, () => void launch(lane, next));
    else void launch(lane, next);
  };

  const toChat = <T>(chatId: string | number, send: () => Promise<T>): Promise<T> => {
    const lane = laneOf(chatId);
    if (!lane.busy && !lane.waking && lane.waiting.length === 0) {
      const now = time.now();
      if (readyAt(lane.limits, now) <= now && (!global || global.readyAt(now) <= now)) {
        global?.take(now);
        for (const l of lane.limits) l.take(now);
        return launch(lane, send);
      }
    }
    return new Promise<T>((resolve, reject) => {
      lane.waiting.push(() => {
        const result = attempt(send);
        result.then(resolve, reject);
        return result;
      });
      pump(lane);
    });
  };

  const toNoChat = <T>(send: () => Promise<T>): Promise<T> => {
    const now = time.now();
    const at = global ? global.reserve(now) : now;
    if (at <= now) return send();
    return new Promise<T>((resolve) => time.after(at - now, () => resolve(attempt(send))));
  };

  return (prev, method, payload, signal) => {
    const send = () => prev(method, payload, signal);
    if (UNTHROTTLED.has(method)) return send();
    const chatId = (payload as { chat_id?: string | number } | undefined)?.chat_id;
    return chatId === undefined ? toNoChat(send) : toChat(chatId, send);
  };
}

/** One chat's queue: its own limits, the calls waiting in order, and whether one is out. */
interface Lane {
  readonly limits: readonly Limit[];
  readonly waiting: (() => Promise<unknown>)[];
  /** A call is in flight, or holds its slot and waits for it. */
  busy: boolean;
  /** A timer will look at the lane again. */
  waking: boolean;
}

/** One limit on a run of calls: when the next may go, and the calls made. No timer of its own. */
interface Limit {
  /** The earliest time, from `now` on, that a call keeps within the limit. */
  readyAt(now: number): number;
  /** Counts a call made at `at` (never earlier than the last one counted). */
  take(at: number): void;
  /** readyAt(now), counted as taken. */
  reserve(now: number): number;
  /** True when every call counted is older than the window: forgetting the limit changes nothing. */
  rested(now: number): boolean;
}

/**
 * At most `rate` calls in any `perMs` (a fractional rate widens the window instead), kept as the
 * times of the last calls in a ring; `evenly` allows one call per `perMs / rate` instead of bursts.
 * Undefined when the rate is unlimited.
 */
function limit(rate: number, perMs: number, evenly = false): Limit | undefined {
  if (!(rate < Number.POSITIVE_INFINITY)) return undefined;
  const count = evenly ? 1 : Math.max(1, Math.floor(rate));
  const windowMs = (perMs * count) / rate;
  const times: number[] = [];
  let oldest = 0; // once the ring is full, the index of the oldest time
  const readyAt = (now: number) => (times.length < count ? now : Math.max(now, times[oldest]! + windowMs));
  const take = (at: number) => {
    if (times.length < count) times.push(at);
    else {
      times[oldest] = at;
      oldest = (oldest + 1) % count;
    }
  };
  return {
    readyAt,
    take,
    reserve(now) {
      const at = readyAt(now);
      take(at);
      return at;
    },
    rested(now) {
      const newest = times.length < count ? times.length - 1 : (oldest + count - 1) % count;
      return newest < 0 || times[newest]! + windowMs <= now;
    },
  };
}

/** `send()`, with a synchronous throw turned into a rejected promise. */
function attempt<T>(send: () => Promise<T>): Promise<T> {
  try {
    return send();
  } catch (error) {
    return Promise.reject(error);
  }
}

function readyAt(limits: readonly Limit[], now: number): number {
  let at = now;
  for (const l of limits) at = Math.max(at, l.readyAt(now));
  return at;
}

/** Forgets chats with nothing waiting whose limits have fully recovered. */
function sweepIdle(lanes: Map<string, Lane>, now: number): void {
  for (const [key, lane] of lanes) {
    if (!lane.busy && !lane.waking && lane.waiting.length === 0 && lane.limits.every((l) => l.rested(now))) {
      lanes.delete(key);
    }
  }
}
