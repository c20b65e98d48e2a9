const DAY_MS = 86_400_000;

/**
 * Volume-weighted average price: sum(typical price * volume) / sum(volume), typical price = (H + L + C) / 3.
 * Cumulative from the first candle, or, with `resetDaily`, restarted at each UTC day as intraday traders
 * use it; the candle's open time (ms since the epoch, as Candle.time) says which day it belongs to.
 *
 * The sum is kept of (H + L + C) * volume and divided by 3 * volume once per update, one division where
 * averaging each typical price first would take two.
 *
 * While no volume has traded (since the start or the session's start) there is no volume-weighted price:
 * update returns undefined and `ready` is false, also after a daily reset, until volume arrives.
 *
 * @example
 * const vwap = new Vwap();
 * vwap.update(12, 8, 10, 100); // 10
 * vwap.update(22, 18, 20, 300); // (10 * 100 + 20 * 300) / 400 = 17.5
 *
 * const intraday = new Vwap(true);
 * intraday.update(candle.high, candle.low, candle.close, candle.volume, candle.time);
 */
export class Vwap {
  declare readonly resetDaily: boolean;
  private day = Number.NaN;
  /** Sum of (H + L + C) * volume: three times the price-volume sum. */
  private priceVolume = 0;
  private volume = 0;
  private current = Number.NaN;

  constructor(resetDaily = false) {
    this.resetDaily = resetDaily === true;
  }

  /** The latest VWAP; NaN while no volume has traded. */
  get value(): number {
    return this.current;
  }

  get ready(): boolean {
    return this.volume > 0;
  }

  /**
   * Adds a candle; returns the VWAP, or undefined while no volume has traded. `time` (candle open time, ms)
   * is needed with `resetDaily` and ignored without it.
   */
  update(high: number, low: number, close: number, volume: number, time = Number.NaN): number | undefined {
    if (this.resetDaily) {
      if (!Number.isFinite(time)) throw new RangeError("Vwap: resetDaily needs the candle time (ms) as 5th argument");
      const day = Math.floor(time / DAY_MS);
      if (day !== this.day) {
        this.day = day;
        this.priceVolume = 0;
        this.volume = 0;
        this.current = Number.NaN;
      }
    }
    this.priceVolume += (high + low + close) * volume;
    this.volume += volume;
    if (this.volume === 0) return undefined;
    this.current = this.priceVolume / (3 * this.volume);
    return this.current;
  }

  reset(): void {
    this.day = Number.NaN;
    this.priceVolume = 0;
    this.volume = 0;
    this.current = Number.NaN;
  }
}

/**
 * VWAP over a whole series; pass `time` to restart it at each UTC day. NaN while no volume has traded.
 *
 * @example
 * vwap(high, low, close, volume);        // cumulative
 * vwap(high, low, close, volume, time);  // daily sessions
 */
export function vwap(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  volume: ArrayLike<number>,
  time?: ArrayLike<number>,
): Float64Array {
  const ind = new Vwap(time !== undefined);
  const out = new Float64Array(high.length);
  for (let i = 0; i < high.length; i++) {
    ind.update(high[i]!, low[i]!, close[i]!, volume[i]!, time === undefined ? Number.NaN : time[i]!);
    out[i] = ind.value;
  }
  return out;
}
