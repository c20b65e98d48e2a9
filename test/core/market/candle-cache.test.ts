import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cacheFilePath } from "../../../core/market/cache-file.ts";
import { loadCandles } from "../../../core/market/candle-cache.ts";
import { importCandleFile } from "../../../core/market/csv-import.ts";
import type { Store } from "../../../core/store/database.ts";
import { BTC_5M, openStore, shippedLines, tempDir, writeCandleFile } from "./helpers.ts";

const LINES = shippedLines("binance_BTC-USDT_5m.csv.gz").slice(0, 1000);
const T0 = 1606780800000;
const M5 = 300_000;

let dir: string;
let remove: () => void;
let store: Store;
let cacheDir: string;
let file: string;

beforeEach(async () => {
  ({ dir, remove } = tempDir());
  store = await openStore(dir);
  cacheDir = path.join(dir, "cache");
  await importCandleFile(store, writeCandleFile(dir, "btc.csv", LINES), BTC_5M);
  file = cacheFilePath(cacheDir, BTC_5M);
});
afterEach(async () => {
  await store.close();
  remove();
});

function fakeLog() {
  return { warn: vi.fn(), info: vi.fn(), debug: vi.fn(), error: vi.fn() } as unknown as Logger & {
    warn: ReturnType<typeof vi.fn>;
  };
}

/** Changes a stored close without touching the bookkeeping, so only a cache hit still shows the old one. */
function tamper(ts: number, close: number): void {
  store.sqlite!.prepare("UPDATE candles SET close = ? WHERE ts = ?").run(close, ts);
}

describe("loadCandles", () => {
  it("reads SQL on a miss and writes the cache file: header plus six float64 columns", async () => {
    expect(existsSync(file)).toBe(false);
    const all = await loadCandles(store, BTC_5M, {}, cacheDir);
    expect(all.time.length).toBe(1000);
    expect(all.time[0]).toBe(T0);
    expect(all.close[0]).toBe(Number(LINES[0]?.split(",")[4]));
    expect(file).toBe(path.join(cacheDir, "candles", "binance_BTC-USDT_5m.bin"));
    const size = statSync(file).size;
    expect((size - 48 * 1000) % 8).toBe(0);
    expect(size - 48 * 1000).toBeLessThanOrEqual(128);
    expect(readFileSync(file).subarray(0, 8).toString("latin1")).toBe("QCCANDLE");
  });

  it("serves a hit from the file, not from SQL", async () => {
    const first = await loadCandles(store, BTC_5M, {}, cacheDir);
    const close = first.close[5];
    tamper(T0 + 5 * M5, 1);
    const second = await loadCandles(store, BTC_5M, {}, cacheDir);
    expect(second.close[5]).toBe(close);
    expect(second.time).toEqual(first.time);
  });

  it("rebuilds after an import bumps the series revision", async () => {
    await loadCandles(store, BTC_5M, {}, cacheDir);
    const changed = LINES.slice(0, 10).map((l, i) => (i === 5 ? l.replace(/,[^,]+$/, ",12345.5") : l));
    await importCandleFile(store, writeCandleFile(dir, "fix.csv", changed), BTC_5M);
    const after = await loadCandles(store, BTC_5M, {}, cacheDir);
    expect(after.volume[5]).toBe(12345.5);
    expect(after.time.length).toBe(1000);
  });

  const damage: [string, () => void][] = [
    ["garbage", () => writeFileSync(file, "not a cache file at all, just text")],
    ["a truncated body", () => truncateSync(file, statSync(file).size - 100)],
    ["a truncated header", () => truncateSync(file, 20)],
    [
      "a wrong magic",
      () => {
        const bytes = readFileSync(file);
        bytes.write("XXXXXXXX", 0, "latin1");
        writeFileSync(file, bytes);
      },
    ],
  ];
  for (const [what, spoil] of damage) {
    it(`detects ${what} and rebuilds the file`, async () => {
      const good = await loadCandles(store, BTC_5M, {}, cacheDir);
      const goodBytes = readFileSync(file);
      spoil();
      const log = fakeLog();
      const again = await loadCandles(store, BTC_5M, {}, cacheDir, { log });
      expect(Array.from(again.close)).toEqual(Array.from(good.close));
      expect(log.warn).toHaveBeenCalledTimes(1);
      expect(readFileSync(file).equals(goodBytes)).toBe(true);
    });
  }

  it("does not trust a file left by another database whose revision happens to match", async () => {
    await loadCandles(store, BTC_5M, {}, cacheDir);
    const other = await openStore(dir, "other.db");
    try {
      await importCandleFile(other, writeCandleFile(dir, "short.csv", LINES.slice(0, 400)), BTC_5M); // revision 1 too
      const loaded = await loadCandles(other, BTC_5M, {}, cacheDir);
      expect(loaded.time.length).toBe(400);
    } finally {
      await other.close();
    }
  });

  it("selects a range by binary search: from inclusive, to exclusive", async () => {
    for (let pass = 0; pass < 2; pass++) {
      // pass 0 is a miss, pass 1 a hit: both must slice the same way
      const r = await loadCandles(store, BTC_5M, { from: T0 + 10 * M5, to: T0 + 20 * M5 }, cacheDir);
      expect(Array.from(r.time)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + (10 + i) * M5));
      expect(r.open[0]).toBe(Number(LINES[10]?.split(",")[1]));
    }
    expect((await loadCandles(store, BTC_5M, { from: T0 + 10 * M5 + 1 }, cacheDir)).time[0]).toBe(T0 + 11 * M5);
    expect((await loadCandles(store, BTC_5M, { to: T0 + 3 * M5 }, cacheDir)).time.length).toBe(3);
    expect((await loadCandles(store, BTC_5M, { from: T0 + 5000 * M5 }, cacheDir)).time.length).toBe(0);
    expect((await loadCandles(store, BTC_5M, { from: T0 + 9 * M5, to: T0 + 2 * M5 }, cacheDir)).time.length).toBe(0);
  });

  it("reads a series without bookkeeping from SQL every time, without a cache file", async () => {
    const key = { ...BTC_5M, symbol: "XRP/USDT" };
    store
      .sqlite!.prepare("INSERT INTO candles VALUES (?, ?, ?, ?, 1, 1, 1, 1, 0)")
      .run(key.exchange, key.symbol, key.timeframe, T0);
    expect(Array.from((await loadCandles(store, key, {}, cacheDir)).time)).toEqual([T0]);
    expect(existsSync(cacheFilePath(cacheDir, key))).toBe(false);
  });

  it("leaves no temporary files behind", async () => {
    await loadCandles(store, BTC_5M, {}, cacheDir);
    writeFileSync(file, "junk");
    await loadCandles(store, BTC_5M, {}, cacheDir);
    expect(readdirSync(path.dirname(file))).toEqual(["binance_BTC-USDT_5m.bin"]);
  });
});
