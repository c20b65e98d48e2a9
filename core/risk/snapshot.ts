import type { OrderIntent, RiskLimits } from "../domain/index.ts";
import type { MarketConstraints } from "./market.ts";
import type { TradingState } from "./trading-state.ts";

/** An open position as the rules see it. Quantity is signed: short < 0. */
export interface OpenPosition {
  readonly symbol: string;
  readonly strategyId: string;
  readonly quantity: number;
  readonly entryPrice: number;
  /** Latest known price of the symbol, to value the position at. */
  readonly lastPrice: number;
}

/** A stop-loss (or trailing stop) that closed a position: feeds the cooldown and the stop-loss guard. */
export interface StopOut {
  readonly symbol: string;
  /** When the stop filled, epoch ms. */
  readonly time: number;
  readonly strategyId?: string;
}

/**
 * Everything a rule may know, gathered by the caller before the rules run. Rules read nothing else:
 * no clock, no store, no exchange, so the same snapshot always gives the same verdict (and a backtest
 * replays exactly). Money is in the symbol's quote currency, amounts in its base currency.
 *
 * The account-wide fields (equity, positions, cash) describe the account the strategy trades on;
 * `limits` are already merged for the strategy (see `mergeLimits`).
 */
export interface RiskSnapshot {
  /** Epoch ms, from the engine's clock (simulated in a backtest). */
  readonly now: number;
  readonly equity: number;
  /** Equity at 00:00 UTC today: the base of the daily loss limit. */
  readonly dayStartEquity: number;
  /** Highest equity seen: the base of the max drawdown lock. */
  readonly peakEquity: number;
  /** Free quote-currency balance. */
  readonly cash: number;
  /** Every open position on the account, of every strategy. */
  readonly positions: readonly OpenPosition[];
  /** Reference price of the intent's symbol: the last close. */
  readonly price: number;
  /** ATR of the symbol over `limits.volatility.atrPeriod`, when warmed up. */
  readonly atr?: number;
  /** ATR as a percentage of the price; computed from `atr` and `price` when left out. */
  readonly atrPct?: number;
  readonly market?: MarketConstraints;
  /** Stop-outs of the recent past (at least the longest cooldown or guard window), any order. */
  readonly recentStops: readonly StopOut[];
  readonly tradingState: TradingState;
  readonly limits: RiskLimits;
  /** Quote amount allocated to the strategy: the base of `{ kind: "fraction" }` sizes. */
  readonly allocation: number;
}

/**
 * Signed quantity the intent's strategy holds of its symbol (0 when flat).
 * @example heldQuantity(snapshot, { strategyId: "sma", symbol: "BTC/USDT" }) // 0.05
 */
export function heldQuantity(snapshot: RiskSnapshot, intent: Pick<OrderIntent, "strategyId" | "symbol">): number {
  let quantity = 0;
  for (const p of snapshot.positions) {
    if (p.strategyId === intent.strategyId && p.symbol === intent.symbol) quantity += p.quantity;
  }
  return quantity;
}

/**
 * The held quantity measured along the intent's side: positive when the order adds to the position,
 * negative when it works against it.
 * @example heldAlong(snapshot, { side: "sell", ... }) // -0.05 when long 0.05
 */
export function heldAlong(snapshot: RiskSnapshot, intent: Pick<OrderIntent, "strategyId" | "symbol" | "side">): number {
  const held = heldQuantity(snapshot, intent);
  return intent.side === "buy" ? held : -held;
}

/**
 * ATR as a percentage of the price, or undefined while the ATR is not known.
 * @example atrPctOf({ atr: 1500, price: 50000, ... }) // 3
 */
export function atrPctOf(snapshot: Pick<RiskSnapshot, "atr" | "atrPct" | "price">): number | undefined {
  if (snapshot.atrPct !== undefined && Number.isFinite(snapshot.atrPct)) return snapshot.atrPct;
  if (snapshot.atr === undefined || !Number.isFinite(snapshot.atr) || !(snapshot.price > 0)) return undefined;
  return (snapshot.atr / snapshot.price) * 100;
}

/**
 * Today's loss as % of the day-start equity; 0 on a winning day, undefined with no day-start equity.
 * @example dailyLossPct({ equity: 9600, dayStartEquity: 10000 }) // 4
 */
export function dailyLossPct(snapshot: Pick<RiskSnapshot, "equity" | "dayStartEquity">): number | undefined {
  if (!(snapshot.dayStartEquity > 0)) return undefined;
  return Math.max(0, ((snapshot.dayStartEquity - snapshot.equity) / snapshot.dayStartEquity) * 100);
}

/**
 * Drawdown from the equity peak, %; undefined with no peak recorded.
 * @example drawdownPct({ equity: 9000, peakEquity: 12000 }) // 25
 */
export function drawdownPct(snapshot: Pick<RiskSnapshot, "equity" | "peakEquity">): number | undefined {
  if (!(snapshot.peakEquity > 0)) return undefined;
  return Math.max(0, ((snapshot.peakEquity - snapshot.equity) / snapshot.peakEquity) * 100);
}
