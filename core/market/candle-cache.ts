import type { Logger } from "pino";
import type { CandleColumns, SeriesKey } from "../domain/index.ts";
import type { Store } from "../store/database.ts";
import { CACHE_SUPPORTED, type CacheRead, cacheFilePath, readCacheFile, writeCacheFile } from "./cache-file.ts";
import { readSeriesColumns } from "./candle-read.ts";
import { type CandleRange, sliceRange } from "./columns.ts";
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
  const info = await getSeries(store, key);
  if (!info || !CACHE_SUPPORTED) return inTransaction(store, (ctx) => readSeriesColumns(ctx, key, range));
  const file = cacheFilePath(cacheDir, key);
  const cached = tryRead(file, key, info);
  if (cached.status === "ok") return sliceRange(cached.columns, range);
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
    } catch (error) {
      // A read-only or full disk costs speed, not correctness.
      options.log?.warn({ err: error, file }, "could not write candle cache file");
    }
  }
  return sliceRange(fresh.columns, range);
}

function tryRead(file: string, key: SeriesKey, info: Parameters<typeof readCacheFile>[2]): CacheRead {
  try {
    return readCacheFile(file, key, info);
  } catch (error) {
    return { status: "corrupt", reason: error instanceof Error ? error.message : String(error) };
  }
}
