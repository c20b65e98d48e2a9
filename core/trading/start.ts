import type { Position } from "../domain/index.ts";
import type { StopOut } from "../risk/snapshot.ts";
import type { StopState } from "../risk/stops/position-stops.ts";
import type { Store } from "../store/database.ts";
import { listEquity } from "../store/repositories/equity.ts";
import { listPositions } from "../store/repositories/positions.ts";
import type { EquitySeed } from "./equity-tracker.ts";
import { asStopState, loadStopOuts } from "./stop-store.ts";

/** What an account resumes from after a restart. */
export interface StoredAccountState {
  readonly positions: readonly Position[];
  readonly stops: readonly { readonly strategyId: string; readonly symbol: string; readonly state: StopState }[];
  /** Stored stops that are not a StopState: dropped, and said so. */
  readonly problems: readonly string[];
  readonly stopOuts: StopOut[];
  readonly equity: EquitySeed;
}

/**
 * An account's trading state from the store: positions with their stops (only those of open positions),
 * recent stop-outs, and the equity peak and last equity the drawdown and daily-loss limits count from.
 * @example const state = await loadAccountState(store, "paper", now - 7 * 86_400_000)
 */
export async function loadAccountState(
  store: Store,
  accountId: string,
  stopOutsSince: number,
): Promise<StoredAccountState> {
  const [stored, stopOuts, last, peak] = await Promise.all([
    listPositions(store.db, { accountId }),
    loadStopOuts(store.db, accountId, stopOutsSince),
    listEquity(store.db, { accountId, order: "desc", limit: 1 }),
    store.db
      .selectFrom("equity_snapshots")
      .select((eb) => eb.fn.max("equity").as("peak"))
      .where("account_id", "=", accountId)
      .where("strategy_id", "=", "")
      .executeTakeFirst(),
  ]);
  const stops: { strategyId: string; symbol: string; state: StopState }[] = [];
  const problems: string[] = [];
  const positions = stored.map(({ stops: raw, ...position }) => {
    if (raw !== undefined && position.quantity !== 0) {
      const state = asStopState(raw);
      if (state) stops.push({ strategyId: position.strategyId, symbol: position.symbol, state });
      else problems.push(`${position.strategyId} ${position.symbol}: ${JSON.stringify(raw).slice(0, 200)}`);
    }
    return position;
  });
  const lastPoint = last[0];
  const peakValue = peak?.peak === null || peak?.peak === undefined ? undefined : Number(peak.peak);
  return {
    positions,
    stops,
    problems,
    stopOuts,
    equity: {
      ...(peakValue !== undefined && { peak: peakValue }),
      ...(lastPoint && { last: { time: lastPoint.time, equity: lastPoint.equity } }),
    },
  };
}
