import type { Store } from "../store/database.ts";
import { type EquitySnapshot, listEquity } from "../store/repositories/equity.ts";
import { DAY_MS } from "./snapshot.ts";

/** One UTC day of an equity curve. */
export interface DailyPnl {
  /** "2024-03-01" */
  readonly day: string;
  /** 00:00 UTC of the day, epoch ms. */
  readonly start: number;
  /** Equity the day started from: the previous day's close, or the day's first snapshot. */
  readonly openEquity: number;
  /** The day's last snapshot. */
  readonly closeEquity: number;
  readonly pnl: number;
  /** pnl as % of openEquity (0 when that is not positive). */
  readonly pnlPct: number;
}

/**
 * Daily PnL in UTC days from the equity snapshots, for charts and `/pnl`: each day runs from the
 * previous day's last snapshot to its own last one, so the days add up to the whole period and a
 * move across midnight lands on the day it happened in. Days without snapshots are left out.
 * @example await dailyPnl(store, { accountId: "paper", from: Date.UTC(2024, 2, 1) })
 *   // [{ day: "2024-03-01", openEquity: 10_000, closeEquity: 10_120, pnl: 120, pnlPct: 1.2, ... }, ...]
 */
export async function dailyPnl(
  store: Store,
  range: { readonly accountId: string; readonly strategyId?: string; readonly from?: number; readonly to?: number },
): Promise<DailyPnl[]> {
  const base = { accountId: range.accountId, ...(range.strategyId !== undefined && { strategyId: range.strategyId }) };
  const from = range.from === undefined ? undefined : Math.floor(range.from / DAY_MS) * DAY_MS;
  const [before, snapshots] = await Promise.all([
    from === undefined ? Promise.resolve([]) : listEquity(store.db, { ...base, to: from, order: "desc", limit: 1 }),
    listEquity(store.db, {
      ...base,
      ...(from !== undefined && { from }),
      ...(range.to !== undefined && { to: range.to }),
      order: "asc",
    }),
  ]);
  return groupByDay(snapshots, before[0]?.equity);
}

/**
 * The pure part: snapshots (oldest first) into days.
 * @example groupByDay([{ time: Date.UTC(2024,0,1,23), equity: 100 }, { time: Date.UTC(2024,0,2,1), equity: 90 }], undefined)
 *   // [{ day: "2024-01-01", pnl: 0, ... }, { day: "2024-01-02", openEquity: 100, closeEquity: 90, pnl: -10, ... }]
 */
export function groupByDay(
  snapshots: readonly Pick<EquitySnapshot, "time" | "equity">[],
  previousClose: number | undefined,
): DailyPnl[] {
  const days: DailyPnl[] = [];
  let close = previousClose;
  let current: { start: number; open: number; close: number } | undefined;
  const finish = () => {
    if (!current) return;
    const pnl = current.close - current.open;
    days.push({
      day: new Date(current.start).toISOString().slice(0, 10),
      start: current.start,
      openEquity: current.open,
      closeEquity: current.close,
      pnl,
      pnlPct: current.open > 0 ? (pnl / current.open) * 100 : 0,
    });
    close = current.close;
  };
  for (const s of snapshots) {
    const start = Math.floor(s.time / DAY_MS) * DAY_MS;
    if (current?.start !== start) {
      finish();
      current = { start, open: close ?? s.equity, close: s.equity };
    }
    current.close = s.equity;
  }
  finish();
  return days;
}
