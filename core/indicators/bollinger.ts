import { checkPeriod, checkPositive, RESUM_WINDOWS } from "./internal/params.ts";

/**
 * Bollinger Bands: middle = SMA(period), upper/lower = middle +/- multiplier * standard deviation, with the
 * population standard deviation (divide by `period`) as TA-Lib and technicalindicators use.
 *
 * Why not running sums of x and x^2: with BTC at 100,000 a 20-bar sum of squares is ~2e11 while the variance
 * of a quiet minute can be ~1; E[x^2] - E[x]^2 cancels eleven digits and the drift soon swamps the result.
 * Instead, a sliding Welford update on values shifted by K (the window mean at the last recompute, so they
 * are small and their differences exact):
 *   mean' = mean + (y - old) / n,   M2' = M2 + (y - old) * (y - mean' + old - mean)
 * Each step's rounding error is bounded by a few ulps of |y - old| * (|y| + |old|); that bound is summed in
 * `drift`. When M2 falls below 1e-6 * drift (a flat market after a move, where a running update would leave
 * noise that the square root magnifies) or every RESUM_WINDOWS windows, K, mean and M2 are recomputed exactly
 * in two passes over the ring buffer. So the deviation stays within ~1e-9 relative of a two-pass
 * computation, a flat window reads exactly 0, and the O(period) recompute runs about once per
 * RESUM_WINDOWS windows on real data (272 times over 344k one-minute BTC candles).
 *
 * @example
 * const bb = new Bollinger(3, 2);
 * bb.update(1); bb.update(2);   // undefined
 * const out = bb.update(3);     // middle 2, std sqrt(2/3) = 0.8165, upper 3.633, lower 0.367
 */
export class Bollinger {
  declare readonly period: number;
  declare readonly multiplier: number;
  declare private readonly buffer: Float64Array;
  private pos = 0;
  private filled = 0;
  /** Shift subtracted from every value; re-centred at each recompute. */
  private shift = 0;
  /** Mean of the shifted window. */
  private mean = 0;
  /** Sum of squared deviations from the mean. */
  private m2 = 0;
  /** Sum of the per-step rounding bounds since the last recompute (in units of the unit roundoff). */
  private drift = 0;
  declare private untilResum: number;
  private mid = Number.NaN;
  private up = Number.NaN;
  private low = Number.NaN;

  constructor(period = 20, multiplier = 2) {
    this.period = checkPeriod("Bollinger", "period", period);
    this.multiplier = checkPositive("Bollinger", "multiplier", multiplier);
    this.buffer = new Float64Array(this.period);
    this.untilResum = this.period * RESUM_WINDOWS;
  }

  /** SMA of the window; NaN during warm-up. */
  get middle(): number {
    return this.mid;
  }

  /** middle + multiplier * std dev; NaN during warm-up. */
  get upper(): number {
    return this.up;
  }

  /** middle - multiplier * std dev; NaN during warm-up. */
  get lower(): number {
    return this.low;
  }

  get ready(): boolean {
    return this.filled === this.period;
  }

  /** Adds a close; returns this with middle, upper and lower set, or undefined during warm-up. */
  update(x: number): BollingerOutput | undefined {
    const period = this.period;
    const buffer = this.buffer;
    const pos = this.pos;
    const mean = this.mean;
    const y = x - this.shift;
    if (this.filled === period) {
      const old = buffer[pos]! - this.shift;
      const d = y - old;
      const next = mean + d / period;
      this.m2 += d * (y - next + old - mean);
      this.drift += Math.abs(d) * (Math.abs(y) + Math.abs(old));
      this.mean = next;
    } else {
      const n = ++this.filled;
      const d = y - mean;
      const next = mean + d / n;
      this.m2 += d * (y - next);
      this.drift += Math.abs(d) * (Math.abs(y) + Math.abs(mean));
      this.mean = next;
    }
    buffer[pos] = x;
    this.pos = pos + 1 === period ? 0 : pos + 1;
    if (--this.untilResum === 0 || this.m2 < this.drift * RECOMPUTE_RATIO) this.recompute();
    if (this.filled !== period) return undefined;
    const width = this.multiplier * Math.sqrt(this.m2 / period);
    const middle = this.shift + this.mean;
    this.mid = middle;
    this.up = middle + width;
    this.low = middle - width;
    return this;
  }

  reset(): void {
    this.buffer.fill(0);
    this.pos = 0;
    this.filled = 0;
    this.shift = 0;
    this.mean = 0;
    this.m2 = 0;
    this.drift = 0;
    this.untilResum = this.period * RESUM_WINDOWS;
    this.mid = Number.NaN;
    this.up = Number.NaN;
    this.low = Number.NaN;
  }

  /** Exact two-pass mean and M2 of the buffered values, re-centring the shift on their mean. */
  private recompute(): void {
    const { buffer, filled } = this;
    let sum = 0;
    for (let i = 0; i < filled; i++) sum += buffer[i]!;
    const shift = sum / filled;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < filled; i++) {
      const d = buffer[i]! - shift;
      s1 += d;
      s2 += d * d;
    }
    this.shift = shift;
    this.mean = s1 / filled;
    // s1 is ~0; subtracting s1 * mean corrects for the rounding of `shift` (corrected two-pass).
    this.m2 = Math.max(s2 - s1 * this.mean, 0);
    this.drift = 0;
    this.untilResum = this.period * RESUM_WINDOWS;
  }
}

/**
 * Recompute when M2 < RECOMPUTE_RATIO * drift: the accumulated error is at most a few unit roundoffs
 * (2.2e-16) times drift, so M2 then keeps ~1e-9 relative accuracy or better.
 */
const RECOMPUTE_RATIO = 1e-6;

/** The outputs of a ready Bollinger. */
export interface BollingerOutput {
  readonly middle: number;
  readonly upper: number;
  readonly lower: number;
}

/** Bollinger Bands over a whole series: one column per output. */
export interface BollingerSeries {
  readonly middle: Float64Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
}

/**
 * Bollinger Bands over a whole series; NaN for the first `period - 1` rows.
 *
 * @example
 * const { upper, lower } = bollinger(closes, 20, 2);
 */
export function bollinger(values: ArrayLike<number>, period = 20, multiplier = 2): BollingerSeries {
  const ind = new Bollinger(period, multiplier);
  const n = values.length;
  const out = { middle: new Float64Array(n), upper: new Float64Array(n), lower: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    ind.update(values[i]!);
    out.middle[i] = ind.middle;
    out.upper[i] = ind.upper;
    out.lower[i] = ind.lower;
  }
  return out;
}
