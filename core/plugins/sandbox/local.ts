import type { Bus } from "../../bus/bus.ts";
import { isolateBundle } from "./bundle.ts";
import { CallPlanner, failed, type PreparedCall } from "./calls.ts";
import { classifyHostError, PluginFailure, type PluginFailureInfo, SandboxUnavailableError } from "./failure.ts";
import type { InstanceStatus, SandboxHandle } from "./handle.ts";
import { IsolateSandbox } from "./isolate-sandbox.ts";
import type { SandboxOutput } from "./output.ts";
import type { FillEvent, HookName, InitRequest, RunRequest, SandboxSpec, Snapshot } from "./protocol.ts";
import { reportFailure } from "./report.ts";

export interface LocalSandboxOptions {
  /** Where `plugin.failed` and `strategy.state` go. */
  readonly bus?: Bus;
  /** Strategy id for events; defaults to the spec's instanceId. */
  readonly strategyId?: string;
}

/**
 * A plugin instance whose isolate lives in THIS process, entered synchronously (about 2 µs a call
 * instead of an IPC round trip of about 60 µs): the fast path for a process that is itself a
 * supervised sandbox worker, such as a backtest job that runs the runner, the risk rules and the
 * simulated exchange next to the isolate.
 *
 * Do not use it in the engine's main process. A plugin cannot escape the isolate here either, but
 * it can hang this process (isolated-vm reads a hostile rejection's getters outside any timeout; see
 * IsolateSandbox) and a V8 fatal error in an isolate ends its process; only a supervisor with a
 * wall-clock deadline (SandboxPool for workers) contains that. There is no restart: a failure is final.
 *
 * @example
 * const sandbox = await LocalSandbox.create(spec);
 * await sandbox.init({ params, symbols: ["BTC/USDT"], state: null, snapshot });
 */
export class LocalSandbox implements SandboxHandle {
  private statusValue: InstanceStatus = "ready";
  private failure: PluginFailureInfo | undefined;

  private constructor(
    private readonly sandbox: IsolateSandbox,
    private readonly planner: CallPlanner,
    private readonly options: LocalSandboxOptions,
  ) {}

  /** Builds the isolate and loads the plugin; a plugin that fails to load throws PluginFailure. */
  static async create(spec: SandboxSpec, options: LocalSandboxOptions = {}): Promise<LocalSandbox> {
    const planner = new CallPlanner(spec);
    const { sandbox, attach } = await IsolateSandbox.create(spec, { bundle: isolateBundle(), mode: "sync" });
    const out = planner.attach(attach);
    if (out.failure) {
      sandbox.dispose();
      throw new PluginFailure(out.failure.cause, out.failure.message);
    }
    return new LocalSandbox(sandbox, planner, options);
  }

  get instanceId(): string {
    return this.planner.spec.instanceId;
  }
  get pluginId(): string {
    return this.planner.spec.pluginId;
  }
  get status(): InstanceStatus {
    return this.statusValue;
  }
  get hooks(): readonly HookName[] {
    return this.planner.hooks;
  }
  get lastFailure(): PluginFailureInfo | undefined {
    return this.failure;
  }

  async init(request: InitRequest): Promise<SandboxOutput> {
    return this.call(this.planner.init(request));
  }
  async run(request: RunRequest): Promise<SandboxOutput> {
    return this.call(this.planner.run(request));
  }
  async fill(fill: FillEvent, snapshot: Snapshot): Promise<SandboxOutput> {
    return this.call(this.planner.fill(fill, snapshot));
  }
  async stop(snapshot: Snapshot): Promise<SandboxOutput> {
    return this.call(this.planner.stop(snapshot));
  }

  onRestart(): void {
    // A local sandbox is never restarted.
  }

  async dispose(): Promise<void> {
    this.statusValue = "disposed";
    this.sandbox.dispose();
  }

  private async call(call: PreparedCall): Promise<SandboxOutput> {
    const out = onThread(call) ? await this.callOnThread(call) : this.callSync(call);
    if (out.failure) await reportFailure(this.options.bus, this.identity(), out.failure, "failed");
    return out;
  }

  private callSync(call: PreparedCall): SandboxOutput {
    if (this.statusValue !== "ready") throw new SandboxUnavailableError(this.instanceId, this.statusValue);
    let out: SandboxOutput;
    try {
      out = this.planner.parse(
        this.sandbox.callSync(call.op, call.payload, call.window, call.cpuBudgetMs),
        call.context,
      );
    } catch (error) {
      out = failed(classifyHostError(error, call.op));
    }
    return this.settled(out);
  }

  /** The call on isolated-vm's thread: this thread is free to do other work until it answers. */
  private async callOnThread(call: PreparedCall): Promise<SandboxOutput> {
    if (this.statusValue !== "ready") throw new SandboxUnavailableError(this.instanceId, this.statusValue);
    let out: SandboxOutput;
    try {
      const raw = await this.sandbox.callAsync(call.op, call.payload, call.window, call.cpuBudgetMs);
      out = this.planner.parse(raw, call.context);
    } catch (error) {
      out = failed(classifyHostError(error, call.op));
    }
    return this.settled(out);
  }

  private settled(out: SandboxOutput): SandboxOutput {
    if (out.failure) {
      this.statusValue = "failed";
      this.failure = out.failure;
      this.sandbox.dispose();
    }
    return out;
  }

  private identity() {
    return { strategyId: this.options.strategyId ?? this.instanceId, pluginId: this.pluginId };
  }
}

/**
 * Steps from which an onCandles run is entered on isolated-vm's thread instead of this one. Such a batch
 * (thousands of candles, tens of milliseconds) costs a thread hop of tens of µs more, which is nothing
 * beside it, and leaves this thread free meanwhile: a backtest resolves the previous window's targets on
 * the host while the plugin computes the next (core/backtest/replay-targets.ts). A per-candle run is
 * asked for as wide a range but stops at its first intent, a few dozen candles later as a rule, and the
 * host can do nothing until it has the fills: the hop would cost more than the run, on every order.
 */
const ON_THREAD_STEPS = 4096;

function onThread(call: PreparedCall): boolean {
  const range = call.op === "run" && call.context.targets ? call.context.range : undefined;
  return range !== undefined && range.to - range.from >= ON_THREAD_STEPS;
}
