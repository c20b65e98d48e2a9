import type { PluginFailureInfo } from "../plugins/sandbox/failure.ts";
import type { ProcessResult } from "../strategy/runner.ts";
import type { EmittedTarget } from "../strategy/targets.ts";
import { candleAt } from "../strategy/timeline.ts";
import { handleTargets, stepResult } from "../trading/session.ts";
import { hostStep, nextHostEvent, Progress, recordEquity, settle, skipQuiet } from "./host-steps.ts";
import type { ReplayContext } from "./replay.ts";

/** Steps the runner is asked for at once: the plugin's part runs ahead of the host by at most this. */
const CHUNK_STEPS = 1 << 17;

/**
 * Replays the timeline for an onCandles strategy. Such a plugin never reads the host's state (it asks
 * for targets, not orders), so its part of the run does not wait for the host: the runner goes through
 * a chunk of steps in as few isolate entries as its window allows, and the host then walks the same
 * steps, resolving each target against the position it holds when it reaches that step. The host's
 * walk is the one replay() makes (a full step where the account must act, the quiet steps in one loop
 * between), so a target at step t is handled exactly where a per-candle plugin's intents at step t
 * would be: after the host's part of step t, at t's clock. The parity test holds the two replays to the
 * same fills.
 * Returns the plugin's failure, if it failed.
 */
export async function replayTargets(ctx: ReplayContext): Promise<PluginFailureInfo | undefined> {
  const { account, session, timeline } = ctx;
  const n = timeline.length;
  const progress = new Progress(n, ctx.onProgress);
  // The host has handled every step before `next`; step `next` gets the account's whole candle.
  let next = 0;
  const advance = async (stop: number): Promise<PluginFailureInfo | undefined> => {
    while (next < stop) {
      const failure = await hostStep(ctx, next);
      if (failure) return failure;
      const barrier = next + 1 < stop ? nextHostEvent(ctx, next + 1, stop) : stop;
      skipQuiet(ctx, next + 1, barrier);
      next = barrier;
      progress.at(next);
    }
    return undefined;
  };
  const ask = (from: number): Promise<ProcessResult> =>
    session.runner.processCandles(timeline, {
      from,
      to: Math.min(n, from + CHUNK_STEPS),
      snapshot: account.snapshotFor(session.strategy),
    });
  let asked: Promise<ProcessResult> | undefined = ask(0);
  for (let from = 0; asked; ) {
    const r: ProcessResult = await asked;
    const to = Math.min(n, from + CHUNK_STEPS);
    // The plugin goes on with the next chunk (on isolated-vm's thread for a big one) while this one's
    // targets go through the host: neither waits for the other, and the order of events is unchanged.
    asked = to < n && !r.failed ? ask(to) : undefined;
    const targets = r.targets ?? [];
    for (let k = 0; k < targets.length; ) {
      const at = (targets[k] as EmittedTarget).step;
      let end = k + 1;
      while (end < targets.length && (targets[end] as EmittedTarget).step === at) end++;
      const failure = (await advance(at + 1)) ?? (await resolve(ctx, targets.slice(k, end), at));
      if (failure) {
        await settleAsked(asked);
        return failure;
      }
      k = end;
    }
    // The targets before a plugin's failure still count: the failure comes after them.
    if (r.failed) return r.failed;
    if (r.reachedIndex !== to) throw new Error(`the runner stopped at step ${r.reachedIndex} of [${from}, ${to})`);
    from = to;
  }
  const failure = await advance(n);
  if (failure) return failure;
  progress.done();
  return undefined;
}

/** The targets of step `at`, at its clock, after the host's part of it. */
async function resolve(
  ctx: ReplayContext,
  targets: readonly EmittedTarget[],
  at: number,
): Promise<PluginFailureInfo | undefined> {
  ctx.clock.set(ctx.timeline.time[at] as number);
  const step = stepResult();
  const { timeline } = ctx;
  const candleOf = (t: EmittedTarget) => candleAt(timeline, timeline.symbols.indexOf(t.target.symbol), t.step);
  const sent = await handleTargets(ctx.account, ctx.session, targets, candleOf, step);
  const failure = settle(ctx, step);
  if (failure) return failure;
  if (sent > 0) recordEquity(ctx, at);
  return undefined;
}

/** Lets a chunk still being computed finish before the run ends (its failure, if any, is not news). */
async function settleAsked(asked: Promise<ProcessResult> | undefined): Promise<void> {
  await asked?.catch(() => undefined);
}
