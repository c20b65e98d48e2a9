import type { Selectable } from "kysely";
import type { EquitySnapshotsTable } from "../schema.ts";
import type { Db, ListOptions } from "./common.ts";

/** Equity at one moment, of one strategy instance or (no strategyId) of the whole account. */
export interface EquitySnapshot {
  readonly accountId: string;
  readonly strategyId?: string;
  readonly time: number;
  readonly equity: number;
  readonly cash: number;
  readonly unrealizedPnl: number;
}

export interface EquityFilter extends ListOptions {
  readonly accountId: string;
  /** The instance; absent for the account total. */
  readonly strategyId?: string;
  /** At or after this time. */
  readonly from?: number;
  /** Before this time. */
  readonly to?: number;
}

/**
 * Stores snapshots; a second snapshot for the same account, strategy and time replaces the first.
 * @example await recordEquity(db, [{ accountId: "paper", time: now, equity: 10_250, cash: 8_000, unrealizedPnl: 250 }])
 */
export async function recordEquity(db: Db, snapshots: EquitySnapshot | readonly EquitySnapshot[]): Promise<void> {
  const list = Array.isArray(snapshots) ? snapshots : [snapshots as EquitySnapshot];
  if (list.length === 0) return;
  await db
    .insertInto("equity_snapshots")
    .values(
      list.map((s) => ({
        account_id: s.accountId,
        strategy_id: s.strategyId ?? "",
        ts: s.time,
        equity: s.equity,
        cash: s.cash,
        unrealized_pnl: s.unrealizedPnl,
      })),
    )
    .onConflict((oc) =>
      oc.columns(["account_id", "strategy_id", "ts"]).doUpdateSet((eb) => ({
        equity: eb.ref("excluded.equity"),
        cash: eb.ref("excluded.cash"),
        unrealized_pnl: eb.ref("excluded.unrealized_pnl"),
      })),
    )
    .execute();
}

/**
 * An equity curve, oldest first by default (what charts want).
 * @example await listEquity(db, { accountId: "paper", from: startOfMonth })
 */
export async function listEquity(db: Db, filter: EquityFilter): Promise<EquitySnapshot[]> {
  let query = db
    .selectFrom("equity_snapshots")
    .selectAll()
    .where("account_id", "=", filter.accountId)
    .where("strategy_id", "=", filter.strategyId ?? "");
  if (filter.from !== undefined) query = query.where("ts", ">=", filter.from);
  if (filter.to !== undefined) query = query.where("ts", "<", filter.to);
  query = query.orderBy("ts", filter.order ?? "asc");
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(toSnapshot);
}

function toSnapshot(row: Selectable<EquitySnapshotsTable>): EquitySnapshot {
  return {
    accountId: row.account_id,
    ...(row.strategy_id !== "" && { strategyId: row.strategy_id }),
    time: row.ts,
    equity: row.equity,
    cash: row.cash,
    unrealizedPnl: row.unrealized_pnl,
  };
}
