// The candle store's public face: import, bookkeeping, gaps, resampling, the columnar cache, feeds.
export { type CacheStamp, cacheFilePath } from "./cache-file.ts";
export { loadCandles } from "./candle-cache.ts";
export { readSeriesColumns } from "./candle-read.ts";
export { type CandleWriter, createCandleWriter } from "./candle-writer.ts";
export { allocateColumns, type CandleRange, ColumnBuilder, lowerBound, sliceRange, subColumns } from "./columns.ts";
export {
  ImportError,
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
  importCandleFile,
} from "./csv-import.ts";
export { CandleCsvParser, CsvRowError } from "./csv-parse.ts";
export { type ReadStats, readCandleBatches, readCandleFile } from "./csv-read.ts";
export { seriesKeyFromFileName } from "./file-name.ts";
export { findGaps, type Gap } from "./gaps.ts";
export { createLiveFeed, type LiveFeed, type LiveFeedOptions, type LiveFeedStatus } from "./live-feed.ts";
export {
  createReplayFeed,
  type ReplayFeed,
  type ReplayFeedOptions,
  type ReplayFeedStatus,
  type ReplayState,
} from "./replay-feed.ts";
export { resample, resampleProblem } from "./resample.ts";
export { importSampleData, type SampleDataResult } from "./sample-data.ts";
export { getSeries, listSeries, refreshSeries, type SeriesInfo } from "./series.ts";
export { type MarketSettings, marketSettings } from "./settings.ts";
export { inTransaction, type SqlContext } from "./sql-context.ts";
