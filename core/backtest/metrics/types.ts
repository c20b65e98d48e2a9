/** How returns are annualised and what cash earns; every field optional. */
export interface MetricsOptions {
  /**
   * 365 (the default: crypto trades every day of the year) or 252 (exchange-traded markets, which
   * trade about 252 days a year). See docs/backtest-metrics.md, "Annualisation".
   */
  readonly daysPerYear?: 365 | 252;
  /** Overrides the periods per year derived from the timeframe and `daysPerYear`. */
  readonly periodsPerYear?: number;
  /** Annual risk-free rate as a fraction (0.04 = 4% a year); 0 by default. */
  readonly riskFreeRate?: number;
  /** Compute the day, week and month breakdowns (true by default; sweeps turn it off for speed). */
  readonly breakdowns?: boolean;
}

/** One trade picked out as best or worst, by its return on the money it put in. */
export interface TradeExtreme {
  readonly symbol: string;
  readonly entryTime: number;
  readonly pnl: number;
  readonly pnlPct: number;
}

/** Equity over one calendar period (UTC): from the end of the previous period to the end of this one. */
export interface PeriodReturn {
  /** "2024-01-05" (day), "2024-W01" (ISO week), "2024-01" (month). */
  readonly period: string;
  /** Times of the first and last equity point in the period. */
  readonly first: number;
  readonly last: number;
  readonly startEquity: number;
  readonly endEquity: number;
  readonly pnl: number;
  /** endEquity / startEquity - 1, a fraction. */
  readonly return: number;
  /** Trades that closed in the period. */
  readonly trades: number;
}

/** The per-period breakdowns of a run. */
export interface PeriodBreakdowns {
  readonly day: readonly PeriodReturn[];
  readonly week: readonly PeriodReturn[];
  readonly month: readonly PeriodReturn[];
}

/**
 * Every headline figure of a backtest. Fractions are fractions (0.05 = 5%), durations milliseconds,
 * money in the quote currency. `null` means "not defined for this run" (no trades, no volatility, ...);
 * `profitFactor` is `Infinity` when there were wins and no losses. Formulas: docs/backtest-metrics.md.
 */
export interface MetricsSummary {
  readonly startEquity: number;
  readonly finalEquity: number;
  readonly totalReturn: number;
  readonly cagr: number | null;
  readonly volatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly calmar: number | null;
  /** Deepest fall from a running peak, a fraction <= 0 (-0.25 = 25% below the peak). */
  readonly maxDrawdown: number;
  /** Longest time from a peak to the first point back at or above it (or to the end), ms. */
  readonly maxDrawdownDuration: number;
  /** Share of candles during which a position was open, 0..1. */
  readonly exposure: number;
  /** Closed trades; the trade statistics below count only these. */
  readonly trades: number;
  /** Trades still open at the end (valued at the last close, not counted above). */
  readonly openTrades: number;
  readonly wins: number;
  readonly losses: number;
  readonly winRate: number | null;
  readonly profitFactor: number | null;
  /** Mean net PnL per closed trade, quote currency. */
  readonly expectancy: number | null;
  readonly averageWin: number | null;
  readonly averageLoss: number | null;
  readonly bestTrade: TradeExtreme | null;
  readonly worstTrade: TradeExtreme | null;
  /** Mean time from entry to exit of closed trades, ms. */
  readonly averageHolding: number | null;
  /** Sum of the fees of every fill, quote currency. */
  readonly fees: number;
  /** Buying the first symbol at its first close and holding to its last close. */
  readonly buyAndHoldReturn: number | null;
  /** What the annualised figures were computed with. */
  readonly periodsPerYear: number;
  readonly years: number;
  readonly riskFreeRate: number;
}

/** The summary plus the calendar breakdowns (empty when turned off). */
export interface BacktestMetrics extends MetricsSummary {
  readonly periods: PeriodBreakdowns;
}
