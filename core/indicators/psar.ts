import { checkPositive } from "./internal/params.ts";

/**
 * Wilder's parabolic SAR, following Tulip Indicators (and so @ixjb94/indicators):
 * - the first trend is long if the second candle's midpoint is at or above the first's, else short; the
 *   first value is on the second candle (technicalindicators assumes long and starts on the first);
 * - each candle: sar += af * (extreme - sar), never above the previous two lows in a long trend (never below
 *   the previous two highs in a short one); a new extreme raises af by `step`, up to `max`;
 * - a candle that crosses the SAR reverses the trend: the SAR jumps to the old extreme and af restarts.
 * `value` is the SAR for the candle just added; `direction` is 1 long, -1 short.
 *
 * @example
 * const sar = new ParabolicSar(0.02, 0.2);
 * const out = sar.update(high, low);
 * if (out && out.direction === 1) { ... } // stop at out.value
 */
export class ParabolicSar {
  declare readonly step: number;
  declare readonly max: number;
  /** 0 before any candle, 1 after the first, 2 once running. */
  private seen = 0;
  private long = true;
  private sar = Number.NaN;
  private extreme = Number.NaN;
  private af = Number.NaN;
  /** The previous candle and the one before it: the SAR may not pass their lows (highs when short). */
  private high1 = Number.NaN;
  private low1 = Number.NaN;
  private high2 = Number.NaN;
  private low2 = Number.NaN;

  constructor(step = 0.02, max = 0.2) {
    this.step = checkPositive("ParabolicSar", "step", step);
    this.max = checkPositive("ParabolicSar", "max", max);
    if (max < step) throw new RangeError(`ParabolicSar: max (${max}) must be at least step (${step})`);
  }

  /** The SAR for the latest candle; NaN during warm-up. */
  get value(): number {
    return this.seen === 2 ? this.sar : Number.NaN;
  }

  /** 1 in a long trend, -1 in a short one; NaN during warm-up. */
  get direction(): number {
    return this.seen === 2 ? (this.long ? 1 : -1) : Number.NaN;
  }

  get ready(): boolean {
    return this.seen === 2;
  }

  /** Adds a candle; returns this with value and direction set, or undefined on the first candle. */
  update(high: number, low: number): ParabolicSarOutput | undefined {
    if (this.seen !== 2) return this.start(high, low);
    const extreme = this.extreme;
    // Written as Tulip and technicalindicators write it, so every SAR, and so every reversal, is bit-identical.
    let sar = (extreme - this.sar) * this.af + this.sar;
    if (this.long) {
      if (sar > this.low2) sar = this.low2;
      if (sar > this.low1) sar = this.low1;
      if (high > extreme) {
        this.extreme = high;
        if (this.af < this.max) this.af = Math.min(this.af + this.step, this.max);
      }
      if (low < sar) {
        this.long = false;
        sar = this.extreme;
        this.extreme = low;
        this.af = this.step;
      }
    } else {
      if (sar < this.high2) sar = this.high2;
      if (sar < this.high1) sar = this.high1;
      if (low < extreme) {
        this.extreme = low;
        if (this.af < this.max) this.af = Math.min(this.af + this.step, this.max);
      }
      if (high > sar) {
        this.long = true;
        sar = this.extreme;
        this.extreme = high;
        this.af = this.step;
      }
    }
    this.sar = sar;
    this.high2 = this.high1;
    this.low2 = this.low1;
    this.high1 = high;
    this.low1 = low;
    return this;
  }

  reset(): void {
    this.seen = 0;
    this.long = true;
    this.sar = Number.NaN;
  }

  /**
   * First candle: remembered (twice, so the second candle's cap uses it for both). Second candle: the trend
   * starts from the first candle's range, then the second is processed as any other.
   */
  private start(high: number, low: number): ParabolicSarOutput | undefined {
    if (this.seen === 0) {
      this.high1 = this.high2 = high;
      this.low1 = this.low2 = low;
      this.seen = 1;
      return undefined;
    }
    this.long = this.high1 + this.low1 <= high + low;
    this.extreme = this.long ? this.high1 : this.low1;
    this.sar = this.long ? this.low1 : this.high1;
    this.af = this.step;
    this.seen = 2;
    return this.update(high, low);
  }
}

/** The outputs of a ready ParabolicSar. */
export interface ParabolicSarOutput {
  readonly value: number;
  readonly direction: number;
}

/** Parabolic SAR over a whole series: one column per output. */
export interface ParabolicSarSeries {
  readonly value: Float64Array;
  readonly direction: Float64Array;
}

/**
 * Parabolic SAR over a whole series; NaN on the first row.
 *
 * @example
 * const { value, direction } = parabolicSar(high, low, 0.02, 0.2);
 */
export function parabolicSar(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  step = 0.02,
  max = 0.2,
): ParabolicSarSeries {
  const ind = new ParabolicSar(step, max);
  const n = high.length;
  const out = { value: new Float64Array(n), direction: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    ind.update(high[i]!, low[i]!);
    out.value[i] = ind.value;
    out.direction[i] = ind.direction;
  }
  return out;
}
