/**
 * Step returns of an equity series that starts at `start`: r[i] = equity[i] / equity[i-1] - 1, with
 * equity[-1] = start. One return per equity point.
 * @example stepReturns(100, [110, 99]) // Float64Array [0.1, -0.1]
 */
export function stepReturns(start: number, equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  let previous = start;
  for (let i = 0; i < equity.length; i++) {
    const value = equity[i] as number;
    // A wiped-out account stays at -100%: no division by zero afterwards.
    out[i] = previous > 0 ? value / previous - 1 : 0;
    previous = value;
  }
  return out;
}

/** @example mean([1, 2, 6]) // 3 */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return values.length > 0 ? sum / values.length : Number.NaN;
}

/**
 * Sample standard deviation (divides by n - 1); NaN for fewer than two values. A spread below 1e-12 of
 * the mean is floating-point noise from summing equal returns, and reads as exactly 0.
 * @example sampleStd([1, 2, 6]) // sqrt(((1-3)² + (2-3)² + (6-3)²) / 2) = sqrt(7)
 */
export function sampleStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  const m = mean(values);
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((values[i] as number) - m) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  return sd <= 1e-12 * Math.abs(m) ? 0 : sd;
}

/**
 * Downside deviation below `target`: sqrt(Σ min(0, r - target)² / n), over ALL n returns (Sortino and
 * Price's definition), not only the losing ones.
 * @example downsideDeviation([0.1, -0.2, 0], 0) // sqrt(0.04 / 3)
 */
export function downsideDeviation(values: ArrayLike<number>, target: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const shortfall = Math.min(0, (values[i] as number) - target);
    squares += shortfall * shortfall;
  }
  return Math.sqrt(squares / n);
}

/**
 * The risk-free rate per period that compounds to `annual` over `periodsPerYear` periods.
 * @example periodRate(0.21, 2) // 0.1 (1.1 × 1.1 = 1.21)
 */
export function periodRate(annual: number, periodsPerYear: number): number {
  return annual === 0 ? 0 : (1 + annual) ** (1 / periodsPerYear) - 1;
}

/**
 * Compound annual growth rate: (final / start)^(1 / years) - 1; -1 when the account is wiped out,
 * null when no time passed.
 * @example cagr(100, 121, 2) // 0.1
 */
export function cagr(start: number, final: number, years: number): number | null {
  if (!(years > 0) || !(start > 0)) return null;
  if (final <= 0) return -1;
  return (final / start) ** (1 / years) - 1;
}

/** Risk-adjusted ratios and volatility of a return series; null where undefined (see the doc). */
export interface RiskRatios {
  readonly volatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
}

/**
 * Annualised volatility, Sharpe and Sortino of per-period returns. All need two returns or more;
 * Sharpe is null when the volatility is 0, Sortino when no return fell below the risk-free rate.
 * @example riskRatios(Float64Array.of(0.1, -0.1), 4, 0) // { volatility: 0.2828…, sharpe: 0, sortino: 0 }
 */
export function riskRatios(returns: Float64Array, periodsPerYear: number, riskFreeRate: number): RiskRatios {
  if (returns.length < 2) return { volatility: null, sharpe: null, sortino: null };
  const rf = periodRate(riskFreeRate, periodsPerYear);
  const sd = sampleStd(returns);
  const excess = mean(returns) - rf;
  const root = Math.sqrt(periodsPerYear);
  const downside = downsideDeviation(returns, rf);
  return {
    volatility: sd * root,
    sharpe: sd > 0 ? (excess / sd) * root : null,
    sortino: downside > 0 ? (excess / downside) * root : null,
  };
}
