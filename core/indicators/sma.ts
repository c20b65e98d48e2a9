import { checkPeriod, RESUM_WINDOWS } from "./internal/params.ts";

/**
 * Simple moving average: the mean of the last `period` values.
 *
 * A running sum over a ring buffer makes each update O(1). Subtracting the old value and adding the new one
 * leaves a little rounding error behind each time, so the sum is recomputed from the buffer every
 * RESUM_WINDOWS windows (see internal/params.ts); that costs 1/64 of an addition per update and keeps the
 * result within a few ulps of a fresh sum however long the stream.
 *
 * @example
 * const sma = new Sma(3);
 * sma.update(1); sma.update(2); // undefined: warming up
 * sma.update(6);                // 3
 * sma.update(7);                // 5
 */
export class Sma {
  declare readonly period: number;
  declare private readonly buffer: Float64Array;
  private pos = 0;
  private filled = 0;
  private sum = 0;
  declare private untilResum: number;
  private current = Number.NaN;

  constructor(period = 20) {
    this.period = checkPeriod("Sma", "period", period);
    this.buffer = new Float64Array(this.period);
    this.untilResum = this.period * RESUM_WINDOWS;
  }

  /** The latest average; NaN during warm-up. */
  get value(): number {
    return this.current;
  }

  get ready(): boolean {
    return this.filled === this.period;
  }

  /** Adds a value; returns the average of the last `period` values, or undefined during warm-up. */
  update(x: number): number | undefined {
    const period = this.period;
    const buffer = this.buffer;
    const pos = this.pos;
    if (this.filled === period) {
      // (x - old) first: the difference of two nearby prices is exact more often than a sum of large ones.
      this.sum += x - buffer[pos]!;
    } else {
      this.sum += x;
      this.filled++;
    }
    buffer[pos] = x;
    this.pos = pos + 1 === period ? 0 : pos + 1;
    if (--this.untilResum === 0) this.resum();
    if (this.filled !== period) return undefined;
    this.current = this.sum / period;
    return this.current;
  }

  reset(): void {
    this.buffer.fill(0);
    this.pos = 0;
    this.filled = 0;
    this.sum = 0;
    this.untilResum = this.period * RESUM_WINDOWS;
    this.current = Number.NaN;
  }

  private resum(): void {
    let sum = 0;
    for (let i = 0; i < this.filled; i++) sum += this.buffer[i]!;
    this.sum = sum;
    this.untilResum = this.period * RESUM_WINDOWS;
  }
}

/**
 * SMA over a whole series; NaN for the first `period - 1` rows.
 *
 * @example
 * sma(Float64Array.of(1, 2, 6, 7), 3); // [NaN, NaN, 3, 5]
 */
export function sma(values: ArrayLike<number>, period = 20): Float64Array {
  const ind = new Sma(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    ind.update(values[i]!);
    out[i] = ind.value;
  }
  return out;
}
