import type { Logger } from "pino";
import type { Bus } from "../bus/index.ts";
import type { Clock } from "../clock.ts";
import { bucketStart, type Candle, type SeriesKey, seriesId, timeframeMs } from "../domain/index.ts";
import type { ExchangeAdapter } from "../execution/exchange.ts";
import type { Store } from "../store/database.ts";
import { createCandleWriter } from "./candle-writer.ts";
import { allocateColumns } from "./columns.ts";
import { appendStats, countCandles, getSeries, refreshSeries, type SeriesStats, saveSeries } from "./series.ts";
import { inTransaction } from "./sql-context.ts";

export interface LiveFeedOptions {
  readonly adapter: ExchangeAdapter;
  readonly store: Store;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly series: readonly SeriesKey[];
  /** How often each series is polled; a candle is published within this long of closing. */
  readonly pollMs: number;
  /**
   * Closed candles fetched and stored (never published) when the feed starts, so that strategies warm
   * up on the recent market; 0 fetches none. Default 0.
   */
  readonly warmupCandles?: number;
  readonly log: Logger;
}

export interface LiveFeedStatus {
  readonly state: "idle" | "running" | "stopped";
  readonly published: number;
  readonly polls: number;
  readonly errors: number;
  readonly lastError?: string;
}

export interface LiveFeed {
  /**
   * Stores the recent closed candles (`warmupCandles`) without publishing them and marks everything
   * closed so far as history; call it before the strategies warm up. `start` does it when not done.
   */
  warmUp(): Promise<void>;
  /** Polls from now on; resolves after the first poll. */
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): LiveFeedStatus;
}

// Pages fetched per series while warming up; an exchange page is 500–1000 candles, warm-up at most 1000.
const MAX_WARMUP_PAGES = 4;

/**
 * Live candles by polling the exchange's OHLCV endpoint (every ccxt exchange has one; not all stream).
 * Only CLOSED candles are published, each once and in order, and each is stored first so charts,
 * backtests and a restart see it. A failed poll is logged and retried on the next tick; it never ends
 * the feed. History is never published as if it were live: whatever closed before the feed started is
 * stored by the warm-up and skipped, so a restart after a day down does not trade a day of old candles.
 * @example const feed = createLiveFeed({ adapter, store, bus, clock, series, pollMs: 10_000, warmupCandles: 300, log })
 */
export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const { adapter, bus, clock, log } = options;
  const lastPublished = new Map<string, number>();
  const stats = new Map<string, SeriesStats>();
  let state: LiveFeedStatus["state"] = "idle";
  let published = 0;
  let polls = 0;
  let errors = 0;
  let lastError: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let warmedUp: Promise<void> | undefined;

  /** Closed candles of `key` from `since` on, oldest first, as one exchange page gives them. */
  async function fetchClosed(key: SeriesKey, since: number): Promise<Candle[]> {
    const step = timeframeMs(key.timeframe);
    const now = clock.now();
    const candles = await adapter.fetchCandles(key.symbol, key.timeframe, since);
    return candles.filter((c) => c.time >= since && c.time + step <= now).sort((a, b) => a.time - b.time);
  }

  async function store(key: SeriesKey, candles: readonly Candle[]): Promise<void> {
    const id = seriesId(key);
    const next = await storeCandles(options.store, key, candles, stats.get(id));
    stats.set(id, next);
  }

  async function warmUpSeries(key: SeriesKey): Promise<void> {
    const id = seriesId(key);
    const step = timeframeMs(key.timeframe);
    const currentOpen = bucketStart(clock.now(), key.timeframe);
    const stored = lastPublished.get(id);
    // Nothing before this is needed: older candles are already stored or too old to warm up on.
    let since = Math.max(
      currentOpen - (options.warmupCandles ?? 0) * step,
      stored === undefined ? -Infinity : stored + step,
    );
    for (let page = 0; page < MAX_WARMUP_PAGES && since < currentOpen; page++) {
      const closed = await fetchClosed(key, since);
      if (closed.length === 0) break;
      await store(key, closed);
      since = (closed.at(-1) as Candle).time + step;
    }
    // Whatever has closed by now is history, not news: the first poll publishes only what closes next.
    lastPublished.set(id, Math.max(lastPublished.get(id) ?? -Infinity, currentOpen - step));
  }

  async function pollSeries(key: SeriesKey): Promise<void> {
    const id = seriesId(key);
    const last = lastPublished.get(id) as number;
    const closed = await fetchClosed(key, last + timeframeMs(key.timeframe));
    if (closed.length === 0) return;
    await store(key, closed);
    for (const candle of closed) {
      await bus.publish("candle.closed", { ...key, candle, source: "live" });
      lastPublished.set(id, candle.time);
      published++;
    }
  }

  async function eachSeries(work: (key: SeriesKey) => Promise<void>, what: string): Promise<void> {
    for (const key of options.series) {
      try {
        await work(key);
      } catch (error) {
        errors++;
        lastError = error instanceof Error ? error.message : String(error);
        log.warn({ series: seriesId(key), err: lastError }, `live feed ${what} failed; retrying next tick`);
      }
    }
  }

  async function pollAll(): Promise<void> {
    polls++;
    await eachSeries(pollSeries, "poll");
  }

  function schedule(): void {
    if (state !== "running") return;
    timer = setTimeout(() => {
      inFlight = pollAll().finally(schedule);
    }, options.pollMs);
  }

  return {
    warmUp() {
      warmedUp ??= (async () => {
        for (const key of options.series) {
          const stored = await getSeries(options.store, key);
          if (stored) lastPublished.set(seriesId(key), stored.last);
        }
        // A series whose warm-up failed starts from what is stored; the next poll catches up on the page.
        await eachSeries(warmUpSeries, "warm-up");
        for (const key of options.series) {
          const id = seriesId(key);
          const step = timeframeMs(key.timeframe);
          if (!lastPublished.has(id)) lastPublished.set(id, bucketStart(clock.now(), key.timeframe) - 2 * step);
        }
      })();
      return warmedUp;
    },
    async start() {
      if (state === "running") return;
      await this.warmUp();
      state = "running";
      inFlight = pollAll().finally(schedule);
      await inFlight;
    },
    async stop() {
      state = "stopped";
      clearTimeout(timer);
      await inFlight;
    },
    status() {
      return { state, published, polls, errors, ...(lastError === undefined ? {} : { lastError }) };
    },
  };
}

/**
 * Stores a block of closed candles with the series bookkeeping. Appending after what is stored (every
 * poll) updates the stats from the block alone; anything else recounts the series once.
 */
async function storeCandles(
  store: Store,
  key: SeriesKey,
  candles: readonly Candle[],
  known: SeriesStats | undefined,
): Promise<SeriesStats> {
  const step = timeframeMs(key.timeframe);
  const columns = allocateColumns(candles.length);
  let gaps = 0;
  candles.forEach((c, i) => {
    columns.time[i] = c.time;
    columns.open[i] = c.open;
    columns.high[i] = c.high;
    columns.low[i] = c.low;
    columns.close[i] = c.close;
    columns.volume[i] = c.volume;
    if (i > 0 && c.time - (candles[i - 1] as Candle).time > step) gaps++;
  });
  const added: SeriesStats = {
    count: candles.length,
    first: (candles[0] as Candle).time,
    last: (candles.at(-1) as Candle).time,
    gaps,
  };
  return inTransaction(store, async (ctx) => {
    const before = known ?? (await getSeries(ctx, key));
    await createCandleWriter(ctx, key).write(columns);
    const merged = before
      ? appendStats(before, added, step)
      : (await countCandles(ctx, key)) === added.count
        ? added
        : undefined;
    if (merged) return saveSeries(ctx, key, merged);
    return (await refreshSeries(ctx, key)) as SeriesStats;
  });
}
