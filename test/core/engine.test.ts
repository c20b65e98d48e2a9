import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BusEvents, MemoryBus } from "../../core/bus/index.ts";
import { systemClock } from "../../core/clock.ts";
import { parseStrategiesYaml } from "../../core/config/index.ts";
import { createEngine, type Engine } from "../../core/engine.ts";
import { PluginRegistry } from "../../core/plugins/registry.ts";
import { createStore, type Store } from "../../core/store/database.ts";
import { migrateToLatest } from "../../core/store/migrate.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CONFIG = `
accounts:
  - id: paper
    exchange: binance
    balances: { USDT: 10000 }
    fees: { maker: 0.1, taker: 0.1 }
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
`;

describe("the engine in paper mode", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "quantchat-engine-"));
  let store: Store;
  let engine: Engine;
  const bus = new MemoryBus();
  const filled: BusEvents["order.filled"][] = [];
  const verdicts: BusEvents["risk.verdict"][] = [];

  beforeAll(async () => {
    // 400 real hourly candles: enough crosses of SMA(3) and SMA(8) to trade several times.
    const rows = gunzipSync(readFileSync(path.join(ROOT, "data/binance_BTC-USDT_1h.csv.gz")))
      .toString()
      .split("\n");
    const dataDir = path.join(dir, "data");
    (await import("node:fs")).mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, "binance_BTC-USDT_1h.csv"), rows.slice(0, 401).join("\n"));
    store = createStore(path.join(dir, "engine.db"));
    await migrateToLatest(store);
    bus.subscribe("order.filled", (e) => {
      filled.push(e);
    });
    bus.subscribe("risk.verdict", (e) => {
      verdicts.push(e);
    });
    engine = createEngine({
      clock: systemClock,
      bus,
      store,
      loaded: parseStrategiesYaml(CONFIG, "engine-test.yaml"),
      registry: PluginRegistry.discover([path.join(ROOT, "plugins")]).registry,
      log: pino({ level: "silent" }),
      cacheDir: path.join(dir, "cache"),
      sampleDataDir: dataDir,
      sandboxWorkers: 1,
    });
    await engine.start();
  });

  afterAll(async () => {
    await engine?.stop();
    await bus.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs a strategy end to end: candles -> plugin -> risk -> paper fills -> positions, stored and published", async () => {
    const deadline = Date.now() + 60_000;
    while (engine.status().feed.published < 400 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await bus.drain();
    expect(engine.status().feed.published).toBe(400);

    const orders = await store.db.selectFrom("orders").selectAll().execute();
    const fills = await store.db.selectFrom("fills").selectAll().execute();
    expect(orders.length).toBeGreaterThanOrEqual(4);
    expect(orders.every((o) => o.status === "filled" && o.strategy_id === "btc-fast-cross")).toBe(true);
    // Long-only crossing: buys and sells alternate, starting with a buy.
    const sides = orders.sort((a, b) => a.created_at - b.created_at).map((o) => o.side);
    expect(sides).toEqual(sides.map((_, i) => (i % 2 === 0 ? "buy" : "sell")));
    expect(fills.length).toBe(orders.length);
    expect(filled.map((e) => e.fill.clientOrderId).sort()).toEqual(fills.map((f) => f.client_order_id).sort());

    // Every intent got a stored verdict, published too; entries are 10% of equity or less (the allocation).
    const stored = await store.db.selectFrom("risk_verdicts").selectAll().execute();
    expect(stored.length).toBe(verdicts.length);
    expect(stored.length).toBeGreaterThanOrEqual(orders.length);
    for (const o of orders.filter((o) => o.side === "buy")) {
      expect(o.amount * (o.average_price ?? 0)).toBeLessThanOrEqual(10000 * 0.1 * 1.01);
    }

    // The position agrees with the fills: bought minus sold.
    const position = await store.db.selectFrom("positions").selectAll().executeTakeFirst();
    const net = fills.reduce((q, f) => q + (f.side === "buy" ? f.amount : -f.amount), 0);
    expect(position?.quantity ?? 0).toBeCloseTo(net, 9);
    const status = engine.status();
    expect(status.strategies).toEqual([{ id: "btc-fast-cross", plugin: "sma-cross", status: "running" }]);
    expect(status.accounts[0]?.trading.state).toBe("ACTIVE");
  }, 90_000);
});
