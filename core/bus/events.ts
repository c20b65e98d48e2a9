import type { Candle, Fill, Order, OrderIntent, Timeframe } from "../domain/index.ts";

/**
 * Every topic on the bus and the payload it carries, defined once. Payloads are plain serialisable
 * data (no class instances, no functions) because the Redis bus sends them across processes.
 */
export interface BusEvents {
  /** A candle closed on a feed. */
  "candle.closed": {
    readonly exchange: string;
    readonly symbol: string;
    readonly timeframe: Timeframe;
    readonly candle: Candle;
    readonly source: "replay" | "live";
  };
  /** A strategy asked for an order. */
  "strategy.intent": { readonly intent: OrderIntent; readonly candle: Candle };
  /** A strategy instance changed lifecycle state (ready, running, stopped, degraded, failed). */
  "strategy.state": {
    readonly strategyId: string;
    readonly state: StrategyLifecycle;
    readonly reason?: string;
  };
  /** A plugin threw, timed out or ran out of memory. */
  "plugin.failed": {
    readonly strategyId: string;
    readonly pluginId: string;
    readonly cause: PluginFailureCause;
    readonly message: string;
  };
  /** The risk manager ruled on an intent. */
  "risk.verdict": {
    readonly intentId: string;
    readonly strategyId: string;
    readonly decision: "approve" | "resize" | "reject";
    readonly reasons: readonly string[];
  };
  /** A risk limit crossed a warning threshold. */
  "risk.warning": { readonly rule: string; readonly level: number; readonly message: string };
  /** An order changed state; the store already holds the new state when this is published. */
  "order.updated": { readonly order: Order };
  "order.filled": { readonly fill: Fill };
  /** The operator's kill switch or a rule changed the trading state. */
  "trading.state": { readonly state: TradingState; readonly reason: string; readonly by: string };
  /** The engine as a whole changed state. */
  "engine.state": { readonly state: EngineLifecycle; readonly reason?: string };
}

export type BusTopic = keyof BusEvents;
export type StrategyLifecycle = "ready" | "running" | "stopped" | "degraded" | "failed" | "disabled";
export type EngineLifecycle = "starting" | "running" | "stopping" | "stopped";
export type TradingState = "ACTIVE" | "REDUCING" | "HALTED";
export type PluginFailureCause = "error" | "timeout" | "memory" | "invalid-output" | "crash";
