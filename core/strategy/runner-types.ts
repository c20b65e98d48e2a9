import type { Bus } from "../bus/bus.ts";
import type { Candle } from "../domain/candle.ts";
import type { OrderIntent } from "../domain/order.ts";
import type { ParamValue } from "../plugins/manifest-schema.ts";
import type { PluginFailureInfo } from "../plugins/sandbox/failure.ts";
import type { SandboxHandle } from "../plugins/sandbox/handle.ts";
import type { PluginLogLine } from "../plugins/sandbox/output.ts";
import type { Snapshot } from "../plugins/sandbox/protocol.ts";
import type { EmittedTarget } from "./targets.ts";
import type { CandleSeries } from "./timeline.ts";

// The strategy runner's options and results (runner.ts re-exports them).

/** What the runner asks the candle store for before it starts (and again after a restart). */
export interface WarmupRequest {
  readonly symbols: readonly string[];
  /** The manifest's warmup: how many candles (steps) before `before`. */
  readonly count: number;
  /** Open time of the first candle the instance will trade; warm-up candles are older. Undefined: the latest. */
  readonly before: number | undefined;
}

export interface StrategyRunnerOptions {
  readonly strategyId: string;
  readonly symbols: readonly string[];
  /** Validated against the manifest, defaults applied (validateParams). */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly sandbox: SandboxHandle;
  /** The manifest's warmup, in candles. */
  readonly warmup?: number;
  readonly bus?: Bus;
  /** ctx.state saved by an earlier run. */
  readonly state?: string | null;
  /** Persists ctx.state whenever it changed (already size-checked by the host). */
  readonly saveState?: (instanceId: string, json: string) => void | Promise<void>;
  /** Loads warm-up candles when start() is not given them, and after every restart. */
  readonly loadWarmup?: (request: WarmupRequest) => Promise<Readonly<Record<string, CandleSeries>> | undefined>;
  readonly onLog?: (line: RunnerLogLine) => void;
  /** Bytes of candles per window sent into the isolate (default 1 MiB). */
  readonly windowBytes?: number;
  /** Batches are sized to take about this long (default 100 ms), so a slow plugin still meets its CPU budget. */
  readonly targetBatchMs?: number;
  /** Fixed most steps per batch instead of the adaptive size (1 = enter the isolate for every step). */
  readonly batchSteps?: number;
}

export interface RunnerLogLine extends PluginLogLine {
  readonly strategyId: string;
}

/** An intent with the candle that caused it and the step of the timeline it came from. */
export interface EmittedIntent {
  readonly intent: OrderIntent;
  readonly candle: Candle;
  readonly step: number;
}

export interface ProcessOptions {
  readonly from?: number;
  readonly to?: number;
  /** A step at which the host's own state changes (a stop it manages triggers): the batch ends before it. */
  readonly barrier?: number;
  /** Position and balance as of now; constant until the next call. */
  readonly snapshot: Snapshot;
}

export interface ProcessResult {
  /** Intents of the one step that produced them (or of onFill/onStop), in the order asked. */
  readonly intents: readonly EmittedIntent[];
  /**
   * An onCandles plugin's targets over every step run, in step order (absolute timeline steps; live: the
   * runner's step count). Absent for per-candle plugins. The caller turns each into orders when it
   * reaches its step, against the position it then holds (targetIntents).
   */
  readonly targets?: readonly EmittedTarget[];
  /** The next step to process: every step before it ran. */
  readonly reachedIndex: number;
  readonly failed?: PluginFailureInfo;
}

export type RunnerStatus = "created" | "running" | "stopped" | "failed" | "restarting" | "disabled";
