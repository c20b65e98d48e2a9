import type { Bus } from "../bus/index.ts";
import type { Clock } from "../clock.ts";
import type { Allocation } from "../config/strategies-schema.ts";
import type {
  Candle,
  CandleColumns,
  Fill,
  Order,
  OrderIntent,
  RiskLimits,
  RiskLimitsOverride,
} from "../domain/index.ts";
import type { ExchangeAdapter } from "../execution/exchange.ts";
import type { ExecutorOptions, ReconcileReport, SubmitResult } from "../execution/executor/types.ts";
import type { Maybe } from "../execution/maybe.ts";
import type { Logger } from "../log.ts";
import type { Snapshot } from "../plugins/sandbox/protocol.ts";
import type { RiskEvaluation } from "../risk/pipeline.ts";
import type { StopState, StopTrigger } from "../risk/stops/position-stops.ts";
import type { TradingState } from "../risk/trading-state.ts";
import type { Store } from "../store/database.ts";
import type { TradingStateChange } from "./trading-state.ts";
import type { VerdictWriter } from "./verdicts.ts";

export type { Allocation };

/** How one strategy instance trades on the account: its limits and the money it sizes from. */
export interface StrategyBinding {
  readonly id: string;
  /** Its override of the account's limits (strategies.yaml `strategies[i].risk`), merged key by key. */
  readonly limits?: RiskLimitsOverride;
  /** What `{ fraction }` sizes are a fraction of: a share of the account's equity, or a quote amount. */
  readonly allocation: Allocation;
}

/** What an order costs beyond its notional; sizing leaves room for it so that a buy is never refused for the fee. */
export interface OrderCosts {
  /** Taker fee, percent of the notional (0.1 = 0.1%). */
  readonly takerPct?: number;
  /** Slippage of market orders, basis points, against the trader. */
  readonly slippageBps?: number;
  /** A fixed fee per order, in quote currency. */
  readonly perOrder?: number;
}

export interface TradingAccountOptions {
  readonly accountId: string;
  /** The venue: the paper exchange (fed by `onCandle`) or a ccxt adapter. */
  readonly exchange: ExchangeAdapter;
  readonly store: Store;
  readonly bus: Bus;
  /** The system clock live; a SimulatedClock the driver moves in a backtest. */
  readonly clock: Clock;
  readonly log?: Logger;
  /** strategies.yaml `risk:`; null switches the risk rules off (exit sizes, balance, market minimums and the kill switch still hold). */
  readonly globalLimits: RiskLimits | null;
  /**
   * "close" (default): an intent goes to the exchange at once, at the last price, as it does live.
   * "next-open": it waits for the next candle of its symbol and goes at that candle's open.
   */
  readonly fill?: "close" | "next-open";
  /** Sells may open shorts (the venue must allow it too). Default false: spot. */
  readonly allowShort?: boolean;
  readonly costs?: OrderCosts;
  /** The currency cash and equity are counted in. Default: the quote of the markets or positions, else USDT. */
  readonly quote?: string;
  /** Equity snapshots to the store at most every this many ms (and one per candle when slower); 0: none. Default 60 000. */
  readonly equityEveryMs?: number;
  /**
   * Where verdicts are written; default: the store's risk_verdicts (a prepared statement on SQLite).
   * null: nowhere, for a backtest that keeps nothing durable (they are still published to subscribers).
   */
  readonly verdicts?: VerdictWriter | null;
  /** Passed on to createExecutor (retries, hooks, a ledger of your own, polling). */
  readonly executor?: Omit<ExecutorOptions, "accountId" | "exchange" | "store" | "bus" | "clock" | "log">;
}

/** What became of one intent. */
export interface IntentOutcome {
  readonly intent: OrderIntent;
  /** True while a next-open intent waits for its candle; nothing else is set then. */
  readonly deferred?: boolean;
  readonly verdict?: RiskEvaluation;
  /** What the executor did with it (absent when deferred). */
  readonly submit?: SubmitResult;
  /** The order as it stands after submission (absent when denied or deferred). */
  readonly order?: Order;
  /** Fills recorded for this intent's order during the call. */
  readonly fills: readonly Fill[];
  /** The stop that caused this exit. */
  readonly stop?: StopTrigger;
}

/** What one closed candle did to the account. */
export interface CandleOutcome {
  /** Deferred intents sent at the candle's open, then stop exits, in that order. */
  readonly outcomes: readonly IntentOutcome[];
  /** Every fill recorded during the call (resting limit orders' too), in commit order. */
  readonly fills: readonly Fill[];
}

/** /status of one account. */
export interface AccountStatus {
  readonly accountId: string;
  readonly exchange: string;
  readonly trading: {
    readonly state: TradingState;
    readonly reason?: string;
    readonly changedBy?: string;
    readonly changedAt?: number;
  };
  readonly cash: number;
  readonly equity: number;
  readonly peakEquity: number;
  readonly positions: readonly {
    readonly strategyId: string;
    readonly symbol: string;
    readonly quantity: number;
    readonly entryPrice: number;
    readonly lastPrice?: number;
    readonly unrealizedPnl?: number;
    readonly realizedPnl: number;
    readonly stops?: StopState;
  }[];
  readonly openOrders: number;
  readonly deferredIntents: number;
}

/**
 * One account's trading pipeline (see createTradingAccount). Operations run one at a time: the risk
 * check of an intent always sees what the intent before it did.
 */
/** Equity and cash columns by candle index, which skipCandles writes into. */
export interface EquityColumns {
  readonly equity: Float64Array;
  readonly cash: Float64Array;
}

export interface TradingAccount {
  readonly accountId: string;
  /** Loads positions, stops, stop-outs, trading state and equity marks; reconciles the executor. Call once. */
  start(): Promise<ReconcileReport>;
  /**
   * Risk snapshot, verdict (stored, published), then the executor; deferred instead under "next-open".
   * Like onCandle, it answers with the outcome itself when nothing on the way had to wait (see Maybe).
   */
  handleIntent(intent: OrderIntent, candle: Candle, strategy: StrategyBinding): Maybe<IntentOutcome>;
  /** A closed candle: deferred intents at its open, stops, the paper exchange, marks and equity. */
  onCandle(symbol: string, candle: Candle): Maybe<CandleOutcome>;
  /** Closes a strategy's position in `symbol` now, at the market (an operator's /close, the end of a backtest). */
  closePosition(strategy: StrategyBinding, symbol: string, reason: string): Promise<IntentOutcome | undefined>;
  /** What the strategy's runner gets: its positions, the free cash and its allocation. */
  snapshotFor(strategy: StrategyBinding): Snapshot;
  /** The strategy's signed position in `symbol` now (0 when flat): what a target is resolved against. */
  positionQuantity(strategyId: string, symbol: string): number;
  /** The kill switch (global by default, or this account's own scope). */
  setTradingState(
    state: TradingState,
    reason: string,
    by: string,
    options?: { readonly scope?: "global" | "account" },
  ): Promise<TradingStateChange>;
  status(): AccountStatus;
  /** Equity and total quote cash at the current marks. */
  valuation(): { readonly equity: number; readonly cash: number };
  /**
   * For drivers that batch quiet candles (the backtester): the first index in [from, to) of `candles`
   * (one symbol's columns, NaN rows skipped) at which the account must see the candle through
   * `onCandle`, because an order rests, an intent waits, or a stop would fire; `to` when none. Pure.
   */
  nextEvent(symbol: string, candles: CandleColumns, from: number, to: number): number;
  /**
   * Candles [from, to) that `nextEvent` found quiet: exactly what onCandle would do to them (ATR,
   * marks, trailing stops, equity), without a round trip per candle. The equity and cash after each
   * candle are written `into` its index. Stops that moved are written by the next operation.
   */
  skipCandles(symbol: string, candles: CandleColumns, from: number, to: number, into?: EquityColumns): void;
  /** Writes what is pending (moved stops), stops the executor. */
  stop(): Promise<void>;
}
