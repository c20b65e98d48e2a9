import { type Timeframe, timeframeMs } from "../domain/index.ts";

/** A hole in a series: the last candle before it, the first after it, and how many candles are missing. */
export interface Gap {
  readonly after: number;
  readonly before: number;
  readonly missing: number;
}

/**
 * The holes in a series of candle open times (sorted, strictly increasing). Gaps are reported, never
 * filled: a backtest over made-up candles would trade on prices that never existed.
 * @example findGaps([0, 300_000, 1_200_000], "5m") // [{ after: 300_000, before: 1_200_000, missing: 2 }]
 */
export function findGaps(times: ArrayLike<number>, timeframe: Timeframe): Gap[] {
  const step = timeframeMs(timeframe);
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) {
    const after = times[i - 1] as number;
    const before = times[i] as number;
    if (before - after > step) gaps.push({ after, before, missing: Math.round((before - after) / step) - 1 });
  }
  return gaps;
}
