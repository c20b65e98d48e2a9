import { bucketStart, type CandleColumns, type Timeframe, timeframeMs } from "../domain/index.ts";
import { ColumnBuilder } from "./columns.ts";

/**
 * Why `from` candles cannot be aggregated into `to` candles, or undefined when they can: `to` must be
 * coarser and a whole multiple of `from` (1m -> 5m, 5m -> 1h, 1h -> 4h, 1d -> 1w, ...).
 * @example resampleProblem("5m", "3m") // "3m is not a whole multiple of 5m"
 */
export function resampleProblem(from: Timeframe, to: Timeframe): string | undefined {
  const a = timeframeMs(from);
  const b = timeframeMs(to);
  if (b <= a) return `${to} is not coarser than ${from}`;
  if (b % a !== 0) return `${to} is not a whole multiple of ${from}`;
  return undefined;
}

/**
 * Aggregates candles of timeframe `from` (sorted, strictly increasing, aligned) into timeframe `to`:
 * open = first open, high = max, low = min, close = last close, volume = sum.
 *
 * Only COMPLETE buckets are produced: a 1h candle needs all twelve 5m candles of its hour. A bucket with
 * a missing candle (exchange downtime, the unfinished last hour of a download) is dropped rather than
 * built from part of its data, so resampled candles are exactly what the exchange would have reported,
 * and the hole shows up as a gap in the coarser series too.
 *
 * @example resample(fiveMinute, "5m", "1h") // hourly candles, one per complete hour
 */
export function resample(columns: CandleColumns, from: Timeframe, to: Timeframe): CandleColumns {
  const problem = resampleProblem(from, to);
  if (problem) throw new Error(`cannot resample ${from} to ${to}: ${problem}`);
  const perBucket = timeframeMs(to) / timeframeMs(from);
  const { time, open, high, low, close, volume } = columns;
  const n = time.length;
  const out = new ColumnBuilder(Math.ceil(n / perBucket) + 1);
  let i = 0;
  while (i < n) {
    const bucket = bucketStart(time[i] as number, to);
    const end = bucket + timeframeMs(to);
    let h = high[i] as number;
    let l = low[i] as number;
    let v = 0;
    let j = i;
    for (; j < n && (time[j] as number) < end; j++) {
      if ((high[j] as number) > h) h = high[j] as number;
      if ((low[j] as number) < l) l = low[j] as number;
      v += volume[j] as number;
    }
    // Strictly increasing aligned times inside [bucket, end): perBucket of them means none is missing.
    if (j - i === perBucket) out.push(bucket, open[i] as number, h, l, close[j - 1] as number, v);
    i = j;
  }
  return out.view();
}
