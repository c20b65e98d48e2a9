import type { Balances } from "../domain/index.ts";
import type { PortfolioSnapshot, StrategyPnl } from "../portfolio/snapshot.ts";
import { valuePositions } from "../portfolio/valuation.ts";
import type { OpenPosition } from "../risk/snapshot.ts";
import type { AccountPositions } from "./positions.ts";

/** What an account's worth is computed from. */
export interface Holdings {
  readonly accountId: string;
  readonly positions: AccountPositions;
  readonly marks: ReadonlyMap<string, number>;
  /** The currency cash and equity are counted in. */
  readonly quote: string;
  readonly balances: Balances;
}

/**
 * Equity (total quote cash plus every position in that quote at its mark, or its entry while unmarked)
 * and the cash in it. Runs on every candle of a backtest, so it allocates nothing.
 * @example accountValue(holdings) // { equity: 10_250, cash: 8_000, free: 8_000 }
 */
export function accountValue(h: Holdings): { equity: number; cash: number; free: number } {
  const wallet = h.balances[h.quote];
  const free = wallet?.free ?? 0;
  const cash = free + (wallet?.used ?? 0);
  return { equity: equityOf(h, cash), cash, free };
}

/**
 * The equity of accountValue, from its cash, without the object: what a candle loop reads.
 * @example equityOf(holdings, cashOf(holdings)) // 10_250
 */
export function equityOf(h: Holdings, cash: number): number {
  let equity = cash;
  for (const p of h.positions.openIn(h.quote)) equity += p.quantity * (h.marks.get(p.symbol) ?? p.entryPrice);
  return equity;
}

/**
 * The cash of accountValue (free plus used, in the quote), without the object.
 * @example cashOf(holdings) // 8_000
 */
export function cashOf(h: Pick<Holdings, "balances" | "quote">): number {
  const wallet = h.balances[h.quote];
  return (wallet?.free ?? 0) + (wallet?.used ?? 0);
}

/**
 * The free quote balance of accountValue, without the object.
 * @example freeOf(holdings) // 8_000
 */
export function freeOf(h: Pick<Holdings, "balances" | "quote">): number {
  return h.balances[h.quote]?.free ?? 0;
}

/**
 * Every open position of the account as the risk rules see it.
 * @example openPositions(holdings) // [{ symbol: "BTC/USDT", strategyId: "sma", quantity: 0.1, entryPrice: 50_000, lastPrice: 51_000 }]
 */
export function openPositions(h: Holdings): OpenPosition[] {
  return h.positions.open().map((p) => ({
    symbol: p.symbol,
    strategyId: p.strategyId,
    quantity: p.quantity,
    entryPrice: p.entryPrice,
    lastPrice: h.marks.get(p.symbol) ?? p.entryPrice,
  }));
}

/**
 * The account as core/portfolio describes it, from memory: what the equity recorder writes and /status shows.
 * @example createEquityRecorder({ store }).record(portfolioView(holdings, now, { dayStart, peak }))
 */
export function portfolioView(
  h: Holdings,
  time: number,
  reference: { readonly dayStartEquity: number; readonly peakEquity: number },
): PortfolioSnapshot {
  const { equity, cash, free } = accountValue(h);
  const all = h.positions.all();
  const open = h.positions.openIn(h.quote);
  const valuation = valuePositions(open, h.marks);
  const strategies = new Map<string, StrategyPnl>();
  for (const p of all) {
    const v = valuePositions([p], h.marks);
    const s = strategies.get(p.strategyId);
    strategies.set(p.strategyId, {
      strategyId: p.strategyId,
      realizedPnl: (s?.realizedPnl ?? 0) + p.realizedPnl,
      unrealizedPnl: (s?.unrealizedPnl ?? 0) + v.unrealizedPnl,
      fees: (s?.fees ?? 0) + p.fees,
      exposure: (s?.exposure ?? 0) + v.exposure,
    });
  }
  return {
    accountId: h.accountId,
    time,
    quote: h.quote,
    cash: free,
    cashTotal: cash,
    equity,
    unrealizedPnl: valuation.unrealizedPnl,
    realizedPnl: all.reduce((sum, p) => sum + p.realizedPnl, 0),
    fees: all.reduce((sum, p) => sum + p.fees, 0),
    exposure: valuation.exposure,
    dayStartEquity: reference.dayStartEquity,
    peakEquity: Math.max(reference.peakEquity, equity),
    positions: openPositions(h),
    strategies: [...strategies.values()],
  };
}
