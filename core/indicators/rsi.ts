import { checkPeriod } from "./internal/params.ts";

/**
 * Relative strength index with Wilder's smoothing: average gain and loss seeded with the mean of the first
 * `period` changes, then avg = avg * (period - 1) / period + x / period. Needs `period + 1` closes.
 *
 * RSI = 100 * avgGain / (avgGain + avgLoss). When the window has no movement at all this reads 50: TA-Lib
 * returns 0 there, which a mean-reversion rule would take for "deeply oversold" on a halted market.
 *
 * Gain and loss are split without branches ((c + |c|) / 2 and (|c| - c) / 2, both exact): whether a close
 * is up or down is a coin flip a branch predictor loses half the time.
 *
 * @example
 * const rsi = new Rsi(2);
 * rsi.update(10); rsi.update(11); // undefined
 * rsi.update(10);                 // 50: gains 1, losses 1
 * rsi.update(12);                 // 83.33: avgGain 0.5 + (2 - 0.5) / 2 = 1.25, avgLoss 0.5 - 0.5 / 2 = 0.25
 */
export class Rsi {
  declare readonly period: number;
  declare private readonly keep: number;
  declare private readonly weight: number;
  private seen = 0;
  private previous = 0;
  private avgGain = 0;
  private avgLoss = 0;
  private current = Number.NaN;

  constructor(period = 14) {
    this.period = checkPeriod("Rsi", "period", period);
    this.weight = 1 / this.period;
    this.keep = 1 - this.weight;
  }

  /** The latest RSI in [0, 100]; NaN during warm-up. */
  get value(): number {
    return this.current;
  }

  get ready(): boolean {
    return this.seen > this.period;
  }

  /** Adds a close; returns the RSI, or undefined for the first `period` closes. */
  update(close: number): number | undefined {
    const change = close - this.previous;
    const size = Math.abs(change);
    this.previous = close;
    if (this.seen > this.period) {
      this.avgGain = this.avgGain * this.keep + (size + change) * 0.5 * this.weight;
      this.avgLoss = this.avgLoss * this.keep + (size - change) * 0.5 * this.weight;
    } else if (this.warmUp(size, change)) {
      return undefined;
    }
    const total = this.avgGain + this.avgLoss;
    this.current = total === 0 ? 50 : (100 * this.avgGain) / total;
    return this.current;
  }

  reset(): void {
    this.seen = 0;
    this.previous = 0;
    this.avgGain = 0;
    this.avgLoss = 0;
    this.current = Number.NaN;
  }

  /** Plain sums of the first `period` changes, divided once; true while still warming up. */
  private warmUp(size: number, change: number): boolean {
    const seen = this.seen++;
    if (seen === 0) return true; // the first close has no change
    this.avgGain += (size + change) * 0.5;
    this.avgLoss += (size - change) * 0.5;
    if (seen < this.period) return true;
    this.avgGain /= this.period;
    this.avgLoss /= this.period;
    return false;
  }
}

/**
 * RSI over a whole series; NaN for the first `period` rows.
 *
 * @example
 * rsi(Float64Array.of(10, 11, 10, 12), 2); // [NaN, NaN, 50, 83.33...]
 */
export function rsi(values: ArrayLike<number>, period = 14): Float64Array {
  const ind = new Rsi(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    ind.update(values[i]!);
    out[i] = ind.value;
  }
  return out;
}
