import type { RiskLimits } from "../../../core/domain/index.ts";
import { DAY_MS } from "../../../core/portfolio/snapshot.ts";
import { dailyLossPct, drawdownPct } from "../../../core/risk/snapshot.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import { listEquity } from "../../../core/store/repositories/equity.ts";
import type { RiskAccountView, RiskView } from "../views.ts";
import type { TradingSource } from "./trading-source.ts";

/**
 * /risk: per account, the trading state (the stricter of the global switch and the account's own),
 * the limits it trades under and how much of each is used now: daily loss against the day's starting
 * equity, drawdown from the peak, exposure, the largest position and the count of open positions.
 * The day is the UTC day of the latest equity snapshot (a replay stamps equity with candle times).
 * @example await readRisk({ db, engine, limits: config.risk }) // { accounts: [{ dailyLossPct: 1.2, limits: { dailyLossLimitPct: 5, ... }, ... }] }
 */
export async function readRisk(deps: {
  readonly db: Db;
  readonly engine: TradingSource;
  readonly limits?: RiskLimits | null;
}): Promise<RiskView> {
  const accounts: RiskAccountView[] = [];
  for (const account of deps.engine.accounts().values()) {
    const status = account.trading.status();
    const equity = status.equity;
    const dayStartEquity = await dayStart(deps.db, account.config.id, equity);
    const notionals = status.positions.map((p) => Math.abs(p.quantity * (p.lastPrice ?? p.entryPrice)));
    const share = (value: number) => (equity > 0 ? (value / equity) * 100 : 0);
    const limits = deps.limits;
    accounts.push({
      accountId: account.config.id,
      state: status.trading.state,
      ...(status.trading.reason !== undefined && { stateReason: status.trading.reason }),
      ...(status.trading.changedBy !== undefined && { stateBy: status.trading.changedBy }),
      ...(limits && {
        limits: {
          dailyLossLimitPct: limits.dailyLossLimitPct,
          maxDrawdownPct: limits.maxDrawdownPct,
          maxExposurePct: limits.maxExposurePct,
          maxPositionPct: limits.maxPositionPct,
          maxOpenPositions: limits.maxOpenPositions,
          cooldownAfterStopMinutes: limits.cooldownAfterStopMinutes,
        },
      }),
      equity,
      dayStartEquity,
      peakEquity: status.peakEquity,
      dailyLossPct: dailyLossPct({ equity, dayStartEquity }) ?? 0,
      drawdownPct: drawdownPct({ equity, peakEquity: status.peakEquity }) ?? 0,
      exposurePct: share(notionals.reduce((a, b) => a + b, 0)),
      largestPositionPct: share(Math.max(0, ...notionals)),
      openPositions: status.positions.length,
    });
  }
  return { accounts };
}

/** Equity the latest snapshot's UTC day started from: the last snapshot before it, else its first. */
async function dayStart(db: Db, accountId: string, equityNow: number): Promise<number> {
  const [latest] = await listEquity(db, { accountId, order: "desc", limit: 1 });
  if (!latest) return equityNow;
  const midnight = Math.floor(latest.time / DAY_MS) * DAY_MS;
  const [before] = await listEquity(db, { accountId, to: midnight, order: "desc", limit: 1 });
  if (before) return before.equity;
  const [first] = await listEquity(db, { accountId, from: midnight, order: "asc", limit: 1 });
  return first?.equity ?? equityNow;
}
