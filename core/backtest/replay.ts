import type { SimulatedClock } from "../clock.ts";
import type { PluginFailureInfo } from "../plugins/sandbox/failure.ts";
import type { Timeline } from "../strategy/timeline.ts";
import { handleEmitted, type StrategySession, stepResult } from "../trading/session.ts";
import type { TradingAccount } from "../trading/types.ts";
import { hostStep, nextHostEvent, Progress, recordEquity, settle, skipQuiet } from "./host-steps.ts";
import type { RunRecorder } from "./recorder.ts";

export interface ReplayContext {
  readonly account: TradingAccount;
  readonly session: StrategySession;
  readonly timeline: Timeline;
  readonly clock: SimulatedClock;
  readonly recorder: RunRecorder;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Replays the timeline through the account and a per-candle strategy in the order live keeps for every
 * candle (core/trading's dispatchCandle: the account's candle first, then the strategy, then its
 * intents), but batched: the runner enters its isolate once for a whole run of candles, up to the first
 * step that asks for something or the first at which the host must act (`account.nextEvent`: a stop
 * that would fire, an order resting, an intent waiting for an open). Between those, the account only
 * marks, moves trailing stops and records equity (`skipCandles`), which commutes with the strategy's
 * candles because neither sees the other until the next intent. The parity test holds this to the
 * event-by-event path.
 *
 * Per loop turn, `next` is the first step neither side has seen:
 * 1. the host's part of step `next` (hostStep);
 * 2. the runner from `next` up to the barrier; it stops after the first step with intents;
 * 3. the host's quiet part of the steps the runner ran after `next`;
 * 4. the intents, at the clock of their step, and their fills to onFill.
 * Returns the plugin's failure, if it failed.
 */
export async function replay(ctx: ReplayContext): Promise<PluginFailureInfo | undefined> {
  const { account, session, timeline, clock } = ctx;
  const n = timeline.length;
  const progress = new Progress(n, ctx.onProgress);
  let next = 0;
  while (next < n) {
    const hostFailure = await hostStep(ctx, next);
    if (hostFailure) return hostFailure;
    const barrier = next + 1 < n ? nextHostEvent(ctx, next + 1, n) : n;
    const r = await session.runner.processCandles(timeline, {
      from: next,
      barrier,
      snapshot: account.snapshotFor(session.strategy),
    });
    if (r.failed) return r.failed;
    const reached = r.reachedIndex;
    skipQuiet(ctx, next + 1, reached);
    if (r.intents.length > 0) {
      const at = reached - 1;
      clock.set(timeline.time[at] as number);
      const step = stepResult();
      await handleEmitted(account, session, r.intents, step);
      const failure = settle(ctx, step);
      if (failure) return failure;
      recordEquity(ctx, at);
    }
    next = reached;
    progress.at(next);
  }
  progress.done();
  return undefined;
}
