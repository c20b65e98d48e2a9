import type { Position } from "../domain/index.ts";
import type { OpenPosition, RiskSnapshot } from "../risk/snapshot.ts";
import type { Store } from "../store/database.ts";
import { loadBalances } from "../store/repositories/balances.ts";
import { listEquity } from "../store/repositories/equity.ts";
import { listPositions } from "../store/repositories/positions.ts";
import { splitSymbol } from "./currencies.ts";
import { type Marks, markOf, valuePositions } from "./valuation.ts";

/** PnL of one strategy instance on the account. */
export interface StrategyPnl {
  readonly strategyId: string;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly fees: number;
  readonly exposure: number;
}

/** An account at one moment: cash, positions at the marks, equity and its reference points. */
export interface PortfolioSnapshot {
  readonly accountId: string;
  readonly time: number;
  /** The currency cash and equity are counted in. */
  readonly quote: string;
  /** Free quote balance: what a new buy can spend. */
  readonly cash: number;
  /** Free plus what open orders hold. */
  readonly cashTotal: number;
  /** cashTotal + the signed market value of every open position. */
  readonly equity: number;
  readonly unrealizedPnl: number;
  /** Realised PnL of every position, open or closed, net of all fees. */
  readonly realizedPnl: number;
  readonly fees: number;
  readonly exposure: number;
  /** Equity at 00:00 UTC today (the last snapshot before it; else the first of today; else now). */
  readonly dayStartEquity: number;
  /** Highest equity recorded, now included. */
  readonly peakEquity: number;
  readonly positions: readonly OpenPosition[];
  readonly strategies: readonly StrategyPnl[];
}

export const DAY_MS = 86_400_000;

/**
 * An account's portfolio from the store (positions, balances, equity history) valued at `marks`.
 * Only positions in the cash currency count toward equity; a position quoted in another currency
 * would need a conversion rate this function does not guess.
 * @example const p = await portfolioSnapshot(store, "paper", { marks: { "BTC/USDT": 50_000 }, now: clock.now() })
 *   // { equity: 10_250, cash: 8_000, positions: [{ symbol: "BTC/USDT", quantity: 0.045, ... }], ... }
 */
export async function portfolioSnapshot(
  store: Store,
  accountId: string,
  options: { readonly marks: Marks; readonly now: number; readonly quote?: string },
): Promise<PortfolioSnapshot> {
  const dayStart = Math.floor(options.now / DAY_MS) * DAY_MS;
  const [positions, balances, beforeToday, firstToday, peak] = await Promise.all([
    listPositions(store.db, { accountId }),
    loadBalances(store.db, accountId),
    listEquity(store.db, { accountId, to: dayStart, order: "desc", limit: 1 }),
    listEquity(store.db, { accountId, from: dayStart, order: "asc", limit: 1 }),
    store.db
      .selectFrom("equity_snapshots")
      .select((eb) => eb.fn.max("equity").as("peak"))
      .where("account_id", "=", accountId)
      .where("strategy_id", "=", "")
      .executeTakeFirst(),
  ]);
  const quote = options.quote ?? quoteOf(positions);
  const counted = positions.filter((p) => splitSymbol(p.symbol).quote === quote);
  const valuation = valuePositions(counted, options.marks);
  const cash = balances[quote]?.free ?? 0;
  const cashTotal = cash + (balances[quote]?.used ?? 0);
  const equity = cashTotal + valuation.value;
  const dayStartEquity = beforeToday[0]?.equity ?? firstToday[0]?.equity ?? equity;
  return {
    accountId,
    time: options.now,
    quote,
    cash,
    cashTotal,
    equity,
    unrealizedPnl: valuation.unrealizedPnl,
    realizedPnl: positions.reduce((sum, p) => sum + p.realizedPnl, 0),
    fees: positions.reduce((sum, p) => sum + p.fees, 0),
    exposure: valuation.exposure,
    dayStartEquity,
    peakEquity: Math.max(equity, Number(peak?.peak ?? Number.NEGATIVE_INFINITY)),
    positions: positions.filter((p) => p.quantity !== 0).map((p) => openPosition(p, options.marks)),
    strategies: byStrategy(positions, options.marks),
  };
}

/**
 * The account-wide fields of the risk manager's snapshot; the engine adds the intent's price, market,
 * limits and the rest.
 * @example const snapshot: RiskSnapshot = { ...riskSnapshotFields(portfolio), now, price, limits, ... }
 */
export function riskSnapshotFields(
  p: PortfolioSnapshot,
): Pick<RiskSnapshot, "equity" | "dayStartEquity" | "peakEquity" | "cash" | "positions"> {
  return {
    equity: p.equity,
    dayStartEquity: p.dayStartEquity,
    peakEquity: p.peakEquity,
    cash: p.cash,
    positions: p.positions,
  };
}

function openPosition(p: Position, marks: Marks): OpenPosition {
  return {
    symbol: p.symbol,
    strategyId: p.strategyId,
    quantity: p.quantity,
    entryPrice: p.entryPrice,
    lastPrice: markOf(marks, p.symbol) ?? p.entryPrice,
  };
}

function byStrategy(positions: readonly Position[], marks: Marks): StrategyPnl[] {
  const groups = new Map<string, Position[]>();
  for (const p of positions) groups.set(p.strategyId, [...(groups.get(p.strategyId) ?? []), p]);
  return [...groups].map(([strategyId, list]) => {
    const valuation = valuePositions(list, marks);
    return {
      strategyId,
      realizedPnl: list.reduce((sum, p) => sum + p.realizedPnl, 0),
      unrealizedPnl: valuation.unrealizedPnl,
      fees: list.reduce((sum, p) => sum + p.fees, 0),
      exposure: valuation.exposure,
    };
  });
}

/** The one quote currency the positions share; USDT when there are none to tell. */
function quoteOf(positions: readonly Position[]): string {
  const quotes = new Set(positions.map((p) => splitSymbol(p.symbol).quote));
  return quotes.size === 1 ? ([...quotes][0] as string) : "USDT";
}
