import type { Candle } from "../domain/candle.ts";
import type { Maybe } from "../execution/maybe.ts";
import type { PluginFailureInfo } from "../plugins/sandbox/failure.ts";
import { OUTPUT_LIMITS } from "../plugins/sandbox/isolate/limits.ts";
import type { SandboxOutput } from "../plugins/sandbox/output.ts";
import type { FillEvent, Snapshot } from "../plugins/sandbox/protocol.ts";
import { reportState } from "../plugins/sandbox/report.ts";
import { BatchPlan, windowSteps } from "./batch-plan.ts";
import { IntentEmitter } from "./emitter.ts";
import { LiveSteps } from "./live-steps.ts";
import { LiveTargets } from "./live-targets.ts";
import type {
  EmittedIntent,
  ProcessOptions,
  ProcessResult,
  RunnerStatus,
  StrategyRunnerOptions,
} from "./runner-types.ts";
import type { EmittedTarget } from "./targets.ts";
import { type CandleSeries, candleAt, lastCandleAt, type Timeline } from "./timeline.ts";
import { type SeriesInput, TimelineCache } from "./timeline-cache.ts";

export type {
  EmittedIntent,
  ProcessOptions,
  ProcessResult,
  RunnerLogLine,
  RunnerStatus,
  StrategyRunnerOptions,
  WarmupRequest,
} from "./runner-types.ts";

const DEFAULT_WINDOW_BYTES = 1024 * 1024;

/**
 * Runs one strategy instance over candles, entering its sandbox in batches: a range of steps goes in
 * as one call, the bootstrap runs the hooks candle by candle and returns at the first step that asked
 * for intents, with the step reached. The host then applies what the intents cause (fills, positions)
 * and calls again from the next step with a fresh snapshot. Every position change stays exact and
 * host-side while the isolate is entered once per intent rather than once per candle; a batch of one
 * step behaves identically, which is what live and paper use (onCandleEvent).
 *
 * An onCandles plugin sees no position, so nothing it does waits for the host: the runner runs the whole
 * range asked for in as few entries as the window and the CPU budget allow and hands back its targets
 * (usesTargets); the caller resolves each at its step against the real position (targetIntents).
 *
 * @example
 * const runner = new StrategyRunner({ strategyId: "btc-sma", symbols: ["BTC/USDT"], params, sandbox });
 * await runner.start({ snapshot });
 * let from = 0;
 * while (from < candles.time.length) {
 *   const r = await runner.processCandles(candles, { from, snapshot: book.snapshot() });
 *   for (const { intent, candle } of r.intents) book.apply(intent, candle.close);
 *   if (r.failed) break;
 *   from = r.reachedIndex;
 * }
 */
export class StrategyRunner {
  private readonly timelines: TimelineCache;
  private readonly emitter: IntentEmitter;
  private readonly live: LiveSteps;
  private readonly plan: BatchPlan;
  /** Targets a batch may hold at most, given how many symbols can have one at each step. */
  private readonly targetStepsCap: number;
  private last: { timeline: Timeline; step: number } | undefined;
  private lastSnapshot: Snapshot | undefined;
  private state: string | null;
  private started = false;
  private stopped = false;
  private liveSteps = 0;
  private readonly liveTargets = new LiveTargets();

  constructor(private readonly options: StrategyRunnerOptions) {
    this.emitter = new IntentEmitter(options.strategyId, options.bus);
    this.live = new LiveSteps(options.symbols);
    this.timelines = new TimelineCache(options.symbols);
    this.state = options.state ?? null;
    this.plan = new BatchPlan({
      windowSteps: windowSteps(options.windowBytes ?? DEFAULT_WINDOW_BYTES, options.symbols.length),
      targetBatchMs: options.targetBatchMs ?? 100,
      ...(options.batchSteps !== undefined ? { batchSteps: options.batchSteps } : {}),
    });
    const perStepTargets = Math.min(options.symbols.length, OUTPUT_LIMITS.intentsPerStep);
    this.targetStepsCap = Math.max(1, Math.floor(OUTPUT_LIMITS.targetsPerBatch / perStepTargets));
    options.sandbox.onRestart(() => this.reinitialize());
  }

  get status(): RunnerStatus {
    if (this.stopped) return "stopped";
    const s = this.options.sandbox.status;
    if (s === "failed" || s === "restarting" || s === "disabled") return s;
    if (s === "disposed") return "stopped";
    return this.started ? "running" : "created";
  }

  /** The latest ctx.state, as saved. */
  get savedState(): string | null {
    return this.state;
  }

  /**
   * Runs init(ctx), then replays the warm-up candles (given, or from `loadWarmup`) with ctx.warmup true.
   * Resolves with the failure if the plugin failed.
   */
  async start(options: {
    readonly snapshot: Snapshot;
    readonly warmup?: Readonly<Record<string, CandleSeries>> | Timeline;
    readonly before?: number;
  }): Promise<PluginFailureInfo | undefined> {
    this.lastSnapshot = options.snapshot;
    const failure = await this.initialize(options.snapshot, options.warmup, options.before);
    if (failure) return failure;
    this.started = true;
    await reportState(this.options.bus, this.options.strategyId, "running");
    return undefined;
  }

  /**
   * Processes steps from `from` until the first step with intents, `to`, or `barrier`, whichever comes
   * first. Publishes each intent on the bus as `strategy.intent` with its candle. An onCandles plugin
   * (usesTargets) runs the whole of [from, to) instead, whatever the barrier (it cannot see the host),
   * and returns its targets; on a failure, those of the batches before the failed one.
   */
  async processCandles(series: SeriesInput, options: ProcessOptions): Promise<ProcessResult> {
    const timeline = this.timelines.of(series);
    this.lastSnapshot = options.snapshot;
    let from = options.from ?? 0;
    if (this.usesTargets) {
      return this.processTargets(timeline, from, Math.min(options.to ?? timeline.length, timeline.length), options);
    }
    const end = Math.min(options.to ?? timeline.length, options.barrier ?? Number.POSITIVE_INFINITY, timeline.length);
    while (from < end) {
      const out = await this.batch(timeline, from, end, false, options.snapshot);
      if (out.failure) return { intents: [], reachedIndex: out.reached ?? from, failed: out.failure };
      const reached = out.reached as number;
      this.last = { timeline, step: reached - 1 };
      if (out.intents.length > 0) {
        const emitted = await this.emitter.emit(out.intents, timeline, reached - 1);
        return emitted.failed
          ? { intents: [], reachedIndex: reached, failed: emitted.failed }
          : { intents: emitted.intents, reachedIndex: reached };
      }
      from = reached;
    }
    return { intents: [], reachedIndex: Math.max(from, end) };
  }

  /**
   * Live and paper: one closed candle of one symbol. Steps complete when every symbol's candle of that
   * time arrived (or a later one did); each complete step runs as a batch of one.
   */
  async onCandleEvent(symbol: string, candle: Candle, snapshot: Snapshot): Promise<ProcessResult> {
    const intents: EmittedIntent[] = [];
    const targets: EmittedTarget[] = [];
    for (const step of this.live.add(symbol, candle)) {
      const result = await this.processCandles(step, { from: 0, snapshot });
      intents.push(...result.intents.map((e) => ({ ...e, step: this.liveSteps })));
      for (const t of result.targets ?? []) targets.push(this.liveTargets.number(t, step, this.liveSteps));
      this.liveTargets.remember(step);
      this.liveSteps++;
      if (result.failed) return { intents, targets, reachedIndex: this.liveSteps, failed: result.failed };
    }
    return this.usesTargets
      ? { intents, targets, reachedIndex: this.liveSteps }
      : { intents, reachedIndex: this.liveSteps };
  }

  /** True when the plugin exports onCandles: it asks for targets, and processCandles returns them. */
  get usesTargets(): boolean {
    return this.options.sandbox.hooks.includes("onCandles");
  }

  /**
   * The orders that take a position of `held` to what `t` asks for (targets.ts: a close first, then an
   * entry), with the ids the per-candle path would give them, each published on the bus as
   * `strategy.intent` (the list itself, without a promise, when nobody listens). `candle` is the candle of the target's symbol at its step; when absent (no candle of
   * that symbol at that step) the runner uses the latest one before it.
   * @example for (const t of r.targets ?? []) await send(await runner.targetIntents(t, book.quantity(t.target.symbol), candleOf(t)))
   */
  targetIntents(t: EmittedTarget, held: number, candle?: Candle): Maybe<EmittedIntent[]> {
    return this.emitter.forTarget(t, held, candle ?? this.targetCandle(t));
  }

  /** True when the plugin defines onFill: without it a fill needs no snapshot, and no call. */
  get wantsFills(): boolean {
    return this.options.sandbox.hooks.includes("onFill");
  }

  /** An order of this instance filled: runs onFill (when the plugin has it); its intents count for the last step. */
  async onFill(fill: FillEvent, snapshot: Snapshot): Promise<ProcessResult> {
    return this.hookCall("onFill", snapshot, () => this.options.sandbox.fill(fill, snapshot));
  }

  /** Runs onStop (when the plugin has it) and marks the instance stopped. */
  async stop(snapshot: Snapshot): Promise<ProcessResult> {
    const result = await this.hookCall("onStop", snapshot, () => this.options.sandbox.stop(snapshot));
    this.stopped = true;
    await reportState(this.options.bus, this.options.strategyId, "stopped");
    return result;
  }

  private async hookCall(
    hook: "onFill" | "onStop",
    snapshot: Snapshot,
    call: () => Promise<SandboxOutput>,
  ): Promise<ProcessResult> {
    const reachedIndex = this.last ? this.last.step + 1 : 0;
    if (!this.options.sandbox.hooks.includes(hook) || this.options.sandbox.status !== "ready")
      return { intents: [], reachedIndex };
    this.lastSnapshot = snapshot;
    const out = await call();
    const saving = this.absorb(out);
    if (saving) await saving;
    if (out.failure) return { intents: [], reachedIndex, failed: out.failure };
    if (out.intents.length === 0) return { intents: [], reachedIndex };
    if (!this.last)
      return {
        intents: [],
        reachedIndex,
        failed: { cause: "invalid-output", message: `${hook} asked for an order before any candle` },
      };
    const emitted = await this.emitter.emit(out.intents, this.last.timeline, this.last.step);
    return emitted.failed
      ? { intents: [], reachedIndex, failed: emitted.failed }
      : { intents: emitted.intents, reachedIndex };
  }

  /** An onCandles plugin over steps [from, end): batch after batch, collecting the targets. */
  private async processTargets(
    timeline: Timeline,
    start: number,
    end: number,
    options: ProcessOptions,
  ): Promise<ProcessResult> {
    const targets: EmittedTarget[] = [];
    const first = this.timelines.firstSteps(timeline);
    let from = start;
    while (from < end) {
      const out = await this.batch(timeline, from, end, false, options.snapshot);
      if (out.failure) return { intents: [], targets, reachedIndex: from, failed: out.failure };
      const batch = out.targets ?? [];
      for (const t of batch) {
        const symbol = t.target.symbol;
        if (t.step < (first[timeline.symbols.indexOf(symbol)] as number) && !this.liveTargets.seen(symbol)) {
          const message = `a target for ${symbol} before any candle of it`;
          return { intents: [], targets, reachedIndex: from, failed: { cause: "invalid-output", message } };
        }
      }
      for (const t of batch) targets.push(t);
      from = out.reached as number;
      this.last = { timeline, step: from - 1 };
    }
    return { intents: [], targets, reachedIndex: Math.max(from, end) };
  }

  /**
   * One entry into the sandbox from step `from`: a per-candle batch up to the end of the loaded window
   * (or the batch size), an onCandles batch with a window of its own.
   */
  private async batch(
    timeline: Timeline,
    from: number,
    end: number,
    warmup: boolean,
    snapshot: Snapshot,
  ): Promise<SandboxOutput> {
    const { sandbox, symbols } = this.options;
    const targets = this.usesTargets;
    const { to, window } = targets
      ? this.plan.fresh(timeline, from, end, this.targetStepsCap)
      : this.plan.next(timeline, from, end);
    // The CPU budget: cpuMsPerCall for every hook call the batch may make; for onCandles, for every candle.
    const hooksPerStep = symbols.length + (sandbox.hooks.includes("onBar") ? 1 : 0);
    const started = performance.now();
    const out = await sandbox.run({
      from,
      to,
      warmup,
      snapshot,
      hookCalls: (to - from) * hooksPerStep,
      ...(window ? { window } : {}),
    });
    if (out.failure) this.plan.forget();
    else this.plan.learn(performance.now() - started, (out.reached as number) - from);
    const saving = this.absorb(out);
    if (saving) await saving;
    return out;
  }

  /** The candle a target's orders refer to when the caller has none: its step's, or the latest before. */
  private targetCandle(t: EmittedTarget): Candle {
    const symbol = t.target.symbol;
    const last = this.last;
    const s = last && this.liveSteps === 0 ? last.timeline.symbols.indexOf(symbol) : -1;
    const candle =
      last && s >= 0 ? (candleAt(last.timeline, s, t.step) ?? lastCandleAt(last.timeline, s, t.step)) : undefined;
    const latest = candle ?? this.liveTargets.candleOf(t);
    if (!latest) throw new Error(`${this.options.strategyId}: no candle of ${symbol} for the target at step ${t.step}`);
    return latest;
  }

  /** Logs to the callback, state to the store; a promise only when there is state to save. */
  private absorb(out: SandboxOutput): Promise<void> | undefined {
    const { onLog, strategyId } = this.options;
    if (onLog) for (const line of out.logs) onLog({ ...line, strategyId });
    return out.state === undefined ? undefined : this.saveState(out.state);
  }

  private async saveState(state: string): Promise<void> {
    const { onLog, saveState, strategyId } = this.options;
    this.state = state;
    try {
      await saveState?.(strategyId, state);
    } catch (error) {
      const message = `saving ctx.state failed: ${error instanceof Error ? error.message : error}`;
      onLog?.({ strategyId, level: "warn", message });
    }
  }

  private async initialize(
    snapshot: Snapshot,
    warmup: SeriesInput | undefined,
    before: number | undefined,
  ): Promise<PluginFailureInfo | undefined> {
    this.plan.forget();
    const { sandbox, params, symbols, loadWarmup } = this.options;
    const out = await sandbox.init({ params, symbols, state: this.state, snapshot });
    const saving = this.absorb(out);
    if (saving) await saving;
    if (out.failure) return out.failure;
    const count = this.options.warmup ?? 0;
    if (count === 0) return undefined;
    const data = warmup ?? (loadWarmup ? await loadWarmup({ symbols, count, before }) : undefined);
    if (!data) return undefined;
    const timeline = this.timelines.of(data);
    let from = Math.max(0, timeline.length - count);
    while (from < timeline.length) {
      const batch = await this.batch(timeline, from, timeline.length, true, snapshot);
      if (batch.failure) return batch.failure;
      from = batch.reached as number;
    }
    return undefined;
  }

  /** After the sandbox re-created a crashed isolate: init again with the saved state, warm up again. */
  private async reinitialize(): Promise<void> {
    const snapshot = this.lastSnapshot ?? { cash: 0, allocation: 0 };
    const lastTime = this.last ? (this.last.timeline.time[this.last.step] as number) : undefined;
    await this.initialize(snapshot, undefined, lastTime === undefined ? undefined : lastTime + 1);
  }
}
