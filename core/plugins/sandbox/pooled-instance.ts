import { CallPlanner, failed, type PreparedCall } from "./calls.ts";
import { classifyHostError, type PluginFailureInfo, SandboxUnavailableError } from "./failure.ts";
import type { InstanceStatus, SandboxHandle } from "./handle.ts";
import type { SandboxOutput } from "./output.ts";
import type { FillEvent, HookName, InitRequest, RunRequest, SandboxSpec, Snapshot } from "./protocol.ts";
import type { WorkerClient } from "./worker-client.ts";

/** What an instance needs from its pool; the pool owns placement, supervision and restarts. */
export interface InstanceSupervisor {
  /** Host-side deadline of a call whose CPU timeout is `cpuBudgetMs`. */
  deadlineFor(cpuBudgetMs: number): number;
  /** The instance failed; its isolate is gone or must go. Decides failed / restarting / disabled. */
  failed(instance: PooledInstance, failure: PluginFailureInfo, isolateAlive: boolean): Promise<void>;
  disposeInstance(instance: PooledInstance): Promise<void>;
}

export interface PooledInstanceOptions {
  /** Re-create the isolate after a failure (default true); false: a failure is final. */
  readonly restart: boolean;
  /** Strategy id for events (default: the instance id). */
  readonly strategyId: string;
}

/**
 * A plugin instance whose isolate lives in a worker process of a SandboxPool. Every call crosses IPC
 * (about 60 µs), which is why the runner batches. Status and restarts are the pool's: after a failure
 * the instance is restarting (a new isolate, then the runner's restart hook re-initialises it), failed,
 * or disabled until `pool.enable(instanceId)`.
 */
export class PooledInstance implements SandboxHandle {
  status: InstanceStatus = "starting";
  worker: WorkerClient | undefined;
  lastFailure: PluginFailureInfo | undefined;
  /** Failure times within the pool's window, oldest first. */
  readonly failures: number[] = [];
  restartHook: (() => Promise<void>) | undefined;
  restartTimer: NodeJS.Timeout | undefined;
  /** Calls in flight; a worker exit during one is reported by that call, not by the exit handler. */
  inFlight = 0;
  readonly planner: CallPlanner;

  constructor(
    readonly spec: SandboxSpec,
    readonly options: PooledInstanceOptions,
    private readonly supervisor: InstanceSupervisor,
  ) {
    this.planner = new CallPlanner(spec);
  }

  get instanceId(): string {
    return this.spec.instanceId;
  }
  get pluginId(): string {
    return this.spec.pluginId;
  }
  get hooks(): readonly HookName[] {
    return this.planner.hooks;
  }
  /** Function-valued keys of the default export that are not hooks (`plugins validate` warns). */
  get otherFunctions(): readonly string[] {
    return this.planner.otherFunctions;
  }

  init(request: InitRequest): Promise<SandboxOutput> {
    return this.call(this.planner.init(request));
  }
  run(request: RunRequest): Promise<SandboxOutput> {
    return this.call(this.planner.run(request));
  }
  fill(fill: FillEvent, snapshot: Snapshot): Promise<SandboxOutput> {
    return this.call(this.planner.fill(fill, snapshot));
  }
  stop(snapshot: Snapshot): Promise<SandboxOutput> {
    return this.call(this.planner.stop(snapshot));
  }

  onRestart(hook: () => Promise<void>): void {
    this.restartHook = hook;
  }

  dispose(): Promise<void> {
    return this.supervisor.disposeInstance(this);
  }

  private async call(call: PreparedCall): Promise<SandboxOutput> {
    const worker = this.worker;
    if ((this.status !== "ready" && this.status !== "starting") || !worker) {
      throw new SandboxUnavailableError(this.instanceId, this.status);
    }
    this.inFlight++;
    let out: SandboxOutput;
    let isolateAlive = false;
    try {
      const raw = await worker.request(
        {
          kind: "call",
          instanceId: this.instanceId,
          op: call.op,
          payload: call.payload,
          cpuBudgetMs: call.cpuBudgetMs,
          ...(call.window ? { window: call.window } : {}),
        },
        this.supervisor.deadlineFor(call.cpuBudgetMs),
      );
      out = this.planner.parse(raw, call.context);
      // The worker answered, so its isolate still exists: a failure in the answer (reported by the
      // bootstrap, or found by our checks) means it must go.
      isolateAlive = out.failure !== undefined;
    } catch (error) {
      out = failed(classifyHostError(error, call.op));
    } finally {
      this.inFlight--;
    }
    if (out.failure) await this.supervisor.failed(this, out.failure, isolateAlive);
    return out;
  }
}
