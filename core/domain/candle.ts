import type { Timeframe } from "./timeframe.ts";

/** One OHLCV bar. `time` is the bar's OPEN time in Unix epoch milliseconds, UTC. */
export interface Candle {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Which series a candle belongs to: exchange id as ccxt names it, unified symbol, timeframe. */
export interface SeriesKey {
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
}

/**
 * Candles of one series in columns, the shape the backtester and the cache use: a million candles
 * are six typed arrays rather than a million objects.
 */
export interface CandleColumns {
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** The reason a candle is not a valid bar, or undefined when it is. */
export function candleProblem(c: Candle): string | undefined {
  for (const field of ["time", "open", "high", "low", "close", "volume"] as const) {
    if (!Number.isFinite(c[field])) return `${field} is not a finite number`;
  }
  if (c.open <= 0 || c.high <= 0 || c.low <= 0 || c.close <= 0) return "prices must be greater than 0";
  if (c.volume < 0) return "volume must not be negative";
  if (c.high < Math.max(c.open, c.close)) return "high is below open or close";
  if (c.low > Math.min(c.open, c.close)) return "low is above open or close";
  return undefined;
}

/** Reads candle `i` out of columns. */
export function candleAt(columns: CandleColumns, i: number): Candle {
  return {
    time: columns.time[i] as number,
    open: columns.open[i] as number,
    high: columns.high[i] as number,
    low: columns.low[i] as number,
    close: columns.close[i] as number,
    volume: columns.volume[i] as number,
  };
}

/** `seriesId({exchange:"binance",symbol:"BTC/USDT",timeframe:"5m"})` -> "binance:BTC/USDT:5m" */
export function seriesId(key: SeriesKey): string {
  return `${key.exchange}:${key.symbol}:${key.timeframe}`;
}
