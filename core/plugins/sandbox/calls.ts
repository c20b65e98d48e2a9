import { PluginFailure } from "./failure.ts";
import { type OutputContext, parseOutput, type SandboxOutput } from "./output.ts";
import type { FillEvent, HookName, InitRequest, RunRequest, SandboxOp, SandboxSpec, Snapshot } from "./protocol.ts";
import { snapshotPayload } from "./snapshot.ts";
import { coldBudget } from "./time-limits.ts";

/** Longest a single batch may run, whatever its hook count: beyond this, a loop is a loop. */
export const MAX_ENTRY_MS = 5000;

/** One call ready to send: what to pass into the isolate, for how long, and how to check its answer. */
export interface PreparedCall {
  readonly op: SandboxOp;
  readonly payload: string;
  readonly window?: Float64Array;
  readonly cpuBudgetMs: number;
  readonly context: OutputContext;
}

/**
 * Turns handle calls into isolate calls and answers into validated output; shared by every
 * SandboxHandle so that the local and the pooled sandbox behave the same.
 *
 * The CPU budget of a batch is cpuMsPerCall for every hook call it may make (capped at MAX_ENTRY_MS):
 * batching amortises the per-call limit rather than multiplying entries into the isolate.
 * @example const call = planner.run(request); parse(await sandbox.callAsync(call.op, call.payload, call.window, call.cpuBudgetMs))
 */
export class CallPlanner {
  symbols: readonly string[] = [];
  hooks: readonly HookName[] = [];
  /** Function-valued keys of the default export that are not hooks: often a misspelt hook. */
  otherFunctions: readonly string[] = [];

  /** Operations that have run once: their code is compiled and warm, so the plain budget applies. */
  private readonly warm = new Set<string>();

  /** The snapshot the isolate holds, as last sent; undefined when it must be sent again. */
  private sent: { cash: number; allocation: number; positions: number[] } | undefined;

  constructor(readonly spec: SandboxSpec) {}

  init(request: InitRequest): PreparedCall {
    this.warm.clear();
    this.symbols = [...request.symbols];
    this.sent = undefined;
    const payload = JSON.stringify({
      params: request.params,
      symbols: request.symbols,
      state: request.state,
      snapshot: snapshotPayload(request.snapshot, request.symbols),
    });
    return this.prepare("init", payload, this.spec.limits.cpuMsPerCall);
  }

  /**
   * A run is the hot path (once per intent in a backtest), so its payload is a short JSON array rather than
   * an object: [from, to, warmup, windowStart, windowSteps, snapshot], with the snapshot null when it has not
   * changed since the isolate last saw it.
   */
  run(request: RunRequest): PreparedCall {
    const w = request.window;
    const snapshot = this.snapshotText(request.snapshot);
    const payload = `[${request.from},${request.to},${request.warmup ? 1 : 0},${w ? w.start : -1},${w ? w.steps : 0},${snapshot}]`;
    const cpu = this.spec.limits.cpuMsPerCall;
    const budget = Math.min(cpu * Math.max(1, request.hookCalls), Math.max(cpu, MAX_ENTRY_MS));
    const call = this.prepare("run", payload, budget, { from: request.from, to: request.to });
    const batch = this.hooks.includes("onCandles") ? { ...call, context: { ...call.context, targets: true } } : call;
    return w ? { ...batch, window: w.data } : batch;
  }

  fill(fill: FillEvent, snapshot: Snapshot): PreparedCall {
    this.sent = undefined;
    const payload = JSON.stringify({ fill, snapshot: snapshotPayload(snapshot, this.symbols) });
    return this.prepare("fill", payload, this.spec.limits.cpuMsPerCall);
  }

  stop(snapshot: Snapshot): PreparedCall {
    this.sent = undefined;
    return this.prepare(
      "stop",
      JSON.stringify({ snapshot: snapshotPayload(snapshot, this.symbols) }),
      this.spec.limits.cpuMsPerCall,
    );
  }

  /** Validates an answer; any rejection becomes `failure` (invalid-output), never an exception. */
  parse(raw: unknown, context: OutputContext): SandboxOutput {
    try {
      return parseOutput(raw, context);
    } catch (error) {
      if (error instanceof PluginFailure) return failed(error);
      throw error;
    }
  }

  /** "null" when the isolate already holds this snapshot, else its JSON (and it is remembered as sent). */
  private snapshotText(snapshot: Snapshot): string {
    const positions: number[] = [];
    for (const symbol of this.symbols) {
      const p = snapshot.positions?.[symbol];
      positions.push(p ? p.quantity : 0, p ? p.entryPrice : 0);
    }
    const sent = this.sent;
    if (
      sent &&
      sent.cash === snapshot.cash &&
      sent.allocation === snapshot.allocation &&
      positions.every((v, i) => v === sent.positions[i])
    ) {
      return "null";
    }
    this.sent = { cash: snapshot.cash, allocation: snapshot.allocation, positions };
    return JSON.stringify(snapshotPayload(snapshot, this.symbols));
  }

  /** The first answer (attach) names the hooks; a new isolate holds no snapshot yet. */
  attach(raw: unknown): SandboxOutput {
    this.sent = undefined;
    const out = this.parse(raw, { symbols: [], stateCapBytes: this.spec.stateCapBytes });
    if (!out.failure) {
      this.hooks = out.hooks ?? [];
      this.otherFunctions = out.unknown ?? [];
    }
    return out;
  }

  private prepare(
    op: SandboxOp,
    payload: string,
    cpuBudgetMs: number,
    range?: { from: number; to: number },
  ): PreparedCall {
    // A fresh isolate runs each hook's code for the first time in its first call of each kind.
    const budget = this.warm.has(op) ? cpuBudgetMs : Math.max(cpuBudgetMs, coldBudget(this.spec.limits.cpuMsPerCall));
    this.warm.add(op);
    return {
      op,
      payload,
      cpuBudgetMs: budget,
      context: { symbols: this.symbols, stateCapBytes: this.spec.stateCapBytes, ...(range ? { range } : {}) },
    };
  }
}

/** Output carrying only a failure. */
export function failed(error: PluginFailure): SandboxOutput {
  return { intents: [], logs: [], failure: error.toInfo() };
}
