import type { Logger } from "pino";
import type { Bus } from "../bus/index.ts";
import { type Clock, systemClock } from "../clock.ts";
import { type CandleColumns, type SeriesKey, seriesId, timeframeMs } from "../domain/index.ts";
import type { Store } from "../store/database.ts";
import { loadCandles } from "./candle-cache.ts";

export interface ReplayFeedOptions {
  readonly store: Store;
  readonly bus: Bus;
  /** Paces the replay; the system clock unless a test brings its own. */
  readonly clock?: Clock;
  readonly series: readonly SeriesKey[];
  /** Candles published per second across all series; 0 or Infinity means as fast as possible. */
  readonly candlesPerSecond: number;
  /** Start again from the beginning after the last candle. */
  readonly loop: boolean;
  /** Open time (epoch ms) to start from; the start of each series when left out. */
  readonly from?: number;
  readonly cacheDir: string;
  readonly log: Logger;
}

export type ReplayState = "idle" | "starting" | "running" | "finished" | "stopping" | "stopped" | "failed";

export interface ReplayFeedStatus {
  readonly state: ReplayState;
  readonly series: number;
  /** Candles per pass across all series. */
  readonly candles: number;
  readonly published: number;
  /** Completed passes over the data (when looping). */
  readonly loops: number;
  /** Open time of the last published candle. */
  readonly lastTime?: number;
  readonly error?: string;
}

export interface ReplayFeed {
  /** Loads the candles (through the columnar cache) and starts publishing; resolves once running. */
  start(): Promise<void>;
  /** Stops publishing; resolves once the feed has stopped (within a timer tick, ~ms). */
  stop(): Promise<void>;
  status(): ReplayFeedStatus;
}

interface Track {
  readonly key: SeriesKey;
  readonly columns: CandleColumns;
  readonly step: number;
  index: number;
}

// As-fast-as-possible mode yields to the event loop this often, so subscribers and stop() get a turn.
const FAST_BATCH = 256;

/**
 * A feed that publishes stored candles as `candle.closed` events (source "replay"), for the embedded
 * mode without a network and for demos. Series are merged by CLOSE time (open + timeframe), which is
 * when a live feed would report them: a 1h candle comes after the twelfth 5m candle of its hour, not
 * before the first. Ties go to the series listed first.
 *
 * @example
 * const feed = createReplayFeed({ store, bus, series: [btc5m, eth5m], candlesPerSecond: 20, loop: true,
 *   cacheDir: "var/cache", log });
 * await feed.start(); ... await feed.stop();
 */
export function createReplayFeed(options: ReplayFeedOptions): ReplayFeed {
  const clock = options.clock ?? systemClock;
  const rate = options.candlesPerSecond;
  const fast = !(rate > 0 && Number.isFinite(rate));
  let state: ReplayState = "idle";
  let tracks: Track[] = [];
  let published = 0;
  let loops = 0;
  // Each loop replays the data shifted forward by its whole span, so time never runs backwards for the
  // strategies and accounts listening: a loop reads as the market carrying on, not as a rewind.
  let span = 0;
  let offset = 0;
  let lastTime: number | undefined;
  let error: string | undefined;
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const stopping = () => state === "stopping";

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
  }

  /** The track whose next candle closes first, or undefined at the end of every series. */
  function nextTrack(): Track | undefined {
    let best: Track | undefined;
    let bestClose = Number.POSITIVE_INFINITY;
    for (const t of tracks) {
      if (t.index >= t.columns.time.length) continue;
      const close = (t.columns.time[t.index] as number) + t.step;
      if (close < bestClose) {
        best = t;
        bestClose = close;
      }
    }
    return best;
  }

  async function publishNext(): Promise<boolean> {
    let track = nextTrack();
    if (!track) {
      if (!options.loop) return false;
      for (const t of tracks) t.index = 0;
      loops++;
      offset += span;
      track = nextTrack();
      if (!track) return false;
    }
    const c = track.columns;
    const i = track.index++;
    const time = (c.time[i] as number) + offset;
    await options.bus.publish("candle.closed", {
      exchange: track.key.exchange,
      symbol: track.key.symbol,
      timeframe: track.key.timeframe,
      candle: {
        time,
        open: c.open[i] as number,
        high: c.high[i] as number,
        low: c.low[i] as number,
        close: c.close[i] as number,
        volume: c.volume[i] as number,
      },
      source: "replay",
    });
    published++;
    lastTime = time;
    return true;
  }

  async function run(): Promise<void> {
    let startedAt = clock.now();
    let sent = 0;
    while (!stopping()) {
      let due: number;
      if (fast) {
        due = FAST_BATCH;
      } else {
        const elapsed = clock.now() - startedAt;
        due = Math.floor((elapsed * rate) / 1000) - sent;
        if (due > rate) {
          // More than a second behind (a slow subscriber, a suspended laptop): carry on from now rather
          // than publish the backlog in one burst.
          startedAt = clock.now();
          sent = 0;
          due = 1;
        }
        if (due <= 0) {
          await sleep(Math.max(1, ((sent + 1) * 1000) / rate - elapsed));
          continue;
        }
      }
      for (let k = 0; k < due && !stopping(); k++) {
        if (!(await publishNext())) {
          state = "finished";
          options.log.info({ published }, "replay feed reached the end of its candles");
          return;
        }
        sent++;
      }
      if (fast) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  return {
    async start() {
      if (state !== "idle" && state !== "stopped" && state !== "finished" && state !== "failed") {
        throw new Error(`replay feed is already ${state}`);
      }
      state = "starting";
      error = undefined;
      tracks = [];
      for (const key of options.series) {
        const range = options.from === undefined ? {} : { from: options.from };
        const columns = await loadCandles(options.store, key, range, options.cacheDir, { log: options.log });
        if (columns.time.length === 0)
          options.log.warn({ series: seriesId(key) }, "replay feed: series has no candles");
        tracks.push({ key, columns, step: timeframeMs(key.timeframe), index: 0 });
      }
      if ((state as ReplayState) !== "starting") return; // stop() was called while loading
      span = replaySpan(tracks);
      state = "running";
      options.log.debug(
        { series: tracks.map((t) => seriesId(t.key)), candlesPerSecond: rate, loop: options.loop },
        "replay feed started",
      );
      running = run().catch((e: unknown) => {
        state = "failed";
        error = e instanceof Error ? e.message : String(e);
        options.log.error({ err: e }, "replay feed failed");
      });
    },

    async stop() {
      if (state !== "running" && state !== "starting") {
        await running;
        return;
      }
      state = "stopping";
      clearTimeout(timer);
      wake?.();
      await running;
      if ((state as ReplayState) === "stopping") state = "stopped";
    },

    status() {
      return {
        state,
        series: tracks.length,
        candles: tracks.reduce((n, t) => n + t.columns.time.length, 0),
        published,
        loops,
        ...(lastTime === undefined ? {} : { lastTime }),
        ...(error === undefined ? {} : { error }),
      };
    },
  };
}

/** From the first open to the last close across all series: how far each loop moves time forward. */
function replaySpan(tracks: readonly Track[]): number {
  let first = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const t of tracks) {
    const n = t.columns.time.length;
    if (n === 0) continue;
    first = Math.min(first, t.columns.time[0] as number);
    end = Math.max(end, (t.columns.time[n - 1] as number) + t.step);
  }
  if (!Number.isFinite(first)) return 0;
  // Whole days keep daily and weekly buckets aligned after the shift.
  const day = 86_400_000;
  return Math.ceil((end - first) / day) * day;
}
