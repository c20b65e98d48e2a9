import path from "node:path";
import type { Logger } from "pino";
import type { CandleColumns, SeriesKey } from "../domain/index.ts";
import type { Store } from "../store/database.ts";
import {
  CACHE_SUPPORTED,
  type CacheRead,
  type CacheStamp,
  cacheFilePath,
  readCacheFile,
  writeCacheFile,
} from "./cache-file.ts";
import { readSeriesColumns } from "./candle-read.ts";
import { type CandleRange, rangeBounds, subColumns } from "./columns.ts";
import { getSeries } from "./series.ts";
import { inTransaction } from "./sql-context.ts";

/**
 * The candles of `key` in `range` (open time, `from` inclusive, `to` exclusive) as columns, for
 * backtests and the replay feed. The first load of a series reads it whole from SQL (about 1.4M rows/s)
 * and writes `<cacheDir>/candles/<exchange>_<symbol>_<tf>.bin`; later loads read that file straight into
 * Float64Arrays (tens of millions of candles/s) and binary-search the range, returning views, not copies.
 *
 * The file is keyed by `candle_series.revision` (plus count, first and last), which every import
 * bumps, so an import invalidates it. A damaged file is rebuilt. A series without bookkeeping is read
 * from SQL every time, since nothing would tell a stale file apart.
 *
 * @example
 * const btc = await loadCandles(store, { exchange: "binance", symbol: "BTC/USDT", timeframe: "5m" },
 *   { from: Date.UTC(2024, 0, 1) }, "var/cache");
 */
export async function loadCandles(
  store: Store,
  key: SeriesKey,
  range: CandleRange,
  cacheDir: string,
  options: { log?: Logger } = {},
): Promise<CandleColumns> {
  return (await loadCandleSlice(store, key, range, cacheDir, options)).columns;
}

/** Rows [start, end) of the cache file of `key` whose header matches `stamp`: see readCacheRows. */
export interface CacheSlice {
  readonly file: string;
  readonly key: SeriesKey;
  readonly stamp: CacheStamp;
  readonly start: number;
  readonly end: number;
}

/**
 * loadCandles, and where in the cache file the candles are, when they are in one: a process that can
 * read the file reads them there (readCacheRows) rather than have them copied to it.
 * @example const { columns, slice } = await loadCandleSlice(store, btc5m, {}, "var/cache")
 */
export async function loadCandleSlice(
  store: Store,
  key: SeriesKey,
  range: CandleRange,
  cacheDir: string,
  options: { log?: Logger } = {},
): Promise<{ columns: CandleColumns; slice?: CacheSlice }> {
  const info = await getSeries(store, key);
  if (!info || !CACHE_SUPPORTED) {
    return { columns: await inTransaction(store, (ctx) => readSeriesColumns(ctx, key, range)) };
  }
  const file = cacheFilePath(cacheDir, key);
  const cached = tryRead(file, key, info);
  if (cached.status === "ok") return sliced(cached.columns, range, file, key, info);
  if (cached.status === "corrupt") options.log?.warn({ file, reason: cached.reason }, "rebuilding candle cache file");

  // The bookkeeping and the rows from one snapshot: an import committing in between cannot pair new
  // rows with an old revision in the file.
  const fresh = await inTransaction(
    store,
    async (ctx) => ({ info: await getSeries(ctx, key), columns: await readSeriesColumns(ctx, key) }),
    { snapshot: true },
  );
  if (fresh.info && fresh.info.count === fresh.columns.time.length) {
    try {
      writeCacheFile(file, key, fresh.info, fresh.columns);
      return sliced(fresh.columns, range, file, key, fresh.info);
    } catch (error) {
      // A read-only or full disk costs speed, not correctness.
      options.log?.warn({ err: error, file }, "could not write candle cache file");
    }
  }
  const [start, end] = rangeBounds(fresh.columns, range);
  return { columns: subColumns(fresh.columns, start, end) };
}

/** The range of a whole file's columns, and the same rows as a slice of that file. */
function sliced(
  all: CandleColumns,
  range: CandleRange,
  file: string,
  key: SeriesKey,
  info: CacheStamp,
): { columns: CandleColumns; slice: CacheSlice } {
  const [start, end] = rangeBounds(all, range);
  const stamp = { revision: info.revision, count: info.count, first: info.first, last: info.last };
  const plain = { exchange: key.exchange, symbol: key.symbol, timeframe: key.timeframe };
  return { columns: subColumns(all, start, end), slice: { file: path.resolve(file), key: plain, stamp, start, end } };
}

function tryRead(file: string, key: SeriesKey, info: Parameters<typeof readCacheFile>[2]): CacheRead {
  try {
    return readCacheFile(file, key, info);
  } catch (error) {
    return { status: "corrupt", reason: error instanceof Error ? error.message : String(error) };
  }
}
