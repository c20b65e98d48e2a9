import { feeInQuote, splitSymbol } from "../../../core/portfolio/currencies.ts";
import { groupByDay } from "../../../core/portfolio/daily-pnl.ts";
import { DAY_MS } from "../../../core/portfolio/snapshot.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import { type EquitySnapshot, listEquity } from "../../../core/store/repositories/equity.ts";
import { listFills } from "../../../core/store/repositories/fills.ts";
import type { DailyAccountView, PnlAccountView, PnlPeriod, PnlView } from "../views.ts";
import type { ChartPort } from "./charts.ts";

/** What /pnl and /daily read: the accounts and the currency each counts in. */
export interface PnlSource {
  readonly db: Db;
  readonly accounts: () => readonly { readonly id: string; readonly quote: string }[];
  readonly charts?: ChartPort;
}

/** A chart of more points than this is thinned (a minute's snapshots over months): the eye sees no more. */
const MAX_CHART_POINTS = 600;

/**
 * /pnl: each account's equity change over the period ending at its latest snapshot (the latest, not
 * the clock: a replay's equity is stamped with candle times). "day" is that UTC day so far, "week"
 * and "month" the 7 and 30 days before it, "all" everything. The start is the last snapshot before
 * the period (where the period's first move started from), else its first.
 * @example await readPnl({ db, accounts, charts }, "week") // { period: "week", accounts: [{ pnl: 120.5, pnlPct: 1.2, chart, ... }] }
 */
export async function readPnl(source: PnlSource, period: PnlPeriod): Promise<PnlView> {
  const accounts: PnlAccountView[] = [];
  for (const { id, quote } of source.accounts()) {
    const [latest] = await listEquity(source.db, { accountId: id, order: "desc", limit: 1 });
    if (!latest) {
      accounts.push(emptyPnl(id, quote));
      continue;
    }
    const from = periodStart(period, latest.time);
    const [before, points] = await Promise.all([
      from === undefined ? [] : listEquity(source.db, { accountId: id, to: from, order: "desc", limit: 1 }),
      listEquity(source.db, { accountId: id, ...(from !== undefined && { from }) }),
    ]);
    const first = points[0] ?? latest;
    const startEquity = before[0]?.equity ?? first.equity;
    const fills = await listFills(source.db, { accountId: id, since: first.time });
    const fees = fills.reduce((sum, f) => sum + feeInQuote(f.fee, f.feeCurrency, f.price, splitSymbol(f.symbol)), 0);
    const curve = before[0] ? [before[0], ...points] : points;
    const chart = await source.charts?.equity({ title: `${id} equity, ${period}`, quote, points: thin(curve) });
    accounts.push({
      accountId: id,
      quote,
      from: first.time,
      to: latest.time,
      startEquity,
      endEquity: latest.equity,
      pnl: latest.equity - startEquity,
      pnlPct: startEquity > 0 ? ((latest.equity - startEquity) / startEquity) * 100 : 0,
      maxDrawdownPct: maxDrawdownPct(curve),
      fills: fills.length,
      fees,
      ...(chart && { chart }),
    });
  }
  return { period, accounts };
}

/**
 * /daily: the last `days` UTC days of each account that have snapshots, oldest first, each from the
 * previous day's close to its own, with a bar chart.
 * @example await readDaily({ db, accounts, charts }, 7) // [{ accountId: "paper", days: [{ day: "2024-03-01", pnl: 12.5, ... }], chart }]
 */
export async function readDaily(source: PnlSource, days: number): Promise<DailyAccountView[]> {
  const out: DailyAccountView[] = [];
  for (const { id, quote } of source.accounts()) {
    const [latest] = await listEquity(source.db, { accountId: id, order: "desc", limit: 1 });
    if (!latest) {
      out.push({ accountId: id, quote, days: [] });
      continue;
    }
    const from = Math.floor(latest.time / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
    const [before, snapshots] = await Promise.all([
      listEquity(source.db, { accountId: id, to: from, order: "desc", limit: 1 }),
      listEquity(source.db, { accountId: id, from }),
    ]);
    const list = groupByDay(snapshots, before[0]?.equity).map((d) => ({
      day: d.day,
      pnl: d.pnl,
      pnlPct: d.pnlPct,
      closeEquity: d.closeEquity,
    }));
    const chart =
      list.length > 0 ? await source.charts?.daily({ title: `${id} daily PnL`, quote, days: list }) : undefined;
    out.push({ accountId: id, quote, days: list, ...(chart && { chart }) });
  }
  return out;
}

/**
 * Where a period starts, given the time of the latest snapshot; undefined for "all".
 * @example periodStart("day", Date.UTC(2024, 2, 5, 13)) // Date.UTC(2024, 2, 5)
 */
export function periodStart(period: PnlPeriod, latest: number): number | undefined {
  switch (period) {
    case "day":
      return Math.floor(latest / DAY_MS) * DAY_MS;
    case "week":
      return latest - 7 * DAY_MS;
    case "month":
      return latest - 30 * DAY_MS;
    case "all":
      return undefined;
  }
}

/**
 * The deepest fall from a running peak along a curve, in percent (0 when it never fell).
 * @example maxDrawdownPct([{ equity: 100 }, { equity: 120 }, { equity: 90 }, { equity: 130 }]) // 25
 */
export function maxDrawdownPct(curve: readonly Pick<EquitySnapshot, "equity">[]): number {
  let peak = Number.NEGATIVE_INFINITY;
  let worst = 0;
  for (const { equity } of curve) {
    peak = Math.max(peak, equity);
    if (peak > 0) worst = Math.max(worst, ((peak - equity) / peak) * 100);
  }
  return worst;
}

/**
 * At most `max` evenly spaced points, the first and the last always among them (the curve starts and
 * ends where the account did). A chart 800 pixels wide shows no more.
 * @example thin(tenThousandSnapshots).length // 600
 */
export function thin<T>(points: readonly T[], max = MAX_CHART_POINTS): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)] as T);
}

function emptyPnl(accountId: string, quote: string): PnlAccountView {
  return {
    accountId,
    quote,
    startEquity: 0,
    endEquity: 0,
    pnl: 0,
    pnlPct: 0,
    maxDrawdownPct: 0,
    fills: 0,
    fees: 0,
  };
}
