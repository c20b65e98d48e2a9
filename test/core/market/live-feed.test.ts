import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BusEvents } from "../../../core/bus/index.ts";
import { MemoryBus } from "../../../core/bus/index.ts";
import type { Candle, SeriesKey } from "../../../core/domain/index.ts";
import { createLiveFeed, getSeries } from "../../../core/market/index.ts";
import { createStore, type Store } from "../../../core/store/database.ts";
import { migrateToLatest } from "../../../core/store/migrate.ts";
import { guardNetwork, startVenue, type Venue } from "../execution/ccxt/helpers.ts";

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);
const key: SeriesKey = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };

function candle(i: number, close: number): Candle {
  return { time: T0 + i * HOUR, open: close - 1, high: close + 5, low: close - 5, close, volume: 10 + i };
}

describe("live feed (ccxt polling) against the fake Binance", () => {
  const network = guardNetwork();
  const dir = mkdtempSync(path.join(tmpdir(), "quantchat-live-"));
  let venue: Venue;
  let store: Store;

  beforeAll(async () => {
    venue = await startVenue("binance");
    store = createStore(path.join(dir, "live.db"));
    await migrateToLatest(store);
  });
  afterAll(async () => {
    await venue.adapter.close();
    await venue.fake.close();
    await store.close();
    network.restore();
    rmSync(dir, { recursive: true, force: true });
  });

  it("warms up on stored history, then publishes only candles that close while it runs, each once, in order", async () => {
    venue.fake.setCandles("BTC/USDT", "1h", [candle(0, 100), candle(1, 101), candle(2, 102), candle(3, 103)]);
    // The clock stands inside candle 3: candles 0..2 are closed, 3 is still forming.
    let now = T0 + 3 * HOUR + 10 * 60_000;
    const bus = new MemoryBus();
    const seen = recordCandles(bus);
    const feed = createLiveFeed({ ...feedOptions(bus, () => now), warmupCandles: 2 });
    // Warm-up stores the last two closed candles (1 and 2) for the strategies, and publishes neither:
    // history is not news.
    await feed.start();
    await bus.drain();
    expect(seen).toEqual([]);
    expect(await getSeries(store, key)).toMatchObject({ count: 2, first: T0 + HOUR, last: T0 + 2 * HOUR });

    // A poll that fails (500) is counted and the next one carries on.
    venue.fake.failNext("GET /api/v3/klines", { status: 500 });
    now = T0 + 4 * HOUR + 1;
    await waitUntil(() => seen.length === 1);
    await feed.stop();
    expect(seen.map((e) => e.candle.close)).toEqual([103]);
    expect(seen.every((e) => e.source === "live" && e.symbol === "BTC/USDT")).toBe(true);
    expect(feed.status().errors).toBeGreaterThanOrEqual(1);
    expect(feed.status().published).toBe(1);
    expect(await getSeries(store, key)).toMatchObject({ count: 3, first: T0 + HOUR, last: T0 + 3 * HOUR, gaps: 0 });
  });

  it("after a restart stores what closed while it was down without publishing it", async () => {
    venue.fake.setCandles(
      "BTC/USDT",
      "1h",
      [0, 1, 2, 3, 4, 5, 6].map((i) => candle(i, 100 + i)),
    );
    // Candles up to 3 are stored (the test above); the process was down while 4 and 5 closed.
    let now = T0 + 6 * HOUR + 5 * 60_000;
    const bus = new MemoryBus();
    const seen = recordCandles(bus);
    const feed = createLiveFeed({ ...feedOptions(bus, () => now), warmupCandles: 300 });
    await feed.start();
    await bus.drain();
    expect(seen).toEqual([]);
    expect(await getSeries(store, key)).toMatchObject({ count: 5, last: T0 + 5 * HOUR, gaps: 0 });
    now = T0 + 7 * HOUR + 1;
    await waitUntil(() => seen.length === 1);
    await feed.stop();
    expect(seen.map((e) => e.candle.time)).toEqual([T0 + 6 * HOUR]);
  });

  function feedOptions(bus: MemoryBus, now: () => number) {
    return {
      adapter: venue.adapter,
      store,
      bus,
      clock: { now },
      series: [key],
      pollMs: 20,
      log: pino({ level: "silent" }),
    };
  }
});

function recordCandles(bus: MemoryBus): BusEvents["candle.closed"][] {
  const seen: BusEvents["candle.closed"][] = [];
  bus.subscribe("candle.closed", (e) => {
    seen.push(e);
  });
  return seen;
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
