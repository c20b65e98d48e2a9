import { checkPeriod } from "./internal/params.ts";
import { WindowExtreme } from "./internal/window-extreme.ts";

/**
 * Donchian channel: upper = highest high and lower = lowest low of the last `period` candles (the current
 * one included), middle = their midpoint. Sliding-window extremes (WindowExtreme: van Herk / Gil-Werman
 * blocks, faster here than monotonic deques) make each update O(1) amortised, where a scan of the window
 * would cost O(period). A breakout rule compares a close with the previous candle's channel,
 * so read the outputs before updating with the new candle.
 *
 * @example
 * const dc = new Donchian(3);
 * dc.update(10, 8); dc.update(12, 9);   // undefined
 * dc.update(11, 7);                     // upper 12, lower 7, middle 9.5
 * dc.update(9, 8);                      // upper 12, lower 7
 * dc.update(9, 8);                      // upper 11, lower 7
 */
export class Donchian {
  declare readonly period: number;
  declare private readonly highest: WindowExtreme;
  declare private readonly lowest: WindowExtreme;
  private up = Number.NaN;
  private low = Number.NaN;

  constructor(period = 20) {
    this.period = checkPeriod("Donchian", "period", period);
    this.highest = new WindowExtreme(period, true);
    this.lowest = new WindowExtreme(period, false);
  }

  /** Highest high of the window; NaN during warm-up. */
  get upper(): number {
    return this.up;
  }

  /** Lowest low of the window; NaN during warm-up. */
  get lower(): number {
    return this.low;
  }

  /** (upper + lower) / 2; NaN during warm-up. */
  get middle(): number {
    return (this.up + this.low) / 2;
  }

  get ready(): boolean {
    return this.highest.count >= this.period;
  }

  /** Adds a candle; returns this with upper, lower and middle set, or undefined for the first period - 1. */
  update(high: number, low: number): DonchianOutput | undefined {
    const up = this.highest.push(high);
    const lo = this.lowest.push(low);
    if (this.highest.count < this.period) return undefined;
    this.up = up;
    this.low = lo;
    return this;
  }

  reset(): void {
    this.highest.reset();
    this.lowest.reset();
    this.up = Number.NaN;
    this.low = Number.NaN;
  }
}

/** The outputs of a ready Donchian. */
export interface DonchianOutput {
  readonly upper: number;
  readonly lower: number;
  readonly middle: number;
}

/** Donchian channel over a whole series: one column per output. */
export interface DonchianSeries {
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  readonly middle: Float64Array;
}

/**
 * Donchian channel over a whole series; NaN for the first `period - 1` rows.
 *
 * @example
 * const { upper, lower } = donchian(high, low, 20);
 */
export function donchian(high: ArrayLike<number>, low: ArrayLike<number>, period = 20): DonchianSeries {
  const ind = new Donchian(period);
  const n = high.length;
  const out = { upper: new Float64Array(n), lower: new Float64Array(n), middle: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    ind.update(high[i]!, low[i]!);
    out.upper[i] = ind.upper;
    out.lower[i] = ind.lower;
    out.middle[i] = ind.middle;
  }
  return out;
}
