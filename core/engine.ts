import type { EngineLifecycle } from "./bus/events.ts";
import type { Bus } from "./bus/index.ts";
import type { Clock } from "./clock.ts";
import type { StrategiesConfig } from "./config/index.ts";
import type { SeriesKey } from "./domain/index.ts";
import { isTimeframe } from "./domain/index.ts";
import type { Logger } from "./log.ts";
import { createReplayFeed, importSampleData, listSeries, type ReplayFeed } from "./market/index.ts";
import type { EngineMetrics } from "./metrics.ts";
import type { Store } from "./store/database.ts";

/** Everything an engine is built from. Backtest and live differ only in what is plugged in here. */
export interface EngineDeps {
  readonly clock: Clock;
  readonly bus: Bus;
  readonly store: Store;
  readonly config: StrategiesConfig;
  readonly log: Logger;
  readonly cacheDir: string;
  /** Shipped candles imported into an empty database on start, so a new install has data to replay. */
  readonly sampleDataDir?: string;
  readonly metrics?: EngineMetrics;
}

export interface EngineStatus {
  readonly state: EngineLifecycle;
  readonly startedAt?: number;
  readonly feed: {
    readonly kind: "replay" | "live" | "none";
    readonly series: readonly string[];
    readonly published: number;
  };
}

export interface Engine {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): EngineStatus;
}

/**
 * Wires one trading engine from config: the only place that knows every part. For now the engine is
 * its market-data half: a replay feed publishing stored candles on the bus; strategies, risk and
 * execution subscribe to that bus as they arrive.
 * @example const engine = createEngine({ clock: systemClock, bus, store, config, log, cacheDir: "var" })
 */
export function createEngine(deps: EngineDeps): Engine {
  const { bus, log } = deps;
  let state: EngineLifecycle = "stopped";
  let startedAt: number | undefined;
  let feed: ReplayFeed | undefined;
  let seriesIds: string[] = [];

  const setState = async (next: EngineLifecycle, reason?: string) => {
    state = next;
    await bus.publish("engine.state", reason ? { state: next, reason } : { state: next });
  };

  return {
    async start() {
      if (state === "running" || state === "starting") return;
      await setState("starting");
      startedAt = deps.clock.now();
      if (deps.sampleDataDir) {
        const imported = await importSampleData(deps.store, deps.sampleDataDir, deps.cacheDir, log);
        if (imported.files > 0) log.info({ files: imported.files, rows: imported.rows }, "sample candles imported");
      }
      const series = await feedSeries(deps);
      seriesIds = series.map((s) => `${s.exchange}:${s.symbol}:${s.timeframe}`);
      if (series.length === 0) {
        log.warn("no stored candles for the configured strategies; the feed is idle");
      } else {
        const replay = deps.config.feed.replay;
        feed = createReplayFeed({
          store: deps.store,
          bus,
          clock: deps.clock,
          series,
          candlesPerSecond: replay.candlesPerSecond,
          loop: replay.loop,
          ...(replay.from ? { from: Date.parse(replay.from) } : {}),
          cacheDir: deps.cacheDir,
          log,
        });
        await feed.start();
        log.info({ series: seriesIds, candlesPerSecond: replay.candlesPerSecond }, "replay feed started");
      }
      if (deps.metrics) {
        const counter = deps.metrics.candlesPublished;
        bus.subscribe("candle.closed", (event) => {
          counter.inc({ source: event.source });
        });
      }
      await setState("running");
    },

    async stop() {
      if (state === "stopped" || state === "stopping") return;
      await setState("stopping");
      await feed?.stop();
      await bus.drain();
      state = "stopped";
      log.info("engine stopped");
    },

    status() {
      return {
        state,
        ...(startedAt === undefined ? {} : { startedAt }),
        feed: {
          kind: feed ? "replay" : "none",
          series: seriesIds,
          published: feed?.status().published ?? 0,
        },
      };
    },
  };
}

/**
 * The series a replay feed plays: every enabled strategy's symbols on its account's exchange and
 * timeframe, where candles are stored. With no strategy configured, the hourly series on hand.
 */
async function feedSeries(deps: EngineDeps): Promise<SeriesKey[]> {
  const stored = await listSeries(deps.store);
  const has = new Set(stored.map((s) => `${s.exchange}:${s.symbol}:${s.timeframe}`));
  const exchangeOf = new Map(deps.config.accounts.map((a) => [a.id, a.exchange]));
  const wanted = new Map<string, SeriesKey>();
  for (const strategy of deps.config.strategies) {
    if (!strategy.enabled) continue;
    const exchange = exchangeOf.get(strategy.account);
    if (!exchange || !isTimeframe(strategy.timeframe)) continue;
    for (const symbol of strategy.symbols) {
      const key = { exchange, symbol, timeframe: strategy.timeframe };
      const id = `${exchange}:${symbol}:${strategy.timeframe}`;
      if (has.has(id)) wanted.set(id, key);
      else deps.log.warn({ series: id }, "no stored candles for a configured series");
    }
  }
  if (wanted.size > 0 || deps.config.strategies.length > 0) return [...wanted.values()];
  return stored.filter((s) => s.timeframe === "1h");
}
