import { Ema } from "./ema.ts";

/**
 * MACD: line = EMA(fast) - EMA(slow), signal = EMA(signal) of the line, histogram = line - signal. Each EMA
 * is seeded with its SMA (see Ema), the signal EMA starting at the first line value, as technicalindicators
 * computes it with EMA oscillators; ready after `slow + signal - 1` values.
 *
 * `update` returns the indicator itself once ready, so the three outputs are read without allocating;
 * read them before the next update.
 *
 * @example
 * const m = new Macd(12, 26, 9);
 * for (const close of closes) {
 *   const out = m.update(close);
 *   if (out && out.histogram > 0) { ... }
 * }
 */
export class Macd {
  declare readonly fastPeriod: number;
  declare readonly slowPeriod: number;
  declare readonly signalPeriod: number;
  declare private readonly fast: Ema;
  declare private readonly slow: Ema;
  declare private readonly signalEma: Ema;
  private line = Number.NaN;
  private sig = Number.NaN;
  private hist = Number.NaN;

  constructor(fastPeriod = 12, slowPeriod = 26, signalPeriod = 9) {
    this.fast = new Ema(fastPeriod);
    this.slow = new Ema(slowPeriod);
    this.signalEma = new Ema(signalPeriod);
    this.fastPeriod = fastPeriod;
    this.slowPeriod = slowPeriod;
    this.signalPeriod = signalPeriod;
  }

  /** EMA(fast) - EMA(slow); NaN during warm-up. */
  get macd(): number {
    return this.line;
  }

  /** EMA of the MACD line; NaN during warm-up. */
  get signal(): number {
    return this.sig;
  }

  /** macd - signal; NaN during warm-up. */
  get histogram(): number {
    return this.hist;
  }

  get ready(): boolean {
    return this.signalEma.ready;
  }

  /** Adds a close; returns this with macd, signal and histogram set, or undefined during warm-up. */
  update(close: number): MacdOutput | undefined {
    const fast = this.fast.update(close);
    const slow = this.slow.update(close);
    if (fast === undefined || slow === undefined) return undefined;
    const line = fast - slow;
    const signal = this.signalEma.update(line);
    if (signal === undefined) return undefined;
    this.line = line;
    this.sig = signal;
    this.hist = line - signal;
    return this;
  }

  reset(): void {
    this.fast.reset();
    this.slow.reset();
    this.signalEma.reset();
    this.line = Number.NaN;
    this.sig = Number.NaN;
    this.hist = Number.NaN;
  }
}

/** The outputs of a ready Macd. */
export interface MacdOutput {
  readonly macd: number;
  readonly signal: number;
  readonly histogram: number;
}

/** MACD over a whole series: one column per output. */
export interface MacdSeries {
  readonly macd: Float64Array;
  readonly signal: Float64Array;
  readonly histogram: Float64Array;
}

/**
 * MACD over a whole series; NaN for the first `slow + signal - 2` rows.
 *
 * @example
 * const { macd: line, signal, histogram } = macd(closes, 12, 26, 9);
 */
export function macd(values: ArrayLike<number>, fastPeriod = 12, slowPeriod = 26, signalPeriod = 9): MacdSeries {
  const ind = new Macd(fastPeriod, slowPeriod, signalPeriod);
  const n = values.length;
  const out = { macd: new Float64Array(n), signal: new Float64Array(n), histogram: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    ind.update(values[i]!);
    out.macd[i] = ind.macd;
    out.signal[i] = ind.signal;
    out.histogram[i] = ind.histogram;
  }
  return out;
}
