import { checkPeriod } from "./internal/params.ts";

/**
 * Exponential moving average with alpha = 2 / (period + 1), seeded with the SMA of the first `period` values
 * (as TA-Lib and technicalindicators do), so the first value does not carry the whole weight of the start.
 * The update is written ema * (1 - alpha) + x * alpha rather than ema + (x - ema) * alpha: the same value to
 * an ulp, but the previous EMA then passes through one multiply and one add instead of three operations,
 * and that chain is what bounds a streaming update.
 *
 * @example
 * const ema = new Ema(3);          // alpha 0.5
 * ema.update(1); ema.update(2);    // undefined
 * ema.update(3);                   // 2: the seed, mean of 1, 2, 3
 * ema.update(6);                   // 4 = 2 + 0.5 * (6 - 2)
 */
export class Ema {
  declare readonly period: number;
  declare readonly alpha: number;
  declare private readonly keep: number;
  private seen = 0;
  private seedSum = 0;
  private current = Number.NaN;

  constructor(period = 20) {
    this.period = checkPeriod("Ema", "period", period);
    this.alpha = 2 / (this.period + 1);
    this.keep = 1 - this.alpha;
  }

  /** The latest average; NaN during warm-up. */
  get value(): number {
    return this.current;
  }

  get ready(): boolean {
    return this.seen >= this.period;
  }

  /** Adds a value; returns the EMA, or undefined for the first `period - 1` values. */
  update(x: number): number | undefined {
    if (this.seen >= this.period) {
      this.current = this.current * this.keep + x * this.alpha;
      return this.current;
    }
    this.seedSum += x;
    if (++this.seen < this.period) return undefined;
    this.current = this.seedSum / this.period;
    return this.current;
  }

  reset(): void {
    this.seen = 0;
    this.seedSum = 0;
    this.current = Number.NaN;
  }
}

/**
 * EMA over a whole series; NaN for the first `period - 1` rows.
 *
 * @example
 * ema(Float64Array.of(1, 2, 3, 6), 3); // [NaN, NaN, 2, 4]
 */
export function ema(values: ArrayLike<number>, period = 20): Float64Array {
  const ind = new Ema(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    ind.update(values[i]!);
    out[i] = ind.value;
  }
  return out;
}
