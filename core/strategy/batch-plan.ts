import { FIELDS_PER_SYMBOL } from "../plugins/sandbox/isolate/limits.ts";
import type { CandleWindow } from "../plugins/sandbox/protocol.ts";
import { packWindow, type Timeline } from "./timeline.ts";

/** How the runner batches: the window size in steps, and a fixed or adaptive batch size. */
export interface BatchPlanOptions {
  readonly windowSteps: number;
  /** Fixed most steps per batch; adaptive when absent. */
  readonly batchSteps?: number;
  /** Adaptive batches are sized to take about this long. */
  readonly targetBatchMs: number;
}

/**
 * Steps in a window of at most `bytes` of candles of `symbols` symbols (at least 1, at most 65536).
 * @example windowSteps(1024 * 1024, 1) // 21845
 */
export function windowSteps(bytes: number, symbols: number): number {
  const perStep = 8 * (1 + FIELDS_PER_SYMBOL * symbols);
  return Math.max(1, Math.min(1 << 16, Math.floor(bytes / perStep)));
}

/** One entry's steps [from, to) and the window to send with it, when the isolate does not hold one. */
export interface PlannedBatch {
  readonly to: number;
  readonly window?: CandleWindow;
}

/**
 * Decides what each entry into the sandbox covers: which steps, and which window of candles goes with it.
 * A per-candle plugin keeps a window loaded across entries (they stop at every intent); an onCandles
 * plugin gets a window of its own with every batch, since it is handed views into it that it may write.
 * Batch sizes adapt to the plugin's speed so a batch stays within its CPU budget; batching is exact, so
 * this only tunes speed.
 * @example const plan = new BatchPlan({ windowSteps: 21845, targetBatchMs: 100 }); plan.next(timeline, 0, n)
 */
export class BatchPlan {
  private loaded: { timeline: Timeline; start: number; steps: number } | undefined;
  private maxSteps: number;
  private msPerStep: number | undefined;

  constructor(private readonly options: BatchPlanOptions) {
    this.maxSteps = options.batchSteps === undefined ? 1024 : Math.max(1, options.batchSteps);
  }

  /** The isolate lost its window (a failure, a restart): send one with the next batch. */
  forget(): void {
    this.loaded = undefined;
  }

  /** A per-candle batch from `from`, at most to `end`, within the loaded window (loading one if needed). */
  next(timeline: Timeline, from: number, end: number): PlannedBatch {
    const l = this.loaded;
    let window: CandleWindow | undefined;
    if (!(l && l.timeline === timeline && from >= l.start && from < l.start + l.steps)) {
      const steps = Math.min(this.options.windowSteps, timeline.length - from);
      this.loaded = { timeline, start: from, steps };
      window = { start: from, steps, data: packWindow(timeline, from, steps) };
    }
    const loaded = this.loaded as { start: number; steps: number };
    const to = Math.min(end, loaded.start + loaded.steps, from + this.maxSteps);
    return window ? { to, window } : { to };
  }

  /** An onCandles batch from `from`, at most `cap` steps and to `end`: exactly its own window. */
  fresh(timeline: Timeline, from: number, end: number, cap: number): PlannedBatch & { window: CandleWindow } {
    const steps = Math.max(1, Math.min(this.options.windowSteps, this.maxSteps, cap, end - from));
    // The window is the plugin's to read (and scribble on); nothing later reuses it.
    this.loaded = undefined;
    return { to: from + steps, window: { start: from, steps, data: packWindow(timeline, from, steps) } };
  }

  /** A batch of `steps` took `elapsedMs`: size the next ones to take about targetBatchMs. */
  learn(elapsedMs: number, steps: number): void {
    if (steps <= 0 || this.options.batchSteps !== undefined) return;
    const perStep = elapsedMs / steps;
    this.msPerStep = this.msPerStep === undefined ? perStep : 0.8 * this.msPerStep + 0.2 * perStep;
    const target = this.options.targetBatchMs;
    this.maxSteps = Math.max(
      16,
      Math.min(this.options.windowSteps, Math.floor(target / Math.max(this.msPerStep, 1e-6))),
    );
  }
}
