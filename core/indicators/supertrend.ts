import { Atr } from "./atr.ts";
import { checkPeriod, checkPositive } from "./internal/params.ts";

/**
 * SuperTrend, with TradingView's band rules (ta.supertrend) over Wilder's ATR (see Atr):
 *   basic upper/lower = (H + L) / 2 +/- multiplier * ATR;
 *   the upper band only moves down (and the lower only up) unless the previous close broke through it;
 *   in a down trend the line is the upper band until a close above it flips the trend up, and vice versa.
 * `direction` is 1 in an up trend (the line is support below price) and -1 in a down trend; note that
 * TradingView's own sign is the opposite. As on TradingView, the first value starts in a down trend.
 *
 * @example
 * const st = new SuperTrend(10, 3);
 * const out = st.update(high, low, close);
 * if (out && out.direction === 1) { ... } // trailing stop at out.value
 */
export class SuperTrend {
  declare readonly period: number;
  declare readonly multiplier: number;
  declare private readonly atr: Atr;
  private started = false;
  private previousClose = 0;
  private upper = 0;
  private lower = 0;
  private dir = 0;
  private line = Number.NaN;

  constructor(period = 10, multiplier = 3) {
    this.period = checkPeriod("SuperTrend", "period", period);
    this.atr = new Atr(period);
    this.multiplier = checkPositive("SuperTrend", "multiplier", multiplier);
  }

  /** The SuperTrend line: the lower band in an up trend, the upper band in a down trend; NaN in warm-up. */
  get value(): number {
    return this.line;
  }

  /** 1 in an up trend, -1 in a down trend, NaN during warm-up. */
  get direction(): number {
    return this.started ? this.dir : Number.NaN;
  }

  get ready(): boolean {
    return this.started;
  }

  /** Adds a candle; returns this with value and direction set, or undefined for the first `period` candles. */
  update(high: number, low: number, close: number): SuperTrendOutput | undefined {
    const atr = this.atr.update(high, low, close);
    const previousClose = this.previousClose;
    this.previousClose = close;
    if (atr === undefined) return undefined;
    const mid = (high + low) / 2;
    const basicUpper = mid + this.multiplier * atr;
    const basicLower = mid - this.multiplier * atr;
    if (this.started) {
      const upper = basicUpper < this.upper || previousClose > this.upper ? basicUpper : this.upper;
      const lower = basicLower > this.lower || previousClose < this.lower ? basicLower : this.lower;
      this.dir = this.dir === -1 ? (close > upper ? 1 : -1) : close < lower ? -1 : 1;
      this.upper = upper;
      this.lower = lower;
    } else {
      this.started = true;
      this.upper = basicUpper;
      this.lower = basicLower;
      this.dir = -1;
    }
    this.line = this.dir === 1 ? this.lower : this.upper;
    return this;
  }

  reset(): void {
    this.atr.reset();
    this.started = false;
    this.previousClose = 0;
    this.upper = 0;
    this.lower = 0;
    this.dir = 0;
    this.line = Number.NaN;
  }
}

/** The outputs of a ready SuperTrend. */
export interface SuperTrendOutput {
  readonly value: number;
  readonly direction: number;
}

/** SuperTrend over a whole series: one column per output. */
export interface SuperTrendSeries {
  readonly value: Float64Array;
  readonly direction: Float64Array;
}

/**
 * SuperTrend over a whole series; NaN for the first `period` rows.
 *
 * @example
 * const { value, direction } = superTrend(high, low, close, 10, 3);
 */
export function superTrend(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period = 10,
  multiplier = 3,
): SuperTrendSeries {
  const ind = new SuperTrend(period, multiplier);
  const n = high.length;
  const out = { value: new Float64Array(n), direction: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    ind.update(high[i]!, low[i]!, close[i]!);
    out.value[i] = ind.value;
    out.direction[i] = ind.direction;
  }
  return out;
}
