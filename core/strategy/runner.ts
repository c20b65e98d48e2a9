import type { Bus } from "../bus/bus.ts";
import type { Candle, CandleColumns } from "../domain/candle.ts";
import type { OrderIntent } from "../domain/order.ts";
import type { ParamValue } from "../plugins/manifest-schema.ts";
import type { PluginFailureInfo } from "../plugins/sandbox/failure.ts";
import type { SandboxHandle } from "../plugins/sandbox/handle.ts";
import { FIELDS_PER_SYMBOL } from "../plugins/sandbox/isolate/limits.ts";
import type { PluginLogLine, RawIntent, SandboxOutput } from "../plugins/sandbox/output.ts";
import type { CandleWindow, FillEvent, Snapshot } from "../plugins/sandbox/protocol.ts";
import { reportState } from "../plugins/sandbox/report.ts";
import { IntentIds, toOrderIntent } from "./intents.ts";
import { LiveSteps } from "./live-steps.ts";
import { buildTimeline, type CandleSeries, candleAt, lastCandleAt, packWindow, type Timeline } from "./timeline.ts";

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
  /** The next step to process: every step before it ran. */
  readonly reachedIndex: number;
  readonly failed?: PluginFailureInfo;
}

export type RunnerStatus = "created" | "running" | "stopped" | "failed" | "restarting" | "disabled";

const DEFAULT_WINDOW_BYTES = 1024 * 1024;

/**
 * Runs one strategy instance over candles, entering its sandbox in batches: a range of steps goes in
 * as one call, the bootstrap runs the hooks candle by candle and returns at the first step that asked
 * for intents, with the step reached. The host then applies what the intents cause (fills, positions)
 * and calls again from the next step with a fresh snapshot. Every position change stays exact and
 * host-side while the isolate is entered once per intent rather than once per candle; a batch of one
 * step behaves identically, which is what live and paper use (onCandleEvent).
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
  private readonly timelines = new WeakMap<object, Timeline>();
  private readonly ids: IntentIds;
  private readonly live: LiveSteps;
  private readonly windowSteps: number;
  private loaded: { timeline: Timeline; start: number; steps: number } | undefined;
  private maxSteps = 1024;
  private msPerStep: number | undefined;
  private last: { timeline: Timeline; step: number } | undefined;
  private lastSnapshot: Snapshot | undefined;
  private state: string | null;
  private started = false;
  private stopped = false;
  private liveSteps = 0;

  constructor(private readonly options: StrategyRunnerOptions) {
    this.ids = new IntentIds(options.strategyId);
    this.live = new LiveSteps(options.symbols);
    this.state = options.state ?? null;
    const perStep = 8 * (1 + FIELDS_PER_SYMBOL * options.symbols.length);
    this.windowSteps = Math.max(
      1,
      Math.min(1 << 16, Math.floor((options.windowBytes ?? DEFAULT_WINDOW_BYTES) / perStep)),
    );
    if (options.batchSteps !== undefined) this.maxSteps = Math.max(1, options.batchSteps);
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
   * first. Publishes each intent on the bus as `strategy.intent` with its candle.
   */
  async processCandles(
    series: Timeline | CandleColumns | Readonly<Record<string, CandleSeries>>,
    options: ProcessOptions,
  ): Promise<ProcessResult> {
    const timeline = this.timelineOf(series);
    this.lastSnapshot = options.snapshot;
    let from = options.from ?? 0;
    const end = Math.min(options.to ?? timeline.length, options.barrier ?? Number.POSITIVE_INFINITY, timeline.length);
    while (from < end) {
      const out = await this.batch(timeline, from, end, false, options.snapshot);
      if (out.failure) return { intents: [], reachedIndex: out.reached ?? from, failed: out.failure };
      const reached = out.reached as number;
      this.last = { timeline, step: reached - 1 };
      if (out.intents.length > 0) {
        const emitted = await this.emit(out.intents, timeline, reached - 1);
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
    for (const step of this.live.add(symbol, candle)) {
      const result = await this.processCandles(step, { from: 0, snapshot });
      intents.push(...result.intents.map((e) => ({ ...e, step: this.liveSteps })));
      this.liveSteps++;
      if (result.failed) return { intents, reachedIndex: this.liveSteps, failed: result.failed };
    }
    return { intents, reachedIndex: this.liveSteps };
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
    const emitted = await this.emit(out.intents, this.last.timeline, this.last.step);
    return emitted.failed
      ? { intents: [], reachedIndex, failed: emitted.failed }
      : { intents: emitted.intents, reachedIndex };
  }

  /** One entry into the sandbox for steps [from, min(end, window end, from + maxSteps)). */
  private async batch(
    timeline: Timeline,
    from: number,
    end: number,
    warmup: boolean,
    snapshot: Snapshot,
  ): Promise<SandboxOutput> {
    const window = this.windowFor(timeline, from);
    const loaded = this.loaded as { start: number; steps: number };
    const to = Math.min(end, loaded.start + loaded.steps, from + this.maxSteps);
    const hooksPerStep = this.options.symbols.length + (this.options.sandbox.hooks.includes("onBar") ? 1 : 0);
    const started = performance.now();
    const out = await this.options.sandbox.run({
      from,
      to,
      warmup,
      snapshot,
      hookCalls: (to - from) * hooksPerStep,
      ...(window ? { window } : {}),
    });
    if (out.failure) this.loaded = undefined;
    else this.learnSpeed(performance.now() - started, (out.reached as number) - from);
    const saving = this.absorb(out);
    if (saving) await saving;
    return out;
  }

  /** The window to send with this batch, when the loaded one does not hold step `from`. */
  private windowFor(timeline: Timeline, from: number): CandleWindow | undefined {
    const l = this.loaded;
    if (l && l.timeline === timeline && from >= l.start && from < l.start + l.steps) return undefined;
    const steps = Math.min(this.windowSteps, timeline.length - from);
    this.loaded = { timeline, start: from, steps };
    return { start: from, steps, data: packWindow(timeline, from, steps) };
  }

  /** Sizes the next batches to take about targetBatchMs; batching is exact, so this only tunes speed. */
  private learnSpeed(elapsedMs: number, steps: number): void {
    if (steps <= 0 || this.options.batchSteps !== undefined) return;
    const perStep = elapsedMs / steps;
    this.msPerStep = this.msPerStep === undefined ? perStep : 0.8 * this.msPerStep + 0.2 * perStep;
    const target = this.options.targetBatchMs ?? 100;
    this.maxSteps = Math.max(16, Math.min(this.windowSteps, Math.floor(target / Math.max(this.msPerStep, 1e-6))));
  }

  private async emit(
    raws: readonly RawIntent[],
    timeline: Timeline,
    step: number,
  ): Promise<{ intents: EmittedIntent[]; failed?: PluginFailureInfo }> {
    const intents: EmittedIntent[] = [];
    for (const raw of raws) {
      const s = timeline.symbols.indexOf(raw.symbol);
      const candle = candleAt(timeline, s, step) ?? lastCandleAt(timeline, s, step);
      if (!candle)
        return {
          intents: [],
          failed: { cause: "invalid-output", message: `an intent for ${raw.symbol} before any candle of it` },
        };
      const id = this.ids.next(raw.symbol, candle.time);
      const intent = toOrderIntent(raw, id, this.options.strategyId, candle.time);
      intents.push({ intent, candle, step });
    }
    const bus = this.options.bus;
    if (bus) for (const { intent, candle } of intents) await bus.publish("strategy.intent", { intent, candle });
    return { intents };
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
    warmup: Readonly<Record<string, CandleSeries>> | Timeline | undefined,
    before: number | undefined,
  ): Promise<PluginFailureInfo | undefined> {
    this.loaded = undefined;
    const { sandbox, params, symbols, loadWarmup } = this.options;
    const out = await sandbox.init({ params, symbols, state: this.state, snapshot });
    const saving = this.absorb(out);
    if (saving) await saving;
    if (out.failure) return out.failure;
    const count = this.options.warmup ?? 0;
    if (count === 0) return undefined;
    const data = warmup ?? (loadWarmup ? await loadWarmup({ symbols, count, before }) : undefined);
    if (!data) return undefined;
    const timeline = this.timelineOf(data);
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

  private timelineOf(series: Timeline | CandleColumns | Readonly<Record<string, CandleSeries>>): Timeline {
    if (isTimeline(series)) return series;
    const cached = this.timelines.get(series);
    if (cached) return cached;
    const symbols = this.options.symbols;
    const timeline = isColumns(series)
      ? buildTimeline({ [symbols[0] as string]: series }, symbols.slice(0, 1))
      : buildTimeline(series as Readonly<Record<string, CandleSeries>>, symbols);
    this.timelines.set(series, timeline);
    return timeline;
  }
}

function isTimeline(value: object): value is Timeline {
  return "columns" in value && "symbols" in value && "length" in value;
}

function isColumns(value: object): value is CandleColumns {
  return "close" in value && (value as CandleColumns).close instanceof Float64Array;
}
