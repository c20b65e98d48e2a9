import type { Bus } from "../../bus/bus.ts";
import { type Clock, systemClock } from "../../clock.ts";
import { isolateBundle } from "./bundle.ts";
import { classifyHostError, PluginFailure, type PluginFailureInfo } from "./failure.ts";
import { type InstanceSupervisor, PooledInstance } from "./pooled-instance.ts";
import type { SandboxSpec } from "./protocol.ts";
import { reportFailure, reportState } from "./report.ts";
import { wallClockLimit } from "./time-limits.ts";
import type { WorkerClient } from "./worker-client.ts";
import { WorkerSlots } from "./worker-slots.ts";

export interface RestartPolicy {
  /** Waits before successive restarts within the window; the last repeats. */
  readonly backoffMs: readonly number[];
  /** Failures within `windowMs` that disable an instance until `enable`. */
  readonly maxFailures: number;
  readonly windowMs: number;
}

export interface SandboxPoolOptions {
  /** Worker processes (default 2); instances go to the least loaded. */
  readonly workers?: number;
  /** Node heap of each worker, MB (default 256); isolates are limited separately. */
  readonly workerHeapMb?: number;
  /** RSS of a worker beyond which it stops the instance that just ran, MB (default 1024). */
  readonly workerRssMb?: number;
  /** Wall-clock grace past a call's CPU timeout before the worker disposes the isolate (default 1000 ms). */
  readonly graceMs?: number;
  /**
   * How long past a call's wall-clock limit the host waits for a worker's answer before killing the worker
   * (default graceMs + 4000: the worker's own watchdog acts first, this catches a wedged worker).
   */
  readonly deadlinePaddingMs?: number;
  readonly restart?: Partial<RestartPolicy>;
  /** Where `plugin.failed` and `strategy.state` go. */
  readonly bus?: Bus;
  /** Times failures for the disable window (backoff waits use timers). */
  readonly clock?: Clock;
  /** Let this process exit while workers are idle (tools, tests). */
  readonly unref?: boolean;
}

export interface PoolStats {
  readonly workers: readonly { readonly pid: number | undefined; readonly instances: number }[];
  readonly instances: readonly { readonly id: string; readonly status: string; readonly failures: number }[];
}

const DEFAULT_RESTART: RestartPolicy = { backoffMs: [1000, 5000, 30_000], maxFailures: 3, windowMs: 10 * 60_000 };

/**
 * The engine's sandboxes: worker processes, each holding the isolates of several instances, supervised
 * from here. A worker that crashes or is killed is noticed by its exit; its instances fail with "crash"
 * and are re-created on a live worker after a backoff, then re-initialised by their runner. An instance
 * that fails `maxFailures` times within `windowMs` is disabled until an operator calls `enable`.
 *
 * Lifecycle: createInstance -> ready -> (failure) -> restarting -> starting -> ready ... | failed |
 * disabled -> enable -> restarting; dispose() ends everything.
 * @example
 * const pool = new SandboxPool({ workers: 2, bus });
 * const sandbox = await pool.createInstance(spec);
 * const runner = new StrategyRunner({ strategyId: spec.instanceId, symbols, params, sandbox, bus });
 */
export class SandboxPool implements InstanceSupervisor {
  private readonly workers: WorkerSlots;
  private readonly instances = new Map<string, PooledInstance>();
  private readonly policy: RestartPolicy;
  private readonly clock: Clock;
  private disposed = false;

  constructor(private readonly options: SandboxPoolOptions = {}) {
    this.workers = new WorkerSlots(
      options.workers ?? 2,
      () => ({
        bundle: isolateBundle(),
        heapMb: options.workerHeapMb ?? 256,
        rssLimitMb: options.workerRssMb ?? 1024,
        graceMs: options.graceMs ?? 1000,
        unrefWhenIdle: options.unref ?? false,
      }),
      (worker) => this.workerExited(worker),
    );
    this.policy = { ...DEFAULT_RESTART, ...options.restart };
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Builds an instance's isolate on a worker and loads the plugin. A plugin that does not load (syntax
   * error, a throw or a loop in top-level code, an import) rejects with PluginFailure.
   */
  async createInstance(
    spec: SandboxSpec,
    options: { restart?: boolean; strategyId?: string } = {},
  ): Promise<PooledInstance> {
    if (this.disposed) throw new Error("the sandbox pool is disposed");
    if (this.instances.has(spec.instanceId)) throw new Error(`instance ${spec.instanceId} already exists`);
    const instance = new PooledInstance(
      spec,
      { restart: options.restart ?? true, strategyId: options.strategyId ?? spec.instanceId },
      this,
    );
    this.instances.set(spec.instanceId, instance);
    try {
      await this.build(instance);
    } catch (error) {
      this.instances.delete(spec.instanceId);
      const failure = classifyHostError(error, "loading");
      await reportFailure(this.options.bus, identity(instance), failure.toInfo(), "failed");
      throw failure;
    }
    instance.status = "ready";
    return instance;
  }

  instance(instanceId: string): PooledInstance | undefined {
    return this.instances.get(instanceId);
  }

  /** Re-enables a disabled (or finally failed) instance: forgets its failures and restarts it now. */
  async enable(instanceId: string): Promise<void> {
    const instance = this.instances.get(instanceId);
    if (!instance) throw new Error(`no instance ${instanceId}`);
    if (instance.status !== "disabled" && instance.status !== "failed") return;
    instance.failures.length = 0;
    instance.status = "restarting";
    await this.restart(instance);
  }

  /** PID of the worker process holding an instance (for operators and tests). */
  workerPid(instanceId: string): number | undefined {
    return this.instances.get(instanceId)?.worker?.pid;
  }

  stats(): PoolStats {
    const workers = this.workers.pids().map((pid) => ({
      pid,
      instances: [...this.instances.values()].filter((i) => i.worker?.pid === pid).length,
    }));
    return {
      workers,
      instances: [...this.instances.values()].map((i) => ({
        id: i.instanceId,
        status: i.status,
        failures: i.failures.length,
      })),
    };
  }

  /** Ends every instance and worker. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const instance of this.instances.values()) {
      clearTimeout(instance.restartTimer);
      instance.status = "disposed";
    }
    this.instances.clear();
    await this.workers.closeAll();
  }

  // --- InstanceSupervisor ----------------------------------------------------------------------------

  deadlineFor(cpuBudgetMs: number): number {
    // Past the worker's own watchdog (wall limit + grace), so a cause found in the worker wins.
    return wallClockLimit(cpuBudgetMs) + (this.options.deadlinePaddingMs ?? (this.options.graceMs ?? 1000) + 4000);
  }

  async failed(instance: PooledInstance, failure: PluginFailureInfo, isolateAlive: boolean): Promise<void> {
    if (instance.status === "disposed") return;
    const worker = instance.worker;
    instance.worker = undefined;
    worker?.instances.delete(instance.instanceId);
    if (isolateAlive && worker?.alive) {
      void worker.request({ kind: "dispose", instanceId: instance.instanceId }, 10_000).catch(() => undefined);
    }
    instance.lastFailure = failure;
    const now = this.clock.now();
    instance.failures.push(now);
    while (instance.failures.length > 0 && (instance.failures[0] as number) <= now - this.policy.windowMs)
      instance.failures.shift();
    const who = identity(instance);
    if (!instance.options.restart) {
      instance.status = "failed";
      await reportFailure(this.options.bus, who, failure, "failed");
    } else if (instance.failures.length >= this.policy.maxFailures) {
      instance.status = "disabled";
      const minutes = Math.round(this.policy.windowMs / 60_000);
      await reportFailure(
        this.options.bus,
        who,
        failure,
        "disabled",
        `${failure.cause}: ${failure.message}; failed ${instance.failures.length} times in ${minutes} min, disabled until re-enabled`,
      );
    } else {
      instance.status = "restarting";
      const backoff = this.policy.backoffMs;
      const wait = backoff[Math.min(instance.failures.length - 1, backoff.length - 1)] ?? 1000;
      await reportFailure(
        this.options.bus,
        who,
        failure,
        "failed",
        `${failure.cause}: ${failure.message}; restarting in ${wait} ms`,
      );
      instance.restartTimer = setTimeout(() => void this.restart(instance), wait);
      if (this.options.unref) instance.restartTimer.unref();
    }
  }

  async disposeInstance(instance: PooledInstance): Promise<void> {
    clearTimeout(instance.restartTimer);
    const worker = instance.worker;
    instance.status = "disposed";
    instance.worker = undefined;
    this.instances.delete(instance.instanceId);
    if (worker?.alive) {
      worker.instances.delete(instance.instanceId);
      await worker.request({ kind: "dispose", instanceId: instance.instanceId }, 10_000).catch(() => undefined);
    }
  }

  // --- internals -------------------------------------------------------------------------------------

  private async restart(instance: PooledInstance): Promise<void> {
    if (instance.status !== "restarting" || this.disposed) return;
    instance.status = "starting";
    try {
      await this.build(instance);
    } catch (error) {
      await this.failed(instance, classifyHostError(error, "restarting").toInfo(), false);
      return;
    }
    try {
      await instance.restartHook?.();
    } catch (error) {
      // Not the plugin's fault (the candle store, say), but the instance cannot run un-initialised.
      const message = `re-initialising after a restart failed: ${error instanceof Error ? error.message : error}`;
      if (instance.status === "starting") await this.failed(instance, { cause: "error", message }, true);
      return;
    }
    // The hook's calls may have failed the instance again; only a clean re-initialisation is ready.
    if (instance.status === "starting") {
      instance.status = "ready";
      await reportState(this.options.bus, identity(instance).strategyId, "running", "restarted");
    }
  }

  /** Creates the instance's isolate on the least loaded worker and reads its hooks. */
  private async build(instance: PooledInstance): Promise<void> {
    const worker = await this.workers.acquire();
    try {
      // Compiling a large entry takes time of its own; the CPU limit applies to running it.
      const timeout = instance.spec.limits.cpuMsPerCall * 2;
      const raw = await worker.request({ kind: "create", spec: instance.spec }, this.deadlineFor(timeout) + 10_000);
      const out = instance.planner.attach(raw);
      if (out.failure) {
        void worker.request({ kind: "dispose", instanceId: instance.instanceId }, 10_000).catch(() => undefined);
        throw new PluginFailure(out.failure.cause, out.failure.message);
      }
      instance.worker = worker;
      worker.instances.add(instance.instanceId);
    } finally {
      this.workers.placed(worker);
    }
  }

  /** Instances idle on a worker that died learn it here; those mid-call learn it from their call. */
  private workerExited(worker: WorkerClient): void {
    for (const instance of this.instances.values()) {
      if (instance.worker !== worker || instance.inFlight > 0) continue;
      void this.failed(instance, { cause: "crash", message: "its sandbox worker process exited" }, false);
    }
  }
}

function identity(instance: PooledInstance) {
  return { strategyId: instance.options.strategyId, pluginId: instance.pluginId };
}
