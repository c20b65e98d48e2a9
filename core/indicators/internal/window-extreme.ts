/**
 * Highest (or lowest) of the last `period` values, O(1) amortised, with the van Herk / Gil-Werman block
 * method rather than the usual monotonic deque.
 *
 * The stream is cut into blocks of `period` values. For a value at offset r of its block, the window is the
 * tail of the previous block (offsets r+1..period-1) plus the head of the current one (0..r), so
 *   extreme = max(suffixMax(previous block)[r + 1], prefixMax(current block)[r]).
 * The prefix max is a running value; the suffix maxima of a block are computed in one backward pass when the
 * block completes. That is three comparisons per value, none of them a hard-to-predict branch, against a
 * deque's pop loop whose exit mispredicts about once per value: measured on a million BTC/ETH minute highs,
 * 140M pushes/s against 80M/s for a well-tuned deque. Both are O(1) amortised with O(period) worst case
 * (here the block pass, there a long run of pops), both allocate only at construction.
 *
 * A minimum is the maximum of the negated values (negation is exact).
 *
 * @example
 * const hi = new WindowExtreme(3, true);
 * hi.push(1); hi.push(5); hi.push(2); // 5
 * hi.push(1);                         // 5
 * hi.push(0);                         // 2: the 5 left the window
 */
export class WindowExtreme {
  declare readonly period: number;
  /** 1 for a maximum, -1 for a minimum (values are stored negated). */
  declare private readonly sign: number;
  /** The current block's values, by offset. */
  declare private readonly block: Float64Array;
  /** suffix[j] = max of the previous block from offset j to its end; suffix[period] = -Infinity. */
  declare private readonly suffix: Float64Array;
  private offset = 0;
  private prefix = Number.NEGATIVE_INFINITY;
  private pushes = 0;

  constructor(period: number, isMax: boolean) {
    this.period = period;
    this.sign = isMax ? 1 : -1;
    this.block = new Float64Array(period);
    this.suffix = new Float64Array(period + 1).fill(Number.NEGATIVE_INFINITY);
  }

  /** Values pushed so far (not capped). */
  get count(): number {
    return this.pushes;
  }

  /** Adds a value and returns the extreme of the last `period` values (fewer during warm-up). */
  push(x: number): number {
    const y = this.sign * x;
    const r = this.offset;
    // Comparisons rather than Math.max: V8's Math.max also orders -0/+0 and NaN, and measured 6% slower here.
    // biome-ignore lint/complexity/useMathMinMax: see above
    const prefix = y > this.prefix ? y : this.prefix;
    this.block[r] = y;
    this.pushes++;
    if (r + 1 < this.period) {
      this.prefix = prefix;
      this.offset = r + 1;
      const tail = this.suffix[r + 1]!;
      // biome-ignore lint/complexity/useMathMinMax: as above
      return this.sign * (tail > prefix ? tail : prefix);
    }
    // The window is exactly this block: its prefix max. Then the block becomes the previous one.
    this.closeBlock();
    return this.sign * prefix;
  }

  reset(): void {
    this.suffix.fill(Number.NEGATIVE_INFINITY);
    this.offset = 0;
    this.prefix = Number.NEGATIVE_INFINITY;
    this.pushes = 0;
  }

  private closeBlock(): void {
    const { block, suffix } = this;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = this.period - 1; j >= 0; j--) {
      const v = block[j]!;
      if (v > max) max = v;
      suffix[j] = max;
    }
    this.offset = 0;
    this.prefix = Number.NEGATIVE_INFINITY;
  }
}
