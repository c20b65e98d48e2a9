import type { BacktestTrade } from "../types.ts";
import type { TradeExtreme } from "./types.ts";

/** Statistics of closed trades; see docs/backtest-metrics.md, "Trades". */
export interface TradeStats {
  readonly trades: number;
  readonly openTrades: number;
  readonly wins: number;
  readonly losses: number;
  readonly winRate: number | null;
  readonly profitFactor: number | null;
  readonly expectancy: number | null;
  readonly averageWin: number | null;
  readonly averageLoss: number | null;
  readonly bestTrade: TradeExtreme | null;
  readonly worstTrade: TradeExtreme | null;
  readonly averageHolding: number | null;
}

/**
 * Win rate, profit factor, expectancy and the rest over the trades that closed. A win has pnl > 0, a
 * loss pnl < 0; a trade at exactly 0 is neither but counts in the win rate's denominator. Profit factor
 * is Infinity with wins and no losses, null with neither.
 * @example tradeStats([{ pnl: 30, ... }, { pnl: -10, ... }]).profitFactor // 3
 */
export function tradeStats(all: readonly BacktestTrade[]): TradeStats {
  const closed = all.filter((t) => t.exitTime !== undefined);
  const n = closed.length;
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let holding = 0;
  let best: BacktestTrade | undefined;
  let worst: BacktestTrade | undefined;
  for (const trade of closed) {
    if (trade.pnl > 0) {
      wins++;
      grossProfit += trade.pnl;
    } else if (trade.pnl < 0) {
      losses++;
      grossLoss -= trade.pnl;
    }
    holding += (trade.exitTime as number) - trade.entryTime;
    // Ranked by return on the money put in, so a small early trade and a large late one compare fairly.
    if (!best || trade.pnlPct > best.pnlPct) best = trade;
    if (!worst || trade.pnlPct < worst.pnlPct) worst = trade;
  }
  return {
    trades: n,
    openTrades: all.length - n,
    wins,
    losses,
    winRate: n > 0 ? wins / n : null,
    profitFactor: grossLoss > 0 ? grossProfit / grossLoss : grossProfit > 0 ? Number.POSITIVE_INFINITY : null,
    expectancy: n > 0 ? (grossProfit - grossLoss) / n : null,
    averageWin: wins > 0 ? grossProfit / wins : null,
    averageLoss: losses > 0 ? -grossLoss / losses : null,
    bestTrade: best ? extreme(best) : null,
    worstTrade: worst ? extreme(worst) : null,
    averageHolding: n > 0 ? holding / n : null,
  };
}

function extreme(trade: BacktestTrade): TradeExtreme {
  return { symbol: trade.symbol, entryTime: trade.entryTime, pnl: trade.pnl, pnlPct: trade.pnlPct };
}
