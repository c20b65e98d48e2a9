import type { Candle } from "../domain/candle.ts";
import type { PluginFailureInfo } from "../plugins/sandbox/failure.ts";
import type { ProcessResult } from "../strategy/runner.ts";
import type { EmittedTarget } from "../strategy/targets.ts";
import { candleAt } from "../strategy/timeline.ts";
import { handleTargets, stepResult } from "../trading/session.ts";
import { hostStep, nextHostEvent, Progress, recordEquity, settle, skipQuiet } from "./host-steps.ts";
import type { ReplayContext } from "./replay.ts";

/**
 * Steps the runner is asked for at once: the plugin's part runs ahead of the host by at most this. The
 * first chunks are smaller, since the host waits for the first one before it can start.
 */
const CHUNK_STEPS = 1 << 17;
const FIRST_CHUNK_STEPS = 1 << 14;

/**
 * Steps the host walks between turns of the event loop while the plugin works on the next chunk. The
 * runner enters the isolate a window (about 21k candles) at a time, and each window's answer reaches it
 * only when this thread's event loop turns: a host that never yields would leave the plugin idle after
 * its first window, and wait for the rest at the chunk's end. A turn costs microseconds; a window, ms.
 */
const YIELD_STEPS = 1 << 13;

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The chunk after one that started at `from` (the first starts at 0). */
function chunkEnd(from: number, n: number): number {
  return Math.min(n, from + Math.min(CHUNK_STEPS, Math.max(FIRST_CHUNK_STEPS, from)));
}

/**
 * Replays the timeline for an onCandles strategy. Such a plugin never reads the host's state (it asks
 * for targets, not orders), so its part of the run does not wait for the host: the runner goes through
 * a chunk of steps in as few isolate entries as its window allows, on isolated-vm's thread, while the
 * host walks the chunk before, resolving each target against the position it holds when it reaches that
 * step. The host's walk is the one replay() makes (a full step where the account must act, the quiet
 * steps in one loop between), so a target at step t is handled exactly where a per-candle plugin's
 * intents at step t would be: after the host's part of step t, at t's clock. The parity tests hold the
 * two replays to the same fills.
 * Returns the plugin's failure, if it failed.
 */
export function replayTargets(ctx: ReplayContext): Promise<PluginFailureInfo | undefined> {
  return new TargetReplay(ctx).run();
}

// A class rather than closures: the host's part answers without promises for tens of thousands of
// targets, and a closure made per target would cost more than the work it wraps.
class TargetReplay {
  private readonly n: number;
  private readonly progress: Progress;
  /** The host has handled every step before `next`; step `next` gets the account's whole candle. */
  private next = 0;
  /** The host lets the event loop turn when it reaches this step (see YIELD_STEPS). */
  private yieldAt = 0;

  constructor(private readonly ctx: ReplayContext) {
    this.n = ctx.timeline.length;
    this.progress = new Progress(this.n, ctx.onProgress);
  }

  async run(): Promise<PluginFailureInfo | undefined> {
    let asked: Promise<ProcessResult> | undefined = this.ask(0);
    for (let from = 0; asked; ) {
      const r: ProcessResult = await asked;
      const to = chunkEnd(from, this.n);
      // The plugin goes on with the next chunk while this one's targets go through the host: neither
      // waits for the other, and the order of events is unchanged.
      asked = to < this.n && !r.failed ? this.ask(to) : undefined;
      const targets = r.targets ?? [];
      for (let k = 0; k < targets.length; ) {
        const at = (targets[k] as EmittedTarget).step;
        let end = k + 1;
        while (end < targets.length && (targets[end] as EmittedTarget).step === at) end++;
        if (asked && at >= this.yieldAt) {
          this.yieldAt = at + YIELD_STEPS;
          await turn();
        }
        let failure = this.advance(at + 1);
        if (failure instanceof Promise) failure = await failure;
        if (!failure) {
          const resolved = this.resolve(targets.slice(k, end), at);
          failure = resolved instanceof Promise ? await resolved : resolved;
        }
        if (failure) {
          await asked?.catch(() => undefined); // let a chunk in flight finish; its news comes too late
          return failure;
        }
        k = end;
      }
      // The targets before a plugin's failure still count: the failure comes after them.
      if (r.failed) return r.failed;
      if (r.reachedIndex !== to) throw new Error(`the runner stopped at step ${r.reachedIndex} of [${from}, ${to})`);
      from = to;
    }
    const failure = await this.advance(this.n);
    if (failure) return failure;
    this.progress.done();
    return undefined;
  }

  private ask(from: number): Promise<ProcessResult> {
    const { session, account, timeline } = this.ctx;
    return session.runner.processCandles(timeline, {
      from,
      to: chunkEnd(from, this.n),
      snapshot: account.snapshotFor(session.strategy),
    });
  }

  /** The host's part of every step before `stop`; without a promise while the account answers at once. */
  private advance(stop: number): PluginFailureInfo | undefined | Promise<PluginFailureInfo | undefined> {
    const ctx = this.ctx;
    while (this.next < stop) {
      const stepped = hostStep(ctx, this.next);
      if (stepped instanceof Promise) return stepped.then((f) => f ?? this.afterStep(stop));
      if (stepped) return stepped;
      this.quietUntil(stop);
    }
    return undefined;
  }

  private afterStep(stop: number): PluginFailureInfo | undefined | Promise<PluginFailureInfo | undefined> {
    this.quietUntil(stop);
    return this.advance(stop);
  }

  /** After the full step `next`: the quiet steps up to the host's next event (or `stop`). */
  private quietUntil(stop: number): void {
    const from = this.next + 1;
    const barrier = from < stop ? nextHostEvent(this.ctx, from, stop) : stop;
    skipQuiet(this.ctx, from, barrier);
    this.next = barrier;
    this.progress.at(barrier);
  }

  /** The targets of step `at`, at its clock, after the host's part of it. */
  private resolve(
    targets: readonly EmittedTarget[],
    at: number,
  ): PluginFailureInfo | undefined | Promise<PluginFailureInfo | undefined> {
    const ctx = this.ctx;
    ctx.clock.set(ctx.timeline.time[at] as number);
    const step = stepResult();
    const sent = handleTargets(ctx.account, ctx.session, targets, this.candleOf, step);
    if (sent instanceof Promise) return sent.then((count) => this.settled(step, at, count));
    return this.settled(step, at, sent);
  }

  private settled(step: ReturnType<typeof stepResult>, at: number, sent: number): PluginFailureInfo | undefined {
    const failure = settle(this.ctx, step);
    if (failure) return failure;
    if (sent > 0) recordEquity(this.ctx, at);
    return undefined;
  }

  private readonly candleOf = (t: EmittedTarget): Candle | undefined => {
    const { timeline } = this.ctx;
    return candleAt(timeline, timeline.symbols.indexOf(t.target.symbol), t.step);
  };
}
