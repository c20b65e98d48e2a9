import type { BusEvents, EngineLifecycle } from "./bus/events.ts";
import type { Bus } from "./bus/index.ts";
import type { Clock } from "./clock.ts";
import type { LoadedConfig } from "./config/index.ts";
import type { MasterKeyInput } from "./credentials/index.ts";
import type { SeriesKey } from "./domain/index.ts";
import type { Logger } from "./log.ts";
import { importSampleData } from "./market/index.ts";
import type { EngineMetrics } from "./metrics.ts";
import type { PluginRegistry } from "./plugins/registry.ts";
import { SandboxPool } from "./plugins/sandbox/pool.ts";
import type { Store } from "./store/database.ts";
import { setInstanceState } from "./store/repositories/strategy-instances.ts";
import type { AccountStatus } from "./trading/index.ts";
import { dispatchCandle } from "./trading/index.ts";
import { buildAccounts, closeAccounts, type EngineAccount } from "./wiring/accounts.ts";
import { type EngineFeed, prepareFeed } from "./wiring/feed.ts";
import { keepParamOverrides, loadParamOverrides, withParamOverrides } from "./wiring/param-overrides.ts";
import { buildStrategies, type EngineStrategy } from "./wiring/strategies.ts";

/** Everything an engine is built from. Backtest and live differ only in what is plugged in here. */
export interface EngineDeps {
  readonly clock: Clock;
  readonly bus: Bus;
  readonly store: Store;
  /** strategies.yaml as loaded, with the positions its problems are reported at. */
  readonly loaded: LoadedConfig;
  readonly registry: PluginRegistry;
  readonly log: Logger;
  readonly cacheDir: string;
  /** Shipped candles imported into an empty database on start, so a new install has data to replay. */
  readonly sampleDataDir?: string;
  readonly metrics?: EngineMetrics;
  /** Worker processes for the plugin isolates (default 2). */
  readonly sandboxWorkers?: number;
  /** QUANTCHAT_MASTER_KEY: opens the stored credentials of live accounts. */
  readonly masterKey?: MasterKeyInput;
}

export interface EngineStatus {
  readonly state: EngineLifecycle;
  readonly startedAt?: number;
  readonly feed: {
    readonly kind: "replay" | "live" | "none";
    readonly series: readonly string[];
    readonly published: number;
    /** Why `feed.mode: auto` chose this feed. */
    readonly reason?: string;
  };
  readonly accounts: readonly AccountStatus[];
  readonly strategies: readonly { readonly id: string; readonly plugin: string; readonly status: string }[];
}

/** What `setStrategyEnabled` did: the state before and after, and whether anything changed. */
export interface StrategyToggle {
  readonly previous: "running" | "stopped";
  readonly state: "running" | "stopped";
  readonly changed: boolean;
}

export interface Engine {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): EngineStatus;
  /** The trading pipeline of each account, for the chat and web layers. */
  accounts(): ReadonlyMap<string, EngineAccount>;
  /** The strategy instances that loaded (config, plugin, risk binding), for the chat and web layers. */
  strategies(): readonly EngineStrategy[];
  /**
   * Starts (true) or stops (false) feeding candles and fills to one loaded strategy instance: chat's
   * /run and /stop. Its positions, orders and stops stay with the account (stops still fire; /close
   * exits). The state is written to strategy_instances and published as `strategy.state`. A restart
   * runs every instance strategies.yaml enables again. Undefined when no loaded instance has this id.
   * @example await engine.setStrategyEnabled("sma-btc", false, "telegram:42") // { previous: "running", state: "stopped", changed: true }
   */
  setStrategyEnabled(id: string, enabled: boolean, by: string): Promise<StrategyToggle | undefined>;
}

/**
 * Wires one trading engine from config: the only place that knows every part. A feed publishes
 * `candle.closed`; each account's pipeline and the strategies trading that series react to it, one
 * candle at a time, in order: candle -> stops and fills -> strategies -> intents -> risk -> executor.
 * @example const engine = createEngine({ clock: systemClock, bus, store, loaded, registry, log, cacheDir: "var/cache" })
 */
export function createEngine(deps: EngineDeps): Engine {
  const { bus, log } = deps;
  let state: EngineLifecycle = "stopped";
  let startedAt: number | undefined;
  let feed: EngineFeed | undefined;
  let accounts = new Map<string, EngineAccount>();
  let strategies: EngineStrategy[] = [];
  /** Instances stopped from chat: the candle loop passes them by. */
  const paused = new Set<string>();
  let pool: SandboxPool | undefined;
  const unsubscribe: (() => void)[] = [];
  // Candles are handled strictly one after another: a risk check must see what the previous candle did.
  let queue: Promise<void> = Promise.resolve();

  const setState = async (next: EngineLifecycle, reason?: string) => {
    state = next;
    await bus.publish("engine.state", reason ? { state: next, reason } : { state: next });
  };

  async function onCandle(event: BusEvents["candle.closed"]) {
    for (const account of accounts.values()) {
      if (account.config.exchange !== event.exchange) continue;
      // Real money never moves on replayed history.
      if (account.config.mode === "live" && event.source !== "live") continue;
      const sessions = strategies
        .filter((s) => s.config.account === account.config.id && s.timeframe === event.timeframe)
        .filter((s) => !paused.has(s.config.id))
        .map((s) => s.session);
      const result = await dispatchCandle(account.trading, sessions, event.symbol, event.candle);
      for (const f of result.failures) log.warn({ strategy: f.strategyId, cause: f.failure.cause }, f.failure.message);
    }
  }

  return {
    async start() {
      if (state === "running" || state === "starting") return;
      await setState("starting");
      startedAt = deps.clock.now();
      paused.clear();
      if (deps.sampleDataDir) {
        const imported = await importSampleData(deps.store, deps.sampleDataDir, deps.cacheDir, log);
        if (imported.files > 0) log.info({ files: imported.files, rows: imported.rows }, "sample candles imported");
      }
      const config = deps.loaded.config;
      accounts = await buildAccounts({
        config,
        store: deps.store,
        bus,
        clock: deps.clock,
        log,
        ...(deps.masterKey !== undefined && { masterKey: deps.masterKey }),
      });
      pool = new SandboxPool({ workers: deps.sandboxWorkers ?? 2, bus, clock: deps.clock });
      unsubscribe.push(
        bus.subscribe("strategy.state", (e) =>
          setInstanceState(deps.store.db, e.strategyId, {
            state: e.state,
            ...(e.reason !== undefined && { reason: e.reason }),
            updatedAt: deps.clock.now(),
          }).then(() => undefined),
        ),
      );
      // Params set from chat (/set) outlive a restart: they go on top of strategies.yaml's.
      const overrides = withParamOverrides(deps.loaded, await loadParamOverrides(deps.store.db), deps.registry, log);
      strategies = await buildStrategies({
        loaded: overrides.loaded,
        registry: deps.registry,
        pool,
        store: deps.store,
        bus,
        clock: deps.clock,
        cacheDir: deps.cacheDir,
        log,
        exchangeOf: new Map([...accounts.values()].map((a) => [a.config.id, a.config.exchange])),
      });
      await keepParamOverrides(deps.store.db, overrides.applied);

      feed = await prepareFeed({
        feed: config.feed,
        accounts,
        accountConfigs: config.accounts,
        wanted: wantedSeries(strategies),
        store: deps.store,
        bus,
        clock: deps.clock,
        cacheDir: deps.cacheDir,
        log,
      });
      for (const s of strategies) {
        const account = accounts.get(s.config.account) as EngineAccount;
        const failed = await s.session.runner.start({
          snapshot: account.trading.snapshotFor(s.session.strategy),
          before: feed.warmupBefore,
        });
        await setInstanceState(deps.store.db, s.config.id, {
          state: failed ? "failed" : "running",
          ...(failed && { reason: failed.message }),
          updatedAt: deps.clock.now(),
        });
        log.info(
          { strategy: s.config.id, plugin: s.plugin.manifest.id, symbols: s.config.symbols },
          "strategy running",
        );
      }

      unsubscribe.push(
        bus.subscribe("candle.closed", (event) => {
          deps.metrics?.candlesPublished.inc({ source: event.source });
          queue = queue
            .then(() => onCandle(event))
            .catch((error: unknown) => log.error({ err: error }, "candle handling failed"));
          return queue;
        }),
      );
      await feed.start();
      await setState("running");
    },

    async stop() {
      if (state === "stopped" || state === "stopping") return;
      await setState("stopping");
      await feed?.stop();
      await bus.drain();
      await queue;
      for (const off of unsubscribe.splice(0)) off();
      for (const s of strategies) {
        const account = accounts.get(s.config.account);
        if (account)
          await s.session.runner.stop(account.trading.snapshotFor(s.session.strategy)).catch(() => undefined);
        await setInstanceState(deps.store.db, s.config.id, { state: "stopped", updatedAt: deps.clock.now() });
      }
      await closeAccounts(accounts);
      await pool?.dispose();
      state = "stopped";
      log.info("engine stopped");
    },

    status() {
      return {
        state,
        ...(startedAt === undefined ? {} : { startedAt }),
        feed: {
          kind: feed?.kind ?? "none",
          series: feed?.series ?? [],
          published: feed?.published() ?? 0,
          ...(feed?.reason !== undefined && { reason: feed.reason }),
        },
        accounts: [...accounts.values()].map((a) => a.trading.status()),
        strategies: strategies.map((s) => ({
          id: s.config.id,
          plugin: s.plugin.manifest.id,
          status: paused.has(s.config.id) ? "stopped" : s.session.runner.status,
        })),
      };
    },

    accounts: () => accounts,

    strategies: () => strategies,

    async setStrategyEnabled(id, enabled, by) {
      if (!strategies.some((s) => s.config.id === id)) return undefined;
      const previous = paused.has(id) ? "stopped" : "running";
      const next = enabled ? "running" : "stopped";
      if (previous === next) return { previous, state: next, changed: false };
      if (enabled) paused.delete(id);
      else paused.add(id);
      const reason = `${enabled ? "started" : "stopped"} by ${by}`;
      await setInstanceState(deps.store.db, id, { state: next, reason, updatedAt: deps.clock.now() });
      await bus.publish("strategy.state", { strategyId: id, state: next, reason });
      log.info({ strategy: id, by }, enabled ? "strategy started" : "strategy stopped");
      return { previous, state: next, changed: true };
    },
  };
}

/** Every running strategy's symbols on its account's exchange and timeframe, where candles are stored. */
/** Every series a loaded strategy trades, once each. */
function wantedSeries(strategies: readonly EngineStrategy[]): SeriesKey[] {
  const wanted = new Map<string, SeriesKey>();
  for (const s of strategies) {
    for (const symbol of s.config.symbols) {
      const key = { exchange: s.exchange, symbol, timeframe: s.timeframe };
      wanted.set(`${key.exchange}:${symbol}:${key.timeframe}`, key);
    }
  }
  return [...wanted.values()];
}
