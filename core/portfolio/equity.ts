import type { Store } from "../store/database.ts";
import { type EquitySnapshot, recordEquity } from "../store/repositories/equity.ts";
import type { PortfolioSnapshot } from "./snapshot.ts";

export interface EquityRecorderOptions {
  readonly store: Store;
  /** At most one snapshot per account per this many ms (per UTC-aligned bucket). Default one minute. */
  readonly everyMs?: number;
  /** Capital per strategy: its curve is capital + realised + unrealised PnL (0: the PnL curve). */
  readonly capital?: Readonly<Record<string, number>>;
}

/** Writes equity snapshots, throttled; see `createEquityRecorder`. */
export interface EquityRecorder {
  /** Records the snapshot unless this account already has one in its time bucket; true when written. */
  record(snapshot: PortfolioSnapshot, options?: { readonly force?: boolean }): Promise<boolean>;
}

/**
 * Equity over time for charts and daily PnL: one row for the account and one per strategy, at most
 * once per `everyMs` bucket (aligned to the epoch, so one-minute buckets start on the minute and
 * a day's last snapshot is near its end). `force` records anyway: the engine forces one per candle
 * close when candles are slower than the bucket.
 * @example const recorder = createEquityRecorder({ store }); await recorder.record(await portfolio.snapshot("paper"))
 */
export function createEquityRecorder(options: EquityRecorderOptions): EquityRecorder {
  const everyMs = options.everyMs ?? 60_000;
  const lastBucket = new Map<string, number>();
  return {
    async record(snapshot, { force = false } = {}) {
      const bucket = Math.floor(snapshot.time / everyMs);
      if (!force && lastBucket.get(snapshot.accountId) === bucket) return false;
      lastBucket.set(snapshot.accountId, bucket);
      const rows: EquitySnapshot[] = [
        {
          accountId: snapshot.accountId,
          time: snapshot.time,
          equity: snapshot.equity,
          cash: snapshot.cashTotal,
          unrealizedPnl: snapshot.unrealizedPnl,
        },
        ...snapshot.strategies.map((s) => {
          const capital = options.capital?.[s.strategyId] ?? 0;
          return {
            accountId: snapshot.accountId,
            strategyId: s.strategyId,
            time: snapshot.time,
            equity: capital + s.realizedPnl + s.unrealizedPnl,
            cash: capital + s.realizedPnl,
            unrealizedPnl: s.unrealizedPnl,
          };
        }),
      ];
      await recordEquity(options.store.db, rows);
      return true;
    },
  };
}
