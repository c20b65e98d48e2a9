import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CandleColumns } from "../../../core/domain/index.ts";
import { cacheFilePath, readCacheRows } from "../../../core/market/cache-file.ts";
import { loadCandleSlice } from "../../../core/market/candle-cache.ts";
import { importCandleFile } from "../../../core/market/csv-import.ts";
import type { Store } from "../../../core/store/database.ts";
import { BTC_5M, openStore, shippedLines, tempDir, writeCandleFile } from "./helpers.ts";

// A backtest child reads its candles from the cache file (readCacheRows at the slice loadCandleSlice
// gave) instead of receiving them: the rows must be the very ones the loader returned.

const LINES = shippedLines("binance_BTC-USDT_5m.csv.gz").slice(0, 600);
const T0 = 1606780800000;
const M5 = 300_000;

let remove: () => void;
let store: Store;
let cacheDir: string;

beforeEach(async () => {
  let dir: string;
  ({ dir, remove } = tempDir());
  store = await openStore(dir);
  cacheDir = path.join(dir, "cache");
  await importCandleFile(store, writeCandleFile(dir, "btc.csv", LINES), BTC_5M);
});
afterEach(async () => {
  await store.close();
  remove();
});

/** Each column as a plain array, for a readable comparison. */
function rows(c: CandleColumns): Record<string, number[]> {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Array.from(v as Float64Array)]));
}

describe("loadCandleSlice and readCacheRows", () => {
  it("point at the rows the loader returned, on a miss (file just written) and on a hit", async () => {
    const range = { from: T0 + 100 * M5, to: T0 + 250 * M5 };
    for (const pass of ["miss", "hit"]) {
      const { columns, slice } = await loadCandleSlice(store, BTC_5M, range, cacheDir);
      expect(slice, pass).toMatchObject({ file: path.resolve(cacheFilePath(cacheDir, BTC_5M)), start: 100, end: 250 });
      if (!slice) throw new Error("no slice");
      const read = readCacheRows(slice.file, slice.key, slice.stamp, slice.start, slice.end);
      expect(read.status).toBe("ok");
      if (read.status !== "ok") return;
      expect(rows(read.columns)).toEqual(rows(columns));
      expect(read.columns.time[0]).toBe(T0 + 100 * M5);
      expect(read.columns.close[0]).toBe(Number(LINES[100]?.split(",")[4]));
    }
  });

  it("reads an empty slice and the whole file alike", async () => {
    const { slice } = await loadCandleSlice(store, BTC_5M, {}, cacheDir);
    if (!slice) throw new Error("no slice");
    const whole = readCacheRows(slice.file, slice.key, slice.stamp, 0, LINES.length);
    expect(whole.status === "ok" && whole.columns.time.length).toBe(LINES.length);
    const none = readCacheRows(slice.file, slice.key, slice.stamp, 7, 7);
    expect(none.status === "ok" && none.columns.volume.length).toBe(0);
  });

  it("refuses rows outside the file, another revision, and a missing file", async () => {
    const { slice } = await loadCandleSlice(store, BTC_5M, {}, cacheDir);
    if (!slice) throw new Error("no slice");
    const { file, key, stamp } = slice;
    expect(readCacheRows(file, key, stamp, 10, LINES.length + 1)).toEqual({
      status: "corrupt",
      reason: `rows 10 to ${LINES.length + 1} are not inside the file's ${LINES.length}`,
    });
    expect(readCacheRows(file, key, stamp, 5, 4).status).toBe("corrupt");
    expect(readCacheRows(file, key, stamp, -1, 4).status).toBe("corrupt");
    expect(readCacheRows(file, key, { ...stamp, revision: stamp.revision + 1 }, 0, 10)).toEqual({ status: "stale" });
    expect(readCacheRows(`${file}.gone`, key, stamp, 0, 10)).toEqual({ status: "missing" });
  });

  it("gives no slice when the candles did not come from a cache file", async () => {
    const { columns, slice } = await loadCandleSlice(
      store,
      { ...BTC_5M, symbol: "ETH/USDT" }, // no bookkeeping: read from SQL each time
      {},
      cacheDir,
    );
    expect(columns.time.length).toBe(0);
    expect(slice).toBeUndefined();
  });
});
