import { sql } from "kysely";
import type { Db } from "../../../core/store/repositories/common.ts";
import { listPositions } from "../../../core/store/repositories/positions.ts";
import type { PositionView } from "../services.ts";
import type { PerformanceRow, PerformanceView } from "../views.ts";

type Totals = { -readonly [K in keyof PerformanceRow]: PerformanceRow[K] };

/**
 * /performance: realised PnL (net of fees, kept on flat positions too), unrealised PnL at the engine's
 * marks, fees, fill count and traded notional, added up by strategy and by symbol, best first. Fill
 * counts and volume are summed in SQL: a busy account has more fills than a chat reply should load.
 * @example await readPerformance(db, readPositions(engine)) // { byStrategy: [{ key: "sma-btc", realizedPnl: 120, ... }], bySymbol: [...] }
 */
export async function readPerformance(db: Db, open: readonly PositionView[]): Promise<PerformanceView> {
  const [positions, traded] = await Promise.all([
    listPositions(db),
    db
      .selectFrom("fills")
      .select([
        "strategy_id",
        "symbol",
        (eb) => eb.fn.countAll<number>().as("fills"),
        sql<number>`sum(amount * price)`.as("volume"),
      ])
      .groupBy(["strategy_id", "symbol"])
      .execute(),
  ]);
  const byStrategy = new Map<string, Totals>();
  const bySymbol = new Map<string, Totals>();
  const add = (strategy: string, symbol: string, part: Partial<Totals>) => {
    for (const [map, key] of [
      [byStrategy, strategy],
      [bySymbol, symbol],
    ] as const) {
      const row = map.get(key) ?? { key, realizedPnl: 0, unrealizedPnl: 0, fees: 0, fills: 0, volume: 0 };
      row.realizedPnl += part.realizedPnl ?? 0;
      row.unrealizedPnl += part.unrealizedPnl ?? 0;
      row.fees += part.fees ?? 0;
      row.fills += part.fills ?? 0;
      row.volume += part.volume ?? 0;
      map.set(key, row);
    }
  };
  for (const p of positions) add(p.strategyId, p.symbol, { realizedPnl: p.realizedPnl, fees: p.fees });
  for (const p of open) add(p.strategyId, p.symbol, { unrealizedPnl: p.unrealizedPnl ?? 0 });
  for (const t of traded) add(t.strategy_id, t.symbol, { fills: Number(t.fills), volume: Number(t.volume ?? 0) });
  const ranked = (map: Map<string, Totals>) =>
    [...map.values()].sort((a, b) => b.realizedPnl + b.unrealizedPnl - (a.realizedPnl + a.unrealizedPnl));
  return { byStrategy: ranked(byStrategy), bySymbol: ranked(bySymbol) };
}
