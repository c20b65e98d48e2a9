import { checkPeriod } from "./internal/params.ts";
import { trueRange } from "./internal/true-range.ts";

/**
 * Average directional index with +DI and -DI, as Wilder defined them (and technicalindicators computes):
 * - +DM = up move if it is positive and larger than the down move, else 0 (and the mirror for -DM);
 * - TR, +DM and -DM are smoothed Wilder-style as sums: the first is the sum of `period` values (candles
 *   2..period+1), then S = S * (period - 1) / period + x;
 * - +DI = 100 * S(+DM) / S(TR), -DI likewise, DX = 100 * |+DI - -DI| / (+DI + -DI);
 * - ADX = mean of the first `period` DX, then adx = adx * (period - 1) / period + dx / period. Ready on
 *   candle 2 * period.
 * With no range at all, DI and DX read 0 (no trend) instead of 0 / 0.
 *
 * DX is computed as 100 * |S(+DM) - S(-DM)| / (S(+DM) + S(-DM)), where S(TR) cancels out, and +DI/-DI are
 * divided out only when read: one division per update instead of three.
 *
 * @example
 * const adx = new Adx(14);
 * const out = adx.update(high, low, close);
 * if (out && out.adx > 25 && out.plusDi > out.minusDi) { ... } // a strong up trend
 */
export class Adx {
  declare readonly period: number;
  declare private readonly keep: number;
  declare private readonly weight: number;
  private seen = 0;
  private previousHigh = 0;
  private previousLow = 0;
  private previousClose = 0;
  private sumTr = 0;
  private sumPlus = 0;
  private sumMinus = 0;
  private dxSeen = 0;
  private current = 0;

  constructor(period = 14) {
    this.period = checkPeriod("Adx", "period", period);
    this.weight = 1 / this.period;
    this.keep = 1 - this.weight;
  }

  /** Average directional index in [0, 100]; NaN during warm-up. */
  get adx(): number {
    return this.ready ? this.current : Number.NaN;
  }

  /** +DI in [0, 100]; NaN during warm-up. */
  get plusDi(): number {
    return this.ready ? directionalIndex(this.sumPlus, this.sumTr) : Number.NaN;
  }

  /** -DI in [0, 100]; NaN during warm-up. */
  get minusDi(): number {
    return this.ready ? directionalIndex(this.sumMinus, this.sumTr) : Number.NaN;
  }

  get ready(): boolean {
    return this.dxSeen > this.period;
  }

  /** Adds a candle; returns this with adx, plusDi and minusDi set, or undefined for the first 2 * period - 1. */
  update(high: number, low: number, close: number): AdxOutput | undefined {
    const upMove = high - this.previousHigh;
    const downMove = this.previousLow - low;
    const tr = trueRange(high, low, this.previousClose);
    this.previousHigh = high;
    this.previousLow = low;
    this.previousClose = close;
    const plusDm = upMove > downMove && upMove > 0 ? upMove : 0;
    const minusDm = downMove > upMove && downMove > 0 ? downMove : 0;
    if (this.seen > this.period) {
      this.sumTr = this.sumTr * this.keep + tr;
      this.sumPlus = this.sumPlus * this.keep + plusDm;
      this.sumMinus = this.sumMinus * this.keep + minusDm;
    } else if (this.sumUp(tr, plusDm, minusDm)) {
      return undefined;
    }
    const moves = this.sumPlus + this.sumMinus;
    const dx = moves === 0 ? 0 : (100 * Math.abs(this.sumPlus - this.sumMinus)) / moves;
    if (this.dxSeen > this.period) {
      this.current = this.current * this.keep + dx * this.weight;
      return this;
    }
    return this.averageUp(dx);
  }

  reset(): void {
    this.seen = 0;
    this.previousHigh = 0;
    this.previousLow = 0;
    this.previousClose = 0;
    this.sumTr = 0;
    this.sumPlus = 0;
    this.sumMinus = 0;
    this.dxSeen = 0;
    this.current = 0;
  }

  /** Warm-up of the sums: candle 1 has no move, candles 2..period+1 are summed; true while warming up. */
  private sumUp(tr: number, plusDm: number, minusDm: number): boolean {
    const seen = this.seen++;
    if (seen === 0) return true;
    this.sumTr += tr;
    this.sumPlus += plusDm;
    this.sumMinus += minusDm;
    return seen < this.period;
  }

  /** Warm-up of the ADX: the mean of the first `period` DX. */
  private averageUp(dx: number): AdxOutput | undefined {
    this.current += dx;
    if (++this.dxSeen < this.period) return undefined;
    this.current /= this.period;
    this.dxSeen++; // period + 1: ready
    return this;
  }
}

function directionalIndex(sumDm: number, sumTr: number): number {
  return sumTr === 0 ? 0 : (100 * sumDm) / sumTr;
}

/** The outputs of a ready Adx. */
export interface AdxOutput {
  readonly adx: number;
  readonly plusDi: number;
  readonly minusDi: number;
}

/** ADX over a whole series: one column per output. */
export interface AdxSeries {
  readonly adx: Float64Array;
  readonly plusDi: Float64Array;
  readonly minusDi: Float64Array;
}

/**
 * ADX over a whole series; NaN for the first 2 * period - 1 rows.
 *
 * @example
 * const { adx: strength, plusDi, minusDi } = adx(high, low, close, 14);
 */
export function adx(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 14): AdxSeries {
  const ind = new Adx(period);
  const n = high.length;
  const out = { adx: new Float64Array(n), plusDi: new Float64Array(n), minusDi: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    ind.update(high[i]!, low[i]!, close[i]!);
    out.adx[i] = ind.adx;
    out.plusDi[i] = ind.plusDi;
    out.minusDi[i] = ind.minusDi;
  }
  return out;
}
