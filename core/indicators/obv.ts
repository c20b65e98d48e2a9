/**
 * On-balance volume: a running total that adds the candle's volume when the close rises, subtracts it when
 * the close falls, and leaves it on an unchanged close. Starts at 0 on the first candle (ready at once), as
 * TradingView and Tulip do; TA-Lib starts at the first volume instead, which only shifts the line.
 *
 * The direction is taken as (close > previous) - (close < previous), a -1/0/1 without branches: up or down
 * is a coin flip that a branch would mispredict half the time.
 *
 * @example
 * const obv = new Obv();
 * obv.update(10, 100); // 0
 * obv.update(11, 50);  // 50
 * obv.update(11, 70);  // 50
 * obv.update(9, 20);   // 30
 */
export class Obv {
  /** NaN until the first candle, so its comparisons give direction 0. */
  private previous = Number.NaN;
  private total = 0;

  /** The running total; NaN before the first candle. */
  get value(): number {
    return Number.isNaN(this.previous) ? Number.NaN : this.total;
  }

  get ready(): boolean {
    return !Number.isNaN(this.previous);
  }

  /** Adds a candle's close and volume; returns the running total. */
  update(close: number, volume: number): number {
    const previous = this.previous;
    this.total += volume * (Number(close > previous) - Number(close < previous));
    this.previous = close;
    return this.total;
  }

  reset(): void {
    this.previous = Number.NaN;
    this.total = 0;
  }
}

/**
 * OBV over a whole series, starting at 0.
 *
 * @example
 * obv(Float64Array.of(10, 11, 11, 9), Float64Array.of(100, 50, 70, 20)); // [0, 50, 50, 30]
 */
export function obv(close: ArrayLike<number>, volume: ArrayLike<number>): Float64Array {
  const ind = new Obv();
  const out = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) out[i] = ind.update(close[i]!, volume[i]!);
  return out;
}
