import { type AccountState, holdings } from "./state.ts";
import type { AccountStatus } from "./types.ts";
import { accountValue } from "./valuation.ts";

/**
 * /status of an account, from memory: trading state and who set it, cash, equity, positions with their
 * marks, unrealised PnL and stops, orders still open, intents waiting for an open.
 * @example accountStatus(state).trading // { state: "HALTED", reason: "exchange outage", changedBy: "telegram:42", changedAt }
 */
export function accountStatus(s: AccountState): AccountStatus {
  const value = accountValue(holdings(s));
  const r = s.trading.record;
  return {
    accountId: s.options.accountId,
    exchange: s.options.exchange.exchange,
    trading: {
      state: s.trading.state,
      ...(r?.reason !== undefined && { reason: r.reason }),
      ...(r && { changedBy: r.changedBy, changedAt: r.changedAt }),
    },
    cash: value.cash,
    equity: value.equity,
    peakEquity: s.equity.peak(value.equity),
    positions: s.positions.open().map((p) => {
      const mark = s.marks.get(p.symbol);
      const stops = s.stops.get(p.strategyId, p.symbol);
      return {
        strategyId: p.strategyId,
        symbol: p.symbol,
        quantity: p.quantity,
        entryPrice: p.entryPrice,
        realizedPnl: p.realizedPnl,
        ...(mark !== undefined && { lastPrice: mark, unrealizedPnl: p.quantity * (mark - p.entryPrice) }),
        ...(stops && { stops }),
      };
    }),
    openOrders: s.executor.tracked().length,
    deferredIntents: s.deferred.length,
  };
}
