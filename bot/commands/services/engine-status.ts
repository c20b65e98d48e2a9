import type { StrategyLifecycle } from "../../../core/bus/events.ts";
import type { EngineStatus } from "../../../core/engine.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import { listPositions } from "../../../core/store/repositories/positions.ts";
import { listStrategyInstances } from "../../../core/store/repositories/strategy-instances.ts";
import { getTradingState } from "../../../core/store/repositories/trading-state.ts";
import type { EngineStatusView } from "../services.ts";

/** The part of the engine /status reads. */
export interface StatusSource {
  status(): EngineStatus;
}

/**
 * /status's view: the engine's own status plus what the store knows (trading state, strategy
 * instances with their realised PnL, open positions). Unrealised PnL needs prices, which the engine
 * will supply once it tracks them; until then the view leaves it out.
 * @example const view = await readEngineStatus(engine, store.db)
 */
export async function readEngineStatus(engine: StatusSource, db: Db): Promise<EngineStatusView> {
  const status = engine.status();
  const [trading, instances, positions] = await Promise.all([
    getTradingState(db),
    listStrategyInstances(db),
    listPositions(db),
  ]);
  const realized = new Map<string, number>();
  for (const p of positions) realized.set(p.strategyId, (realized.get(p.strategyId) ?? 0) + p.realizedPnl - p.fees);
  return {
    engine: { state: status.state, ...(status.startedAt !== undefined && { startedAt: status.startedAt }) },
    feed: { kind: status.feed.kind, series: status.feed.series.length, published: status.feed.published },
    trading: trading
      ? {
          state: trading.state,
          ...(trading.reason !== undefined && { reason: trading.reason }),
          changedBy: trading.changedBy,
          changedAt: trading.changedAt,
        }
      : { state: "ACTIVE" },
    strategies: instances.map((s) => ({
      id: s.id,
      pluginId: s.pluginId,
      state: s.state as StrategyLifecycle,
      ...(realized.has(s.id) && { pnl: realized.get(s.id)! }),
    })),
    positions: positions
      .filter((p) => p.quantity !== 0)
      .map((p) => ({
        accountId: p.accountId,
        strategyId: p.strategyId,
        symbol: p.symbol,
        quantity: p.quantity,
        entryPrice: p.entryPrice,
      })),
  };
}
