import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import pino from "pino";
import { createCoreServices } from "../../bot/commands/services/core-services.ts";
import type { CoreServices } from "../../bot/commands/services.ts";
import { MemoryBus } from "../../core/bus/index.ts";
import { type Clock, systemClock } from "../../core/clock.ts";
import { type LoadedConfig, parseStrategiesYaml } from "../../core/config/index.ts";
import { createEngine, type Engine } from "../../core/engine.ts";
import { PluginRegistry } from "../../core/plugins/registry.ts";
import { createStore, type Store } from "../../core/store/database.ts";
import { migrateToLatest } from "../../core/store/migrate.ts";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const PLUGIN_ROOTS = [path.join(ROOT, "plugins")];

/** Two SMA crosses on real hourly candles: enough crossings in 400 candles to trade several times. */
export const TWO_STRATEGIES = `
accounts:
  - id: paper
    exchange: binance
    balances: { USDT: 10000 }
    fees: { maker: 0.1, taker: 0.1 }
risk:
  maxPositionPct: 20
feed:
  mode: replay
  replay: { candlesPerSecond: 100000, loop: false }
strategies:
  - id: btc-fast-cross
    plugin: sma-cross
    account: paper
    symbols: [BTC/USDT]
    timeframe: 1h
    params: { fast: 3, slow: 8 }
    allocation: { pct: 10 }
  - id: eth-cross
    plugin: sma-cross
    account: paper
    symbols: [ETH/USDT]
    timeframe: 1h
    params: { fast: 5, slow: 13 }
    allocation: { pct: 10 }
    risk: { maxPositionPct: 15, volatility: { action: reject } }
`;

/** A real engine on a temporary SQLite store, its replay run to the end. */
export interface TestEngine {
  /** The engine now running (restart replaces it). */
  readonly engine: Engine;
  readonly store: Store;
  readonly bus: MemoryBus;
  readonly loaded: LoadedConfig;
  readonly cacheDir: string;
  /** The plugins the engine loads from (plugins/). */
  readonly registry: PluginRegistry;
  /**
   * Stops the engine and starts a new one on the same store and bus, as after a process restart;
   * `yaml` replaces strategies.yaml (a replay `from` past the data keeps the feed idle).
   */
  restart(yaml?: string): Promise<Engine>;
  close(): Promise<void>;
}

/**
 * Builds the engine as `npm start` does (createEngine over a migrated store, the shipped sample
 * candles imported from a slice of the real data, plugins from plugins/), starts it and waits until
 * the replay published every candle and the bus is quiet: the store then holds orders, fills,
 * positions, verdicts and equity snapshots of real trading.
 * @example const t = await startTestEngine({ candles: 400 }); … await t.close();
 */
export async function startTestEngine(
  options: { readonly candles?: number; readonly yaml?: string; readonly symbols?: readonly string[] } = {},
): Promise<TestEngine> {
  const candles = options.candles ?? 400;
  const dir = mkdtempSync(path.join(tmpdir(), "quantchat-bot-engine-"));
  const dataDir = path.join(dir, "data");
  mkdirSync(dataDir);
  const symbols = options.symbols ?? ["BTC-USDT", "ETH-USDT"];
  for (const symbol of symbols) {
    const rows = gunzipSync(readFileSync(path.join(ROOT, `data/binance_${symbol}_1h.csv.gz`)))
      .toString()
      .split("\n");
    writeFileSync(path.join(dataDir, `binance_${symbol}_1h.csv`), rows.slice(0, candles + 1).join("\n"));
  }
  const store = createStore(path.join(dir, "engine.db"));
  await migrateToLatest(store);
  const bus = new MemoryBus();
  const loaded = parseStrategiesYaml(options.yaml ?? TWO_STRATEGIES, "bot-test.yaml");
  const cacheDir = path.join(dir, "cache");
  const { registry } = PluginRegistry.discover(PLUGIN_ROOTS);
  const build = (config: LoadedConfig) =>
    createEngine({
      clock: systemClock,
      bus,
      store,
      loaded: config,
      registry,
      log: pino({ level: "silent" }),
      cacheDir,
      sampleDataDir: dataDir,
      sandboxWorkers: 1,
    });
  let engine = build(loaded);
  await engine.start();
  const total = candles * symbols.length;
  const deadline = Date.now() + 60_000;
  while (engine.status().feed.published < total && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await bus.drain();
  return {
    get engine() {
      return engine;
    },
    store,
    bus,
    loaded,
    cacheDir,
    registry,
    async restart(yaml) {
      await engine.stop();
      engine = build(yaml === undefined ? loaded : parseStrategiesYaml(yaml, "bot-test.yaml"));
      await engine.start();
      await bus.drain();
      return engine;
    },
    async close() {
      await engine.stop();
      await bus.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Enough candles (60 hourly of BTC and ETH) for trades and two open positions, and a quick start. */
export const SMALL_ENGINE = { candles: 60 } as const;

/**
 * The chat's CoreServices over a test engine, as `npm start` builds them: status and trading from the
 * engine (as it is now: read before a restart), candles and charts from its store, /plugins from its
 * registry, /risk from its config.
 * @example const services = coreServicesOf(t, new SimulatedClock(T0))
 */
export function coreServicesOf(t: TestEngine, clock: Clock): CoreServices {
  return createCoreServices({
    engine: t.engine,
    db: t.store.db,
    bus: t.bus,
    clock,
    store: t.store,
    cacheDir: t.cacheDir,
    pluginRoots: PLUGIN_ROOTS,
    plugins: t.registry,
    risk: t.loaded.config.risk,
  });
}
