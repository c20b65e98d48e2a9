import { checkPeriod, RESUM_WINDOWS } from "./internal/params.ts";

/**
 * Linearly weighted moving average: the newest of `period` values weighs `period`, the oldest 1.
 *
 * O(1) per update with two running sums: the weighted sum N and the plain sum S of the window. When a value
 * arrives, N - S lowers every weight by one (the oldest falls to zero) and adding period * x puts the new
 * value at the top. Unlike an SMA's, an error in S does not wash out: it enters N on every update, so N's
 * error grows linearly between re-sums. Two things keep it small: the sums are taken over values shifted
 * by K (the window mean at the last re-sum), so they are small numbers with small rounding errors, and
 * both are recomputed from the ring buffer every RESUM_WINDOWS windows (see internal/params.ts).
 *
 * @example
 * const wma = new Wma(3);          // weights 1, 2, 3 over 6
 * wma.update(1); wma.update(2);    // undefined
 * wma.update(3);                   // 14 / 6 = 2.333...
 * wma.update(6);                   // (2 + 6 + 18) / 6 = 4.333...
 */
export class Wma {
  declare readonly period: number;
  declare private readonly buffer: Float64Array;
  declare private readonly divisor: number;
  private pos = 0;
  private filled = 0;
  /** Subtracted from every value before it enters the sums. */
  private shift = 0;
  private sum = 0;
  private weighted = 0;
  declare private untilResum: number;
  private current = Number.NaN;

  constructor(period = 20) {
    this.period = checkPeriod("Wma", "period", period);
    this.buffer = new Float64Array(this.period);
    this.divisor = (this.period * (this.period + 1)) / 2;
    this.untilResum = this.period * RESUM_WINDOWS;
  }

  /** The latest average; NaN during warm-up. */
  get value(): number {
    return this.current;
  }

  get ready(): boolean {
    return this.filled === this.period;
  }

  /** Adds a value; returns the WMA, or undefined for the first `period - 1` values. */
  update(x: number): number | undefined {
    const period = this.period;
    const buffer = this.buffer;
    const pos = this.pos;
    if (this.filled === period) {
      const y = x - this.shift;
      this.weighted += period * y - this.sum;
      this.sum += y - (buffer[pos]! - this.shift);
    } else {
      if (this.filled === 0) this.shift = x;
      const y = x - this.shift;
      this.filled++;
      this.weighted += this.filled * y;
      this.sum += y;
    }
    buffer[pos] = x;
    this.pos = pos + 1 === period ? 0 : pos + 1;
    if (--this.untilResum === 0) this.resum();
    if (this.filled !== period) return undefined;
    this.current = this.shift + this.weighted / this.divisor;
    return this.current;
  }

  reset(): void {
    this.buffer.fill(0);
    this.pos = 0;
    this.filled = 0;
    this.shift = 0;
    this.sum = 0;
    this.weighted = 0;
    this.untilResum = this.period * RESUM_WINDOWS;
    this.current = Number.NaN;
  }

  private resum(): void {
    const { period, buffer, filled } = this;
    // Oldest value first: at `pos` once the ring is full, at 0 before.
    const start = filled === period ? this.pos : 0;
    let total = 0;
    for (let i = 0; i < filled; i++) total += buffer[i]!;
    const shift = total / filled;
    let sum = 0;
    let weighted = 0;
    for (let j = 0; j < filled; j++) {
      let i = start + j;
      if (i >= period) i -= period;
      const y = buffer[i]! - shift;
      sum += y;
      weighted += (j + 1) * y;
    }
    this.shift = shift;
    this.sum = sum;
    this.weighted = weighted;
    this.untilResum = period * RESUM_WINDOWS;
  }
}

/**
 * WMA over a whole series; NaN for the first `period - 1` rows.
 *
 * @example
 * wma(Float64Array.of(1, 2, 3, 6), 3); // [NaN, NaN, 2.333..., 4.333...]
 */
export function wma(values: ArrayLike<number>, period = 20): Float64Array {
  const ind = new Wma(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    ind.update(values[i]!);
    out[i] = ind.value;
  }
  return out;
}
