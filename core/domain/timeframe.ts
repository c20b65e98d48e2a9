/** A candle interval as exchanges and ccxt spell it. */
export const TIMEFRAMES = ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "12h", "1d", "1w"] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const MINUTE = 60_000;
const DURATIONS: Readonly<Record<Timeframe, number>> = {
  "1m": MINUTE,
  "3m": 3 * MINUTE,
  "5m": 5 * MINUTE,
  "15m": 15 * MINUTE,
  "30m": 30 * MINUTE,
  "1h": 60 * MINUTE,
  "2h": 120 * MINUTE,
  "4h": 240 * MINUTE,
  "6h": 360 * MINUTE,
  "12h": 720 * MINUTE,
  "1d": 1440 * MINUTE,
  "1w": 7 * 1440 * MINUTE,
};

/** @example isTimeframe("5m") // true */
export function isTimeframe(value: string): value is Timeframe {
  return (TIMEFRAMES as readonly string[]).includes(value);
}

/** Length of one candle in milliseconds. @example timeframeMs("1h") // 3_600_000 */
export function timeframeMs(timeframe: Timeframe): number {
  return DURATIONS[timeframe];
}

/**
 * Open time of the bucket of `timeframe` that holds `time`. Weekly buckets start on Monday 00:00 UTC,
 * as on Binance, which is why they are not a plain modulo of the epoch (a Thursday).
 * @example bucketStart(1_700_000_123_000, "1m") // 1_700_000_100_000
 */
export function bucketStart(time: number, timeframe: Timeframe): number {
  const ms = DURATIONS[timeframe];
  if (timeframe === "1w") {
    const mondayOffset = 4 * 1440 * MINUTE;
    return Math.floor((time - mondayOffset) / ms) * ms + mondayOffset;
  }
  return Math.floor(time / ms) * ms;
}
