import type { PluginLimits } from "../host-api.ts";
import type { HookName } from "./isolate/limits.ts";

export type { HookName };

/** Everything needed to build one plugin instance's isolate, as plain data (it crosses IPC). */
export interface SandboxSpec {
  /** The strategy instance this isolate serves; unique in a pool. */
  readonly instanceId: string;
  readonly pluginId: string;
  /** Source of the entry module. */
  readonly code: string;
  /** Name shown in stack traces and errors, e.g. "plugins/sma-cross/strategy.js". */
  readonly filename: string;
  readonly limits: PluginLimits;
  readonly permissions: readonly string[];
  readonly stateCapBytes: number;
}

/** The instance's position and balance as the host last knew them. */
export interface Snapshot {
  readonly cash: number;
  readonly allocation: number;
  /** By symbol; a symbol not listed is flat. */
  readonly positions?: Readonly<Record<string, { readonly quantity: number; readonly entryPrice: number }>>;
}

export interface InitRequest {
  readonly params: Readonly<Record<string, number | boolean | string>>;
  /** The instance's symbols, in config order: the order of onCandle calls within a step. */
  readonly symbols: readonly string[];
  /** ctx.state saved by an earlier run (JSON object text), or null. */
  readonly state: string | null;
  readonly snapshot: Snapshot;
}

/** Candles of steps [start, start + steps) packed as in isolate/market.ts. */
export interface CandleWindow {
  readonly start: number;
  readonly steps: number;
  readonly data: Float64Array;
}

export interface RunRequest {
  /** Absolute step indices; the window must cover [from, to). */
  readonly from: number;
  readonly to: number;
  /** Warm-up: hooks run, intents are dropped, the batch never stops early for them. */
  readonly warmup: boolean;
  readonly snapshot: Snapshot;
  /** A new window to load first; omit to keep using the loaded one. */
  readonly window?: CandleWindow;
  /** Upper bound of hook calls in [from, to): the CPU budget of the batch is cpuMsPerCall times this. */
  readonly hookCalls: number;
}

/** What onFill receives. */
export interface FillEvent {
  readonly symbol: string;
  readonly side: "buy" | "sell";
  readonly amount: number;
  readonly price: number;
  readonly fee: number;
  readonly time: number;
}

/** Operations on an instance after it was created. */
export type SandboxOp = "init" | "run" | "fill" | "stop";
