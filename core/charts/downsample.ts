import type { Candle } from "../domain/index.ts";

/** More candles than this are aggregated: about two pixels per candle on a 1000 px chart. */
export const MAX_CANDLES = 500;

/**
 * At most `max` candles, each a run of `size` consecutive input candles aggregated as a coarser candle would
 * be (first open, highest high, lowest low, last close, summed volume, the first one's time), so a year of
 * hourly candles still reads on a phone screen. The first candle opens and the last closes the series, as before.
 * @example downsampleCandles(hourly, 500).length // <= 500
 */
export function downsampleCandles(candles: readonly Candle[], max = MAX_CANDLES): Candle[] {
  return bucketCandles(candles, max).candles;
}

/**
 * downsampleCandles with the bucket size, to aggregate overlays and equity over the same buckets.
 * @example bucketCandles(hourly1201, 500) // { candles: 401 three-hour candles, size: 3 }
 */
export function bucketCandles(candles: readonly Candle[], max = MAX_CANDLES): { candles: Candle[]; size: number } {
  if (candles.length <= max) return { candles: [...candles], size: 1 };
  const size = Math.ceil(candles.length / max);
  const out: Candle[] = [];
  for (let i = 0; i < candles.length; i += size) {
    const first = candles[i] as Candle;
    const end = Math.min(candles.length, i + size);
    let { high, low } = first;
    let volume = 0;
    for (let j = i; j < end; j++) {
      const c = candles[j] as Candle;
      if (c.high > high) high = c.high;
      if (c.low < low) low = c.low;
      volume += c.volume;
    }
    out.push({ time: first.time, open: first.open, high, low, close: (candles[end - 1] as Candle).close, volume });
  }
  return { candles: out, size };
}

/**
 * Per bucket of `size` values, the last one that is a finite number (an indicator's value at the bucket's
 * close), or null when the bucket has none (warm-up).
 * @example bucketLast([1, 2, null, NaN], 2) // [2, null]
 */
export function bucketLast(
  values: readonly (number | null | undefined)[],
  size: number,
  buckets: number,
): (number | null)[] {
  const out: (number | null)[] = [];
  for (let b = 0; b < buckets; b++) {
    let last: number | null = null;
    for (let j = b * size; j < Math.min(values.length, (b + 1) * size); j++) {
      const v = values[j];
      if (typeof v === "number" && Number.isFinite(v)) last = v;
    }
    out.push(last);
  }
  return out;
}

/**
 * Index of the candle whose span holds `time`: the last one that opened at or before it (binary search over
 * candles in time order); -1 when `time` is before the first.
 * @example candleIndexAt(hourly, hourly[3].time + 1_000) // 3
 */
export function candleIndexAt(candles: readonly Candle[], time: number): number {
  let lo = -1;
  let hi = candles.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((candles[mid] as Candle).time <= time) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
