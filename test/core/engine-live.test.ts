import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BusEvents, MemoryBus } from "../../core/bus/index.ts";
import { parseStrategiesYaml } from "../../core/config/index.ts";
import { addCredential } from "../../core/credentials/index.ts";
import type { Candle } from "../../core/domain/index.ts";
import { createEngine, type Engine } from "../../core/engine.ts";
import { getSeries } from "../../core/market/index.ts";
import { PluginRegistry } from "../../core/plugins/registry.ts";
import { createStore, type Store } from "../../core/store/database.ts";
import { migrateToLatest } from "../../core/store/migrate.ts";
import { type FakeExchange, startFakeExchange } from "../fakes/exchange/index.ts";
import { freePort } from "../helpers/process.ts";
import { BINANCE_MARKETS, guardNetwork, localUrls, SECRET } from "./execution/ccxt/helpers.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 5);
const MASTER_KEY = "ab".repeat(32);

/** A gentle up-and-down walk, so SMA(2)/SMA(4) cross now and then. */
function candles(count: number): Candle[] {
  return Array.from({ length: count }, (_, i) => {
    const close = 50_000 + 400 * Math.sin(i / 3);
    return { time: T0 + i * MINUTE, open: close - 5, high: close + 30, low: close - 30, close, volume: 1 };
  });
}

function config(body: { mode: string; account: string; ccxt: string; feed?: string }): string {
  return `
accounts:
  - id: main
    exchange: binance
    mode: ${body.mode}
    balances: { USDT: 10000 }
    ${body.account}
    ccxt: ${body.ccxt}
feed:
  ${body.feed ?? "mode: live"}
  live: { pollSeconds: 0.05, warmupCandles: 20, probeSeconds: 1 }
  replay: { candlesPerSecond: 100000, loop: false }
strategies:
  - id: btc-cross
    plugin: sma-cross
    account: main
    symbols: [BTC/USDT]
    timeframe: 1m
    params: { fast: 2, slow: 4 }
    allocation: { pct: 10 }
`;
}

describe("the engine on live market data and live accounts (fake Binance on 127.0.0.1)", () => {
  const network = guardNetwork();
  const dir = mkdtempSync(path.join(tmpdir(), "quantchat-engine-live-"));
  const registry = PluginRegistry.discover([path.join(ROOT, "plugins")]).registry;
  let fake: FakeExchange;
  let now = T0;
  const clock = { now: () => now };
  let engine: Engine | undefined;
  let store: Store | undefined;
  let n = 0;

  beforeAll(async () => {
    fake = await startFakeExchange({
      dialect: "binance",
      markets: BINANCE_MARKETS,
      balances: { USDT: 100_000 },
      prices: { "BTC/USDT": 50_000 },
      now: clock.now,
    });
  });
  afterEach(async () => {
    await engine?.stop();
    await store?.close();
    engine = undefined;
    store = undefined;
  });
  afterAll(async () => {
    await fake.close();
    network.restore();
    rmSync(dir, { recursive: true, force: true });
  });

  const ccxtAt = (url: string) =>
    JSON.stringify({ urls: { api: localUrls("binance", url) }, rateLimit: 1, timeout: 1_000 });

  interface Setup {
    /** The credential is stored encrypted with this key (none stored when absent). */
    readonly storedWith?: string;
    /** The key the engine is given. */
    readonly masterKey?: string;
    readonly sampleDataDir?: string;
    readonly bus?: MemoryBus;
  }

  /** An engine on a fresh database, built but not started. */
  async function build(yaml: string, setup: Setup = {}): Promise<{ engine: Engine; bus: MemoryBus; store: Store }> {
    const db = createStore(path.join(dir, `engine-${++n}.db`));
    await migrateToLatest(db);
    if (setup.storedWith) {
      const credential = { name: "binance-main", exchange: "binance", apiKey: fake.apiKey, secret: SECRET };
      await addCredential(db, setup.storedWith, credential);
    }
    const bus = setup.bus ?? new MemoryBus();
    const built = createEngine({
      clock,
      bus,
      store: db,
      loaded: parseStrategiesYaml(yaml, "engine-live.yaml"),
      registry,
      log: pino({ level: "silent" }),
      cacheDir: path.join(dir, `cache-${n}`),
      sandboxWorkers: 1,
      ...(setup.masterKey !== undefined && { masterKey: setup.masterKey }),
      ...(setup.sampleDataDir !== undefined && { sampleDataDir: setup.sampleDataDir }),
    });
    store = db;
    engine = built;
    return { engine: built, bus, store: db };
  }

  async function start(yaml: string, setup: Setup = {}): Promise<{ engine: Engine; bus: MemoryBus; store: Store }> {
    const built = await build(yaml, setup);
    await built.engine.start();
    return built;
  }

  it("feed.mode live: warms up on recent candles, then trades the candles that close while it runs", async () => {
    const series = candles(60);
    fake.setCandles("BTC/USDT", "1m", series.slice(0, 31));
    now = T0 + 30 * MINUTE + 10_000; // inside candle 30: 0..29 have closed
    const { engine, bus, store } = await start(config({ mode: "paper", account: "", ccxt: ccxtAt(fake.url) }));
    const seen: BusEvents["candle.closed"][] = [];
    bus.subscribe("candle.closed", (e) => {
      seen.push(e);
    });
    expect(engine.status().feed).toMatchObject({ kind: "live", series: ["binance:BTC/USDT:1m"], published: 0 });
    // The warm-up stored the last 20 closed candles (10..29) for the strategy, and traded none of them.
    expect(await getSeries(store, { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" })).toMatchObject({
      count: 20,
      first: T0 + 10 * MINUTE,
      last: T0 + 29 * MINUTE,
    });

    // Time moves on: candles 30..44 close one by one and each reaches the strategy once, in order.
    for (let i = 31; i <= 45; i++) {
      fake.setCandles("BTC/USDT", "1m", series.slice(0, i + 1));
      now = T0 + i * MINUTE + 1_000;
      await waitUntil(() => seen.length === i - 30, 5_000);
    }
    expect(seen.map((e) => (e.candle.time - T0) / MINUTE)).toEqual(Array.from({ length: 15 }, (_, k) => 30 + k));
    expect(seen.every((e) => e.source === "live")).toBe(true);
    await waitUntil(() => engine.status().feed.published === 15);
    // The paper account traded on them: the sine crosses SMA(2)/SMA(4) several times in 15 minutes.
    const fills = await store.db.selectFrom("fills").select(["side", "price"]).execute();
    expect(fills.length).toBeGreaterThan(0);
    // Paper means paper: nothing reached the exchange's order endpoint.
    expect(fake.requests.filter((r) => r.path === "/api/v3/order")).toEqual([]);
  }, 60_000);

  it("feed.mode auto: replays stored candles when the exchange does not answer, and says why", async () => {
    const closedPort = `http://127.0.0.1:${await freePort()}`;
    const { engine } = await start(
      config({ mode: "paper", account: "", ccxt: ccxtAt(closedPort), feed: "mode: auto" }),
    );
    const status = engine.status().feed;
    // Nothing is stored in this fresh database, so the replay has nothing to publish.
    expect(status.kind).toBe("none");
    expect(status.reason).toMatch(/^binance unreachable \(.+\): replaying stored candles$/);
  }, 30_000);

  it("feed.mode auto: goes live when every exchange answers", async () => {
    fake.setCandles("BTC/USDT", "1m", candles(10));
    now = T0 + 10 * MINUTE + 5_000;
    const { engine } = await start(config({ mode: "paper", account: "", ccxt: ccxtAt(fake.url), feed: "mode: auto" }));
    expect(engine.status().feed).toMatchObject({ kind: "live", reason: "every exchange answered" });
  }, 30_000);

  it("a live account sends its orders to the exchange, signed with its decrypted credential, once each", async () => {
    fake.setCandles("BTC/USDT", "1m", candles(10));
    now = T0 + 10 * MINUTE + 5_000;
    const { engine, store } = await start(
      config({ mode: "live", account: "credentials: binance-main", ccxt: ccxtAt(fake.url), feed: "mode: replay" }),
      { storedWith: MASTER_KEY, masterKey: MASTER_KEY },
    );
    const account = engine.accounts().get("main");
    expect(account?.exchange.exchange).toBe("binance");
    expect(account?.paper).toBeUndefined();
    const candle = candles(10)[9] as Candle;
    const outcome = await account?.trading.handleIntent(
      {
        id: "manual:live-1",
        strategyId: "manual",
        symbol: "BTC/USDT",
        side: "buy",
        reduceOnly: false,
        size: { kind: "quote", value: 100 },
        type: "market",
        candleTime: candle.time,
      },
      candle,
      { id: "manual", allocation: { pct: 10 } },
    );
    expect(outcome?.order?.status).toBe("filled");
    // The order went to the exchange, signed with the stored key, exactly once.
    const posts = fake.requests.filter((r) => r.method === "POST" && r.path === "/api/v3/order");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.apiKey).toBe(fake.apiKey);
    const stored = await store.db.selectFrom("orders").select(["client_order_id", "status"]).execute();
    expect(stored).toEqual([{ client_order_id: posts[0]?.params.newClientOrderId, status: "filled" }]);
  }, 30_000);

  it("a live account never trades replayed candles", async () => {
    const before = fake.requests.filter((r) => r.path === "/api/v3/order").length;
    const yaml = config({
      mode: "live",
      account: "credentials: binance-main",
      ccxt: ccxtAt(fake.url),
      feed: "mode: replay",
    });
    const data = path.join(dir, "replayed-data");
    mkdirSync(data);
    const rows = candles(60).map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume].join(","));
    writeFileSync(path.join(data, "binance_BTC-USDT_1m.csv"), rows.join("\n"));
    const bus = new MemoryBus();
    const verdicts: unknown[] = [];
    bus.subscribe("risk.verdict", (e) => {
      verdicts.push(e);
    });
    // The replay is paced by the clock: let it run.
    const ticking = setInterval(() => {
      now += 1_000;
    }, 1);
    try {
      const { engine } = await start(yaml, { storedWith: MASTER_KEY, masterKey: MASTER_KEY, sampleDataDir: data, bus });
      // The 60 stored candles are replayed (enough crosses of SMA(2)/SMA(4) to trade on paper), and the
      // live account sees none of them.
      await waitUntil(() => engine.status().feed.published === 60);
      await bus.drain();
      expect(engine.status().feed.kind).toBe("replay");
    } finally {
      clearInterval(ticking);
    }
    expect(verdicts).toEqual([]);
    expect(fake.requests.filter((r) => r.path === "/api/v3/order").length).toBe(before);
  }, 30_000);

  it("stops start-up with the account named when the master key is missing", async () => {
    const yaml = config({
      mode: "live",
      account: "credentials: binance-main",
      ccxt: ccxtAt(fake.url),
      feed: "mode: replay",
    });
    // Stored under a key, and the engine started without one.
    const { engine: built } = await build(yaml, { storedWith: MASTER_KEY });
    await expect(built.start()).rejects.toThrow(/^account main: .*QUANTCHAT_MASTER_KEY/);
  }, 30_000);
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
