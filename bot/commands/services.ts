import type { EngineLifecycle, StrategyLifecycle, TradingState } from "../../core/bus/events.ts";

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
