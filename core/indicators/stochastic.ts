import { checkPeriod } from "./internal/params.ts";
import { WindowExtreme } from "./internal/window-extreme.ts";
import { Sma } from "./sma.ts";

/**
 * Stochastic oscillator (the "slow" stochastic of most charting tools):
 *   raw %K = 100 * (close - lowest low) / (highest high - lowest low) over `kPeriod` candles,
 *   %K = SMA(raw %K, kSmooth),  %D = SMA(%K, dPeriod).
 * kSmooth = 1 gives the fast stochastic. The highest high and lowest low come from WindowExtreme, O(1)
 * amortised. A window with no range at all reads 50 (neutral); TA-Lib and technicalindicators read 0 there,
 * which looks like "oversold" to a rule that should not fire on a halted market.
 *
 * @example
 * const st = new Stochastic(14, 3, 3);
 * const out = st.update(high, low, close);
 * if (out && out.k > out.d && out.d < 20) { ... }
 */
export class Stochastic {
  declare readonly kPeriod: number;
  declare readonly kSmooth: number;
  declare readonly dPeriod: number;
  declare private readonly highest: WindowExtreme;
  declare private readonly lowest: WindowExtreme;
  declare private readonly kSma: Sma;
  declare private readonly dSma: Sma;
  private kOut = Number.NaN;
  private dOut = Number.NaN;

  constructor(kPeriod = 14, kSmooth = 3, dPeriod = 3) {
    this.kPeriod = checkPeriod("Stochastic", "kPeriod", kPeriod);
    this.kSmooth = checkPeriod("Stochastic", "kSmooth", kSmooth);
    this.dPeriod = checkPeriod("Stochastic", "dPeriod", dPeriod);
    this.highest = new WindowExtreme(kPeriod, true);
    this.lowest = new WindowExtreme(kPeriod, false);
    this.kSma = new Sma(kSmooth);
    this.dSma = new Sma(dPeriod);
  }

  /** %K (smoothed by kSmooth); NaN during warm-up. */
  get k(): number {
    return this.kOut;
  }

  /** %D, the SMA of %K; NaN during warm-up. */
  get d(): number {
    return this.dOut;
  }

  get ready(): boolean {
    return this.dSma.ready;
  }

  /** Adds a candle; returns this with k and d set, or undefined for the first kPeriod + kSmooth + dPeriod - 3. */
  update(high: number, low: number, close: number): StochasticOutput | undefined {
    const hh = this.highest.push(high);
    const ll = this.lowest.push(low);
    if (this.highest.count < this.kPeriod) return undefined;
    const range = hh - ll;
    const raw = range === 0 ? 50 : (100 * (close - ll)) / range;
    const k = this.kSma.update(raw);
    if (k === undefined) return undefined;
    const d = this.dSma.update(k);
    if (d === undefined) return undefined;
    this.kOut = k;
    this.dOut = d;
    return this;
  }

  reset(): void {
    this.highest.reset();
    this.lowest.reset();
    this.kSma.reset();
    this.dSma.reset();
    this.kOut = Number.NaN;
    this.dOut = Number.NaN;
  }
}

/** The outputs of a ready Stochastic. */
export interface StochasticOutput {
  readonly k: number;
  readonly d: number;
}

/** Stochastic over a whole series: one column per output. */
export interface StochasticSeries {
  readonly k: Float64Array;
  readonly d: Float64Array;
}

/**
 * Stochastic over a whole series; NaN for the first kPeriod + kSmooth + dPeriod - 3 rows.
 *
 * @example
 * const { k, d } = stochastic(high, low, close, 14, 3, 3);
 */
export function stochastic(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  kPeriod = 14,
  kSmooth = 3,
  dPeriod = 3,
): StochasticSeries {
  const ind = new Stochastic(kPeriod, kSmooth, dPeriod);
  const n = high.length;
  const out = { k: new Float64Array(n), d: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    ind.update(high[i]!, low[i]!, close[i]!);
    out.k[i] = ind.k;
    out.d[i] = ind.d;
  }
  return out;
}
