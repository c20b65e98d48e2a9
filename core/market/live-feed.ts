import type { Logger } from "pino";
import type { Bus } from "../bus/index.ts";
import type { Clock } from "../clock.ts";
import { bucketStart, type Candle, type SeriesKey, seriesId, timeframeMs } from "../domain/index.ts";
import type { ExchangeAdapter } from "../execution/exchange.ts";
import type { Store } from "../store/database.ts";
import { createCandleWriter } from "./candle-writer.ts";
import { allocateColumns } from "./columns.ts";
import { getSeries, refreshSeries } from "./series.ts";
import { inTransaction } from "./sql-context.ts";

export interface LiveFeedOptions {
  readonly adapter: ExchangeAdapter;
  readonly store: Store;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly series: readonly SeriesKey[];
  /** How often each series is polled; a candle is published within this long of closing. */
  readonly pollMs: number;
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
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): LiveFeedStatus;
}

/**
 * Live candles by polling the exchange's OHLCV endpoint (every ccxt exchange has one; not all stream).
 * Only CLOSED candles are published, each once and in order, and each is stored first so charts,
 * backtests and a restart see it. A failed poll is logged and retried on the next tick; it never ends
 * the feed. Polling resumes after the last stored candle, so nothing already imported is published
 * again; with nothing stored it starts with the last two closed candles.
 * @example const feed = createLiveFeed({ adapter, store, bus, clock, series, pollMs: 10_000, log })
 */
export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const { adapter, bus, clock, log } = options;
  const lastPublished = new Map<string, number>();
  let state: LiveFeedStatus["state"] = "idle";
  let published = 0;
  let polls = 0;
  let errors = 0;
  let lastError: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  async function pollSeries(key: SeriesKey): Promise<void> {
    const id = seriesId(key);
    const step = timeframeMs(key.timeframe);
    const last = lastPublished.get(id);
    // With nothing stored, start two candles back: enough for a strategy to see the market move
    // without replaying history that a backtest is the right tool for.
    const since = last === undefined ? bucketStart(clock.now(), key.timeframe) - 2 * step : last + step;
    const candles = await adapter.fetchCandles(key.symbol, key.timeframe, since);
    const now = clock.now();
    const closed = candles.filter((c) => c.time >= since && c.time + step <= now).sort((a, b) => a.time - b.time);
    if (closed.length === 0) return;
    await storeCandles(options.store, key, closed);
    for (const candle of closed) {
      await bus.publish("candle.closed", { ...key, candle, source: "live" });
      lastPublished.set(id, candle.time);
      published++;
    }
  }

  async function pollAll(): Promise<void> {
    polls++;
    for (const key of options.series) {
      try {
        await pollSeries(key);
      } catch (error) {
        errors++;
        lastError = error instanceof Error ? error.message : String(error);
        log.warn({ series: seriesId(key), err: lastError }, "live feed poll failed; retrying next tick");
      }
    }
  }

  function schedule(): void {
    if (state !== "running") return;
    timer = setTimeout(() => {
      inFlight = pollAll().finally(schedule);
    }, options.pollMs);
  }

  return {
    async start() {
      if (state === "running") return;
      for (const key of options.series) {
        const stored = await getSeries(options.store, key);
        if (stored) lastPublished.set(seriesId(key), stored.last);
      }
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

async function storeCandles(store: Store, key: SeriesKey, candles: readonly Candle[]): Promise<void> {
  const columns = allocateColumns(candles.length);
  candles.forEach((c, i) => {
    columns.time[i] = c.time;
    columns.open[i] = c.open;
    columns.high[i] = c.high;
    columns.low[i] = c.low;
    columns.close[i] = c.close;
    columns.volume[i] = c.volume;
  });
  await inTransaction(store, async (ctx) => {
    await createCandleWriter(ctx, key).write(columns);
    await refreshSeries(ctx, key);
  });
}
