import type { Candle } from "../domain/index.ts";

/**
 * At most `max` candles, each bucket aggregated as a coarser candle would be (first open, highest high,
 * lowest low, last close, summed volume), so a year of hourly candles still reads on a phone screen.
 * The first and last candles stay where they were.
 * @example downsampleCandles(hourly, 500).length // <= 500
 */
export function downsampleCandles(candles: readonly Candle[], max: number): Candle[] {
  if (candles.length <= max) return [...candles];
  const per = Math.ceil(candles.length / max);
  const out: Candle[] = [];
  for (let i = 0; i < candles.length; i += per) {
    const bucket = candles.slice(i, i + per);
    const first = bucket[0] as Candle;
    const last = bucket[bucket.length - 1] as Candle;
    let high = first.high;
    let low = first.low;
    let volume = 0;
    for (const c of bucket) {
      high = Math.max(high, c.high);
      low = Math.min(low, c.low);
      volume += c.volume;
    }
    out.push({ time: first.time, open: first.open, high, low, close: last.close, volume });
  }
  return out;
}

/** Index of the candle whose span holds `time` (the last one at or before it), clamped to the range. */
export function candleIndexAt(candles: readonly Candle[], time: number): number {
  let lo = 0;
  let hi = candles.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((candles[mid] as Candle).time <= time) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
