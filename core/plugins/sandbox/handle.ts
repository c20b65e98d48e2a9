import type { PluginFailureInfo } from "./failure.ts";
import type { SandboxOutput } from "./output.ts";
import type { FillEvent, HookName, InitRequest, RunRequest, Snapshot } from "./protocol.ts";

/**
 * Lifecycle of an instance's sandbox: starting (being built or re-initialised after a restart), ready,
 * failed (stopped; no restart), restarting (failed; a new isolate is scheduled), disabled (failed too
 * often; waits for an operator's `enable`), disposed.
 */
export type InstanceStatus = "starting" | "ready" | "failed" | "restarting" | "disabled" | "disposed";

/**
 * One plugin instance's sandbox as the strategy runner uses it, wherever the isolate lives (in a
 * supervised worker process: PooledInstance; in this process: LocalSandbox). Calls resolve with
 * validated output; a plugin failure is `output.failure`, after which the instance is no longer ready.
 * Calls on an instance that is not ready reject with SandboxUnavailableError.
 */
export interface SandboxHandle {
  readonly instanceId: string;
  readonly pluginId: string;
  readonly status: InstanceStatus;
  /** The hooks the plugin's default export defines. */
  readonly hooks: readonly HookName[];
  /** The last failure, while failed, restarting or disabled. */
  readonly lastFailure: PluginFailureInfo | undefined;
  /** Runs `init(ctx)`; fixes the symbols (their order is the order of onCandle calls within a step). */
  init(request: InitRequest): Promise<SandboxOutput>;
  /** Runs steps [from, to) and stops after the first step that produced intents. */
  run(request: RunRequest): Promise<SandboxOutput>;
  fill(fill: FillEvent, snapshot: Snapshot): Promise<SandboxOutput>;
  stop(snapshot: Snapshot): Promise<SandboxOutput>;
  /** Registers what re-initialises the instance after its isolate was re-created (init + warm-up). */
  onRestart(hook: () => Promise<void>): void;
  dispose(): Promise<void>;
}
