import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BusEvents, MemoryBus } from "../../../core/bus/index.ts";
import type { SeriesKey } from "../../../core/domain/index.ts";
import { importCandleFile } from "../../../core/market/csv-import.ts";
import { createReplayFeed, type ReplayFeed } from "../../../core/market/replay-feed.ts";
import type { Store } from "../../../core/store/database.ts";
import { BTC_5M, ETH_5M, openStore, shippedLines, tempDir, writeCandleFile } from "./helpers.ts";

const log = pino({ level: "silent" });
const BTC_1H: SeriesKey = { ...BTC_5M, timeframe: "1h" };
const T0 = 1606780800000;

let dir: string;
let remove: () => void;
let store: Store;
let bus: MemoryBus;
let events: BusEvents["candle.closed"][];
let feed: ReplayFeed | undefined;

beforeEach(async () => {
  ({ dir, remove } = tempDir());
  store = await openStore(dir);
  // BTC 00:00-02:25 and ETH from 00:50 (5m), BTC 1h 00:00-02:00.
  const btc = shippedLines("binance_BTC-USDT_5m.csv.gz").slice(0, 30);
  const eth = shippedLines("binance_ETH-USDT_5m.csv.gz").slice(10, 40);
  const btc1h = shippedLines("binance_BTC-USDT_1h.csv.gz").slice(0, 3);
  await importCandleFile(store, writeCandleFile(dir, "btc.csv", btc), BTC_5M);
  await importCandleFile(store, writeCandleFile(dir, "eth.csv", eth), ETH_5M);
  await importCandleFile(store, writeCandleFile(dir, "btc1h.csv", btc1h), BTC_1H);
  bus = new MemoryBus(log);
  events = [];
  bus.subscribe("candle.closed", (e) => {
    events.push(e);
  });
});
afterEach(async () => {
  await feed?.stop();
  feed = undefined;
  await bus.close();
  await store.close();
  remove();
});

function replay(options: { series: SeriesKey[]; candlesPerSecond: number; loop: boolean; from?: number }) {
  feed = createReplayFeed({ store, bus, log, cacheDir: path.join(dir, "cache"), ...options });
  return feed;
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const closeTime = (e: BusEvents["candle.closed"]) => e.candle.time + (e.timeframe === "1h" ? 3_600_000 : 300_000);

describe("replay feed", () => {
  it("publishes every candle of every series once, merged by close time", async () => {
    const f = replay({ series: [BTC_5M, ETH_5M, BTC_1H], candlesPerSecond: Number.POSITIVE_INFINITY, loop: false });
    await f.start();
    await until(() => f.status().state === "finished");
    await bus.drain();
    expect(events).toHaveLength(63);
    expect(f.status()).toMatchObject({ state: "finished", published: 63, candles: 63, series: 3 });
    const closes = events.map(closeTime);
    expect(closes).toEqual([...closes].sort((a, b) => a - b));
    expect(events.every((e) => e.source === "replay")).toBe(true);
    // The first hourly candle closes at 01:00, after BTC's 00:55 candle (same close) and before 01:00's.
    const firstHour = events.findIndex((e) => e.timeframe === "1h");
    expect(events[firstHour - 1]).toMatchObject({
      symbol: "ETH/USDT",
      timeframe: "5m",
      candle: { time: T0 + 55 * 60_000 },
    });
    expect(events[firstHour]?.candle.time).toBe(T0);
    // BTC is listed first, so on equal close times it comes before ETH.
    const at = events.filter((e) => e.candle.time === T0 + 50 * 60_000 && e.timeframe === "5m").map((e) => e.symbol);
    expect(at).toEqual(["BTC/USDT", "ETH/USDT"]);
    expect(events[0]).toMatchObject({ exchange: "binance", symbol: "BTC/USDT", timeframe: "5m" });
    expect(events[0]?.candle.open).toBe(19695.87);
  });

  it("starts at `from`", async () => {
    const f = replay({ series: [BTC_5M], candlesPerSecond: 0, loop: false, from: T0 + 25 * 300_000 });
    await f.start();
    await until(() => f.status().state === "finished");
    await bus.drain();
    expect(events.map((e) => e.candle.time)).toEqual([25, 26, 27, 28, 29].map((i) => T0 + i * 300_000));
  });

  it("loops back to the start when asked, moving time on by the data's span in whole days", async () => {
    const f = replay({ series: [BTC_1H], candlesPerSecond: 0, loop: true });
    await f.start();
    await until(() => f.status().loops >= 2);
    await f.stop();
    await bus.drain();
    // Three hourly candles span 3 h, rounded up to a day: the second pass starts 24 h after the first.
    expect(events.slice(0, 7).map((e) => e.candle.time)).toEqual(
      [0, 1, 2, 24, 25, 26, 48].map((i) => T0 + i * 3_600_000),
    );
    expect(events[3]?.candle.close).toBe(events[0]?.candle.close);
  });

  it("paces publishing at candlesPerSecond", async () => {
    const f = replay({ series: [BTC_5M, ETH_5M], candlesPerSecond: 50, loop: true });
    await f.start();
    await new Promise((r) => setTimeout(r, 300));
    const published = f.status().published;
    // ~15 at 50/s in 300 ms; far from the 60 that as-fast-as-possible would have sent at once
    expect(published).toBeGreaterThanOrEqual(5);
    expect(published).toBeLessThanOrEqual(30);
  });

  for (const [what, rate] of [
    ["a paced", 5],
    ["an as-fast-as-possible", Number.POSITIVE_INFINITY],
  ] as const) {
    it(`stops ${what} feed promptly and publishes nothing after`, async () => {
      const f = replay({ series: [BTC_5M, ETH_5M], candlesPerSecond: rate, loop: true });
      await f.start();
      await until(() => f.status().published > 0);
      const started = performance.now();
      await f.stop();
      expect(performance.now() - started).toBeLessThan(100);
      expect(f.status().state).toBe("stopped");
      const count = f.status().published;
      await new Promise((r) => setTimeout(r, 250));
      expect(f.status().published).toBe(count);
    });
  }

  it("fails visibly when the bus refuses events", async () => {
    const f = replay({ series: [BTC_5M], candlesPerSecond: 0, loop: true });
    await bus.close();
    await f.start();
    await until(() => f.status().state === "failed");
    expect(f.status().error).toMatch(/bus is closed/);
  });
});
