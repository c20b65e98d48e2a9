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

  it("publishes only closed candles, each once, in order, stores them, and survives a failed poll", async () => {
    venue.fake.setCandles("BTC/USDT", "1h", [candle(0, 100), candle(1, 101), candle(2, 102), candle(3, 103)]);
    // The clock stands inside candle 3: candles 0..2 are closed, 3 is still forming.
    let now = T0 + 3 * HOUR + 10 * 60_000;
    const clock = { now: () => now };
    const bus = new MemoryBus();
    const seen: BusEvents["candle.closed"][] = [];
    bus.subscribe("candle.closed", (e) => {
      seen.push(e);
    });
    const feed = createLiveFeed({
      adapter: venue.adapter,
      store,
      bus,
      clock,
      series: [key],
      pollMs: 20,
      log: pino({ level: "silent" }),
    });
    // With nothing stored the first poll starts two candles back: candle 0 stays out.
    await feed.start();
    await bus.drain();
    expect(seen.map((e) => e.candle.close)).toEqual([101, 102]);
    expect(seen.every((e) => e.source === "live" && e.symbol === "BTC/USDT")).toBe(true);

    // A poll that fails (500) is counted and the next one carries on.
    venue.fake.failNext("GET /api/v3/klines", { status: 500 });
    now = T0 + 4 * HOUR + 1;
    await waitUntil(() => seen.length === 3);
    await feed.stop();
    expect(seen.map((e) => e.candle.close)).toEqual([101, 102, 103]);
    expect(feed.status().errors).toBeGreaterThanOrEqual(1);
    expect(feed.status().published).toBe(3);

    const stored = await getSeries(store, key);
    expect(stored).toMatchObject({ count: 3, first: T0 + HOUR, last: T0 + 3 * HOUR });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
