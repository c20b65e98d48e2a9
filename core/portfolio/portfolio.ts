import type { Bus, Unsubscribe } from "../bus/index.ts";
import type { Clock } from "../clock.ts";
import type { Store } from "../store/database.ts";
import { type DailyPnl, dailyPnl } from "./daily-pnl.ts";
import { createEquityRecorder } from "./equity.ts";
import { type PortfolioSnapshot, portfolioSnapshot } from "./snapshot.ts";

export interface PortfolioOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** When given, marks follow every closed candle on the bus. */
  readonly bus?: Bus;
  /** Cash currency per account (default: the quote of its positions, else USDT). */
  readonly quotes?: Readonly<Record<string, string>>;
  /** Equity snapshot throttle, ms. Default one minute. */
  readonly equityEveryMs?: number;
  readonly capital?: Readonly<Record<string, number>>;
}

/** Positions, PnL and equity of every account, valued at the latest marks. */
export interface Portfolio {
  /** Sets the price a symbol is valued at. */
  mark(symbol: string, price: number): void;
  snapshot(accountId: string): Promise<PortfolioSnapshot>;
  /** Takes a snapshot and records it unless one was recorded in this time bucket; true when written. */
  recordEquity(accountId: string, options?: { readonly force?: boolean }): Promise<boolean>;
  dailyPnl(accountId: string, range?: { from?: number; to?: number; strategyId?: string }): Promise<DailyPnl[]>;
  close(): void;
}

/**
 * The portfolio service: the store holds positions, balances and equity; this values them at the
 * marks, feeds the risk manager (`riskSnapshotFields(await portfolio.snapshot(id))`) and records the
 * equity curve.
 * @example
 * const portfolio = createPortfolio({ store, clock, bus });
 * bus.subscribe("candle.closed", () => portfolio.recordEquity("paper"));
 */
export function createPortfolio(options: PortfolioOptions): Portfolio {
  const marks = new Map<string, number>();
  const recorder = createEquityRecorder({
    store: options.store,
    ...(options.equityEveryMs !== undefined && { everyMs: options.equityEveryMs }),
    ...(options.capital && { capital: options.capital }),
  });
  const unsubscribe: Unsubscribe | undefined = options.bus?.subscribe("candle.closed", (event) => {
    marks.set(event.symbol, event.candle.close);
  });
  const snapshot = (accountId: string) => {
    const quote = options.quotes?.[accountId];
    return portfolioSnapshot(options.store, accountId, {
      marks,
      now: options.clock.now(),
      ...(quote !== undefined && { quote }),
    });
  };
  return {
    mark: (symbol, price) => {
      marks.set(symbol, price);
    },
    snapshot,
    recordEquity: async (accountId, recordOptions) => recorder.record(await snapshot(accountId), recordOptions),
    dailyPnl: (accountId, range = {}) => dailyPnl(options.store, { accountId, ...range }),
    close: () => unsubscribe?.(),
  };
}
