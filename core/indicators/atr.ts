import { checkPeriod } from "./internal/params.ts";
import { trueRange } from "./internal/true-range.ts";

/**
 * Average true range with Wilder's smoothing, as TA-Lib and technicalindicators define it: the true range
 * needs the previous close, so the first candle only provides that close; the first ATR is the mean of the
 * next `period` true ranges (ready on candle `period + 1`), then atr = atr * (period - 1) / period + tr / period.
 *
 * @example
 * const atr = new Atr(2);
 * atr.update(10, 8, 9);    // undefined: no previous close yet
 * atr.update(11, 9, 10);   // undefined: tr 2
 * atr.update(14, 10, 13);  // 3: tr 4, mean of 2 and 4
 * atr.update(13, 12, 12);  // 2: tr 1, 3 + (1 - 3) / 2
 */
export class Atr {
  declare readonly period: number;
  declare private readonly keep: number;
  declare private readonly weight: number;
  private seen = 0;
  private previousClose = 0;
  private current = 0;
  private out = Number.NaN;

  constructor(period = 14) {
    this.period = checkPeriod("Atr", "period", period);
    this.weight = 1 / this.period;
    this.keep = 1 - this.weight;
  }

  /** The latest ATR; NaN during warm-up. */
  get value(): number {
    return this.out;
  }

  get ready(): boolean {
    return this.seen > this.period;
  }

  /** Adds a candle; returns the ATR, or undefined for the first `period` candles. */
  update(high: number, low: number, close: number): number | undefined {
    const tr = trueRange(high, low, this.previousClose);
    this.previousClose = close;
    if (this.seen > this.period) {
      this.current = this.current * this.keep + tr * this.weight;
    } else if (this.warmUp(tr)) {
      return undefined;
    }
    this.out = this.current;
    return this.out;
  }

  /** Sums the first `period` true ranges (the first candle has none) and divides once; true while warming up. */
  private warmUp(tr: number): boolean {
    const seen = this.seen++;
    if (seen === 0) return true;
    this.current += tr;
    if (seen < this.period) return true;
    this.current /= this.period;
    return false;
  }

  reset(): void {
    this.seen = 0;
    this.previousClose = 0;
    this.current = 0;
    this.out = Number.NaN;
  }
}

/**
 * ATR over a whole series; NaN for the first `period` rows.
 *
 * @example
 * atr(high, low, close, 14);
 */
export function atr(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period = 14,
): Float64Array {
  const ind = new Atr(period);
  const out = new Float64Array(high.length);
  for (let i = 0; i < high.length; i++) {
    ind.update(high[i]!, low[i]!, close[i]!);
    out[i] = ind.value;
  }
  return out;
}
