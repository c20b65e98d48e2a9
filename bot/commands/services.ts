import type { EngineLifecycle, StrategyLifecycle, TradingState } from "../../core/bus/events.ts";
import type {
  BacktestRequest,
  BacktestView,
  BalanceView,
  DailyAccountView,
  MarketChartView,
  OrderOutcomeView,
  OrderQuote,
  OrdersView,
  OrderTicket,
  PerformanceView,
  PnlPeriod,
  PnlView,
  RiskView,
  SetParamResult,
  StrategyDetailView,
  StrategySummaryView,
  StrategySwitchResult,
  TradeView,
} from "./views.ts";

export type * from "./views.ts";

/**
 * The core as chat commands see it: only what a command calls. Members that core does not offer yet
 * are optional; a command that needs a missing one answers "not available yet" instead of failing.
 * Telegram, Discord and the web's REST API call the same functions (Freqtrade's one command core).
 */
export interface CoreServices {
  /** Engine, feed, trading state, strategies and open positions: what /status shows. */
  status(): Promise<EngineStatusView>;
  /** The kill switch. `by` is the actor ("telegram:42"), `reason` free text for the audit and the chat. */
  setTradingState?(state: TradingState, reason: string, by: string): Promise<TradingStateChange>;
  /** Installed strategy plugins. */
  listPlugins?(): Promise<readonly PluginView[]>;

  /** Cash, equity and currency balances of each account. */
  balances?(): Promise<readonly BalanceView[]>;
  /** Open positions with marks, unrealised PnL and stops. */
  positions?(): Promise<readonly PositionView[]>;
  /** Orders still working, and the `recent` latest of any state. */
  orders?(recent: number): Promise<OrdersView>;
  /** The latest `limit` fills, newest first. */
  trades?(limit: number): Promise<readonly TradeView[]>;
  /** Equity change over a period, with an equity chart per account. */
  pnl?(period: PnlPeriod): Promise<PnlView>;
  /** The last `days` UTC days of PnL, with a bar chart per account. */
  daily?(days: number): Promise<readonly DailyAccountView[]>;
  /** Realised and unrealised PnL by strategy and by symbol. */
  performance?(): Promise<PerformanceView>;
  /** Every strategy instance the store knows. */
  strategies?(): Promise<readonly StrategySummaryView[]>;
  /** One instance in detail; undefined when there is no such instance. */
  strategy?(id: string): Promise<StrategyDetailView | undefined>;
  /** Feeds candles to a stopped instance again. `by` is the actor. */
  runStrategy?(id: string, by: string): Promise<StrategySwitchResult>;
  /** Stops feeding candles to an instance; its positions stay open. */
  stopStrategy?(id: string, by: string): Promise<StrategySwitchResult>;
  /** Validates a param against the plugin's manifest and stores it (`value` as typed). */
  setParam?(id: string, name: string, value: string, by: string): Promise<SetParamResult>;
  /** Runs a backtest on stored candles; `onProgress` hears about 200 times a run. */
  backtest?(request: BacktestRequest, onProgress?: (done: number, total: number) => void): Promise<BacktestView>;
  /** Stored candles of a symbol with our entries and exits. */
  marketChart?(symbol: string, timeframe?: string): Promise<MarketChartView>;
  /** The price and cost of a manual order right now, for the confirmation question. */
  quoteOrder?(ticket: OrderTicket): Promise<OrderQuote>;
  /** A manual order through the risk manager and the executor, as strategy "manual"; undefined without a price. */
  placeOrder?(ticket: OrderTicket, by: string): Promise<OrderOutcomeView | undefined>;
  /**
   * Open positions matching what a user typed: "all", a symbol ("BTC/USDT": every strategy's), or
   * "<strategy>:<symbol>" ("sma-btc:BTC/USDT"). Manual positions are strategy "manual".
   */
  findPositions?(ref: string): Promise<readonly PositionView[]>;
  /** Closes one position at the market; undefined when it was already flat. */
  closePosition?(
    position: Pick<PositionView, "accountId" | "strategyId" | "symbol">,
    by: string,
  ): Promise<OrderOutcomeView | undefined>;
  /** Risk limits and how much of each is used, per account. */
  risk?(): Promise<RiskView>;
}

export interface EngineStatusView {
  readonly engine: { readonly state: EngineLifecycle; readonly startedAt?: number };
  readonly feed: { readonly kind: "replay" | "live" | "none"; readonly series: number; readonly published: number };
  readonly trading: {
    readonly state: TradingState;
    readonly reason?: string;
    readonly changedBy?: string;
    readonly changedAt?: number;
  };
  readonly strategies: readonly StrategyView[];
  readonly positions: readonly PositionView[];
}

export interface StrategyView {
  readonly id: string;
  readonly pluginId: string;
  readonly state: StrategyLifecycle;
  /** Realised plus unrealised PnL in the account's quote currency, when known. */
  readonly pnl?: number;
}

export interface PositionView {
  readonly accountId: string;
  readonly strategyId: string;
  readonly symbol: string;
  /** Signed: short < 0. */
  readonly quantity: number;
  readonly entryPrice: number;
  readonly unrealizedPnl?: number;
  /** The last price the account saw. */
  readonly lastPrice?: number;
  /** Realised PnL of the position so far, net of fees. */
  readonly realizedPnl?: number;
  readonly stopLoss?: number;
  readonly takeProfit?: number;
  /** Where the trailing stop stands now. */
  readonly trailingStop?: number;
}

export interface PluginView {
  readonly id: string;
  readonly name?: string;
  readonly version: string;
  readonly enabled: boolean;
  readonly description?: string;
}

export interface TradingStateChange {
  readonly previous: TradingState;
  readonly state: TradingState;
  /** False when the state already was `state`: nothing was written or published. */
  readonly changed: boolean;
}
