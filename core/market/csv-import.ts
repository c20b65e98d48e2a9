import { type SeriesKey, type Timeframe, timeframeMs } from "../domain/index.ts";
import type { Store } from "../store/database.ts";
import { readSeriesColumns } from "./candle-read.ts";
import { createCandleWriter } from "./candle-writer.ts";
import { ImportError, type ReadProgress, type ReadStats, readCandleBatches } from "./csv-read.ts";
import { resample, resampleProblem } from "./resample.ts";
import {
  appendStats,
  countCandles,
  getSeries,
  refreshSeries,
  type SeriesInfo,
  saveSeries,
  seriesStats,
} from "./series.ts";
import { inTransaction } from "./sql-context.ts";

export { ImportError, type ReadProgress as ImportProgress };

export interface ImportOptions {
  /** Called after every chunk of the file (about 1 MB). */
  readonly onProgress?: (progress: ReadProgress) => void;
  /** Coarser timeframes to build from the stored series after the import, and store too. */
  readonly resample?: readonly Timeframe[];
}

/** What an import did: the file's rows, range and holes, and the stored series afterwards. */
export interface ImportSummary extends ReadStats {
  readonly file: string;
  readonly key: SeriesKey;
  /** The whole stored series after the import (the file may have added to earlier imports). */
  readonly series: SeriesInfo;
  readonly resampled: readonly { readonly key: SeriesKey; readonly rows: number; readonly series?: SeriesInfo }[];
}

/**
 * Imports a `timestamp_ms,open,high,low,close,volume` CSV or CSV.gz file (header optional) into the
 * series `key`, streaming it chunk by chunk. Every row is validated; the first bad one aborts with an
 * ImportError naming the file, the line and the fault, and since the whole file is one transaction,
 * nothing of it is stored. Rows are upserted, so importing a file twice leaves the same candles. The
 * series bookkeeping (`candle_series`) is updated in the same transaction, and so are any `resample`
 * targets, built from the whole stored series (complete buckets only; see resample.ts).
 *
 * @example
 * const s = await importCandleFile(store, "data/binance_BTC-USDT_5m.csv.gz",
 *   { exchange: "binance", symbol: "BTC/USDT", timeframe: "5m" }, { resample: ["1h"] });
 * console.log(s.rows, s.gaps, s.series.count);
 */
export async function importCandleFile(
  store: Store,
  file: string,
  key: SeriesKey,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  for (const target of options.resample ?? []) {
    const problem = resampleProblem(key.timeframe, target);
    if (problem) throw new ImportError(file, undefined, `cannot resample ${key.timeframe} to ${target}: ${problem}`);
  }
  return inTransaction(store, async (ctx) => {
    // The bookkeeping before the import, trusted only if it agrees with the rows actually stored.
    const stored = await countCandles(ctx, key);
    const before = stored === 0 ? undefined : await getSeries(ctx, key);
    const writer = createCandleWriter(ctx, key);
    const reader = readCandleBatches(file, key.timeframe, options.onProgress);
    let next = await reader.next();
    try {
      while (!next.done) {
        await writer.write(next.value);
        next = await reader.next();
      }
    } finally {
      // A failed write leaves the reader suspended; returning it closes the file now rather than at GC.
      if (!next.done) await reader.return(undefined as never);
    }
    const stats = next.value;
    const added = { count: stats.rows, first: stats.first, last: stats.last, gaps: stats.gaps };
    // Appending to (or importing into) an empty series is the common case, and recounting 300k rows
    // would cost a third of the import; an overlapping file needs the full recount.
    const merged =
      stored === 0
        ? added
        : before && before.count === stored
          ? appendStats(before, added, timeframeMs(key.timeframe))
          : undefined;
    const series = await saveSeries(ctx, key, merged ?? (await seriesStats(ctx, key)));

    const resampled: ImportSummary["resampled"][number][] = [];
    if (options.resample && options.resample.length > 0) {
      const base = await readSeriesColumns(ctx, key);
      for (const timeframe of options.resample) {
        const target = { ...key, timeframe };
        const candles = resample(base, key.timeframe, timeframe);
        await createCandleWriter(ctx, target).write(candles);
        resampled.push({ key: target, rows: candles.time.length, series: await refreshSeries(ctx, target) });
      }
    }
    return { file, key, ...stats, series, resampled };
  });
}
