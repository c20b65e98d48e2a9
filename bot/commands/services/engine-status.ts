import type { StrategyLifecycle } from "../../../core/bus/events.ts";
import type { EngineStatus } from "../../../core/engine.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import { listPositions } from "../../../core/store/repositories/positions.ts";
import { listStrategyInstances } from "../../../core/store/repositories/strategy-instances.ts";
import { getTradingState } from "../../../core/store/repositories/trading-state.ts";
import type { EngineStatusView, PositionView } from "../services.ts";

/** The part of the engine /status reads. */
export interface StatusSource {
  status(): EngineStatus;
}

/**
 * /status's view: the engine's own status plus what the store knows (the global trading state,
 * strategy instances with their PnL). Open positions come from the engine's accounts when it has
 * any (they carry marks and unrealised PnL), else from the store. A strategy's PnL is its realised
 * PnL, which the ledger keeps net of fees, plus the unrealised PnL of its open positions.
 * @example const view = await readEngineStatus(engine, store.db)
 */
export async function readEngineStatus(engine: StatusSource, db: Db): Promise<EngineStatusView> {
  const status = engine.status();
  const [trading, instances, stored] = await Promise.all([
    getTradingState(db),
    listStrategyInstances(db),
    listPositions(db),
  ]);
  const open: PositionView[] =
    status.accounts.length > 0
      ? status.accounts.flatMap((a) =>
          a.positions.map((p) => ({
            accountId: a.accountId,
            strategyId: p.strategyId,
            symbol: p.symbol,
            quantity: p.quantity,
            entryPrice: p.entryPrice,
            ...(p.unrealizedPnl !== undefined && { unrealizedPnl: p.unrealizedPnl }),
          })),
        )
      : stored
          .filter((p) => p.quantity !== 0)
          .map((p) => ({
            accountId: p.accountId,
            strategyId: p.strategyId,
            symbol: p.symbol,
            quantity: p.quantity,
            entryPrice: p.entryPrice,
          }));
  const pnl = new Map<string, number>();
  for (const p of stored) pnl.set(p.strategyId, (pnl.get(p.strategyId) ?? 0) + p.realizedPnl);
  for (const p of open)
    if (p.unrealizedPnl !== undefined) pnl.set(p.strategyId, (pnl.get(p.strategyId) ?? 0) + p.unrealizedPnl);
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
      ...(pnl.has(s.id) && { pnl: pnl.get(s.id)! }),
    })),
    positions: open,
  };
}
