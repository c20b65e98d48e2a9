import type { Bus } from "../bus/index.ts";
import type { Clock } from "../clock.ts";
import type { AccountConfig, FeedConfig } from "../config/index.ts";
import { type SeriesKey, seriesId } from "../domain/index.ts";
import type { ExchangeAdapter } from "../execution/exchange.ts";
import type { Logger } from "../log.ts";
import { createLiveFeed, createReplayFeed, type LiveFeed, listSeries, type ReplayFeed } from "../market/index.ts";
import type { Store } from "../store/database.ts";
import type { EngineAccount } from "./accounts.ts";
import { marketDataExchange } from "./exchanges.ts";

/** The candle source the engine runs on, whichever it turned out to be. */
export interface EngineFeed {
  readonly kind: "replay" | "live" | "none";
  /** "exchange:symbol:timeframe" of each series fed. */
  readonly series: readonly string[];
  /** Strategies warm up on stored candles before this time: the replay's start, or now when live. */
  readonly warmupBefore: number;
  /** Why `auto` chose what it chose; undefined when the mode was explicit. */
  readonly reason?: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  published(): number;
}

export interface FeedDeps {
  readonly feed: FeedConfig;
  readonly accounts: ReadonlyMap<string, EngineAccount>;
  readonly accountConfigs: readonly AccountConfig[];
  /** Every series a loaded strategy trades. */
  readonly wanted: readonly SeriesKey[];
  readonly store: Store;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly cacheDir: string;
  readonly log: Logger;
}

/**
 * Chooses and prepares the feed of `feed.mode`: `replay` publishes stored candles; `live` polls each
 * exchange's OHLCV (after storing recent candles for the strategies to warm up on); `auto` asks every
 * exchange for a candle, waits `live.probeSeconds`, and goes live when all answered, else replays.
 * The live feed of an exchange uses the signed client of a live account on it when there is one, else
 * an unsigned client with the first account's `ccxt:` options.
 * @example const feed = await prepareFeed(deps); ...start the strategies...; await feed.start()
 */
export async function prepareFeed(deps: FeedDeps): Promise<EngineFeed> {
  const mode = deps.feed.mode;
  // Nothing to feed: no exchange needs asking.
  if (mode === "replay" || deps.wanted.length === 0) return replayFeed(deps);
  const sources = liveSources(deps);
  if (mode === "live") return liveFeed(deps, sources);
  const unreachable = await probe(sources, deps.wanted, deps.feed.live.probeSeconds * 1_000);
  if (unreachable === undefined) return liveFeed(deps, sources, "every exchange answered");
  for (const source of sources) if (source.owned) await source.adapter.close().catch(() => undefined);
  const reason = `${unreachable}: replaying stored candles`;
  deps.log.info({ reason }, "feed mode auto: no live market data");
  return { ...(await replayFeed(deps)), reason };
}

interface LiveSource {
  readonly exchange: string;
  readonly adapter: ExchangeAdapter;
  /** Opened here for market data (closed with the feed), rather than an account's own client. */
  readonly owned: boolean;
}

function liveSources(deps: FeedDeps): LiveSource[] {
  const exchanges = [...new Set(deps.wanted.map((k) => k.exchange))];
  return exchanges.map((exchange) => {
    const live = [...deps.accounts.values()].find((a) => a.config.mode === "live" && a.config.exchange === exchange);
    return live
      ? { exchange, adapter: live.exchange, owned: false }
      : { exchange, adapter: marketDataExchange(exchange, deps.accountConfigs), owned: true };
  });
}

/** Undefined when every exchange returned a candle in time; else which one did not, and why. */
async function probe(
  sources: readonly LiveSource[],
  wanted: readonly SeriesKey[],
  timeoutMs: number,
): Promise<string | undefined> {
  const answers = await Promise.all(
    sources.map(async (source) => {
      const key = wanted.find((k) => k.exchange === source.exchange) as SeriesKey;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
      });
      const asked = source.adapter.fetchCandles(key.symbol, key.timeframe, undefined, 2).then(
        (candles) => (candles.length > 0 ? undefined : "no candles"),
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      const problem = await Promise.race([asked, timeout]).finally(() => clearTimeout(timer));
      return problem === undefined ? undefined : `${source.exchange} unreachable (${problem})`;
    }),
  );
  return answers.find((a) => a !== undefined);
}

async function liveFeed(deps: FeedDeps, sources: readonly LiveSource[], reason?: string): Promise<EngineFeed> {
  const live = deps.feed.live;
  const feeds: LiveFeed[] = sources.map((source) =>
    createLiveFeed({
      adapter: source.adapter,
      store: deps.store,
      bus: deps.bus,
      clock: deps.clock,
      series: deps.wanted.filter((k) => k.exchange === source.exchange),
      pollMs: live.pollSeconds * 1_000,
      warmupCandles: live.warmupCandles,
      log: deps.log,
    }),
  );
  // Before the strategies start, so they warm up on the candles just before now.
  for (const feed of feeds) await feed.warmUp();
  const series = deps.wanted.map(seriesId);
  return {
    kind: "live",
    series,
    warmupBefore: deps.clock.now(),
    ...(reason !== undefined && { reason }),
    async start() {
      for (const feed of feeds) await feed.start();
      deps.log.info({ series, pollSeconds: live.pollSeconds }, "live feed started");
    },
    async stop() {
      for (const feed of feeds) await feed.stop();
      for (const source of sources) if (source.owned) await source.adapter.close().catch(() => undefined);
    },
    published: () => feeds.reduce((n, f) => n + f.status().published, 0),
  };
}

async function replayFeed(deps: FeedDeps): Promise<EngineFeed> {
  const stored = new Map((await listSeries(deps.store)).map((s) => [seriesId(s), s]));
  const series = deps.wanted.flatMap((key) => {
    const info = stored.get(seriesId(key));
    if (!info) deps.log.warn({ series: seriesId(key) }, "no stored candles for a configured series");
    return info ? [info] : [];
  });
  const liveAccounts = [...deps.accounts.values()].filter((a) => a.config.mode === "live");
  if (liveAccounts.length > 0) {
    deps.log.warn(
      { accounts: liveAccounts.map((a) => a.config.id) },
      "live accounts never trade on replayed candles: they wait for a live feed",
    );
  }
  const first = Math.min(...series.map((s) => s.first));
  const replay = deps.feed.replay;
  let feed: ReplayFeed | undefined;
  return {
    kind: series.length === 0 ? "none" : "replay",
    series: series.map(seriesId),
    // The replay starts at the oldest stored candle, so there is nothing older to warm up on: the
    // strategies warm up on the first candles they are sent.
    warmupBefore: Number.isFinite(first) ? first : deps.clock.now(),
    async start() {
      if (series.length === 0) {
        deps.log.warn("no stored candles for the configured strategies; the feed is idle");
        return;
      }
      feed = createReplayFeed({
        store: deps.store,
        bus: deps.bus,
        clock: deps.clock,
        series,
        candlesPerSecond: replay.candlesPerSecond,
        loop: replay.loop,
        ...(replay.from ? { from: Date.parse(replay.from) } : {}),
        cacheDir: deps.cacheDir,
        log: deps.log,
      });
      await feed.start();
      deps.log.info({ series: series.map(seriesId), candlesPerSecond: replay.candlesPerSecond }, "replay feed started");
    },
    async stop() {
      await feed?.stop();
    },
    published: () => feed?.status().published ?? 0,
  };
}
