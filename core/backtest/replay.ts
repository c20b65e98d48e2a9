import type { SimulatedClock } from "../clock.ts";
import type { PluginFailureInfo } from "../plugins/sandbox/failure.ts";
import { candleAt, type Timeline } from "../strategy/timeline.ts";
import { deliverFills, handleEmitted, type StepResult, type StrategySession, stepResult } from "../trading/session.ts";
import type { TradingAccount } from "../trading/types.ts";
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
 * Replays the timeline through the account and the strategy in the order live keeps for every candle
 * (core/trading's dispatchCandle: the account's candle first, then the strategy, then its intents), but
 * batched: the runner enters its isolate once for a whole run of candles, up to the first step that
 * asks for something or the first at which the host must act (`account.nextEvent`: a stop that would
 * fire, an order resting, an intent waiting for an open). Between those, the account only marks, moves
 * trailing stops and records equity (`skipCandles`), which commutes with the strategy's candles because
 * neither sees the other until the next intent. The parity test holds this to the event-by-event path.
 *
 * Per loop turn, `next` is the first step neither side has seen:
 * 1. the host's part of step `next` (clock at its open time): each symbol's candle through the account
 *    (intents waiting for this open, stops, marks), fills to the strategy's onFill;
 * 2. the runner from `next` up to the barrier; it stops after the first step with intents;
 * 3. the host's quiet part of the steps the runner ran after `next`;
 * 4. the intents, at the clock of their step, and their fills to onFill.
 * Returns the plugin's failure, if it failed.
 */
export async function replay(ctx: ReplayContext): Promise<PluginFailureInfo | undefined> {
  const { account, session, timeline, clock, recorder } = ctx;
  const { symbols, columns } = timeline;
  const n = timeline.length;
  const every = Math.max(1, Math.floor(n / 200));
  let progress = every;
  const onEquity = (i: number, equity: number, cash: number) => recorder.point(i, equity, cash);
  let next = 0;
  while (next < n) {
    clock.set(timeline.time[next] as number);
    const host = stepResult();
    for (let s = 0; s < symbols.length; s++) {
      const candle = candleAt(timeline, s, next);
      if (!candle) continue;
      const happened = await account.onCandle(symbols[s] as string, candle);
      host.outcomes.push(...happened.outcomes);
      if (happened.fills.length === 0) continue;
      host.fills.push(...happened.fills);
      await deliverFills(account, session, happened.fills, host);
    }
    const hostFailure = settle(recorder, host);
    if (hostFailure) return hostFailure;
    const after = account.valuation();
    recorder.point(next, after.equity, after.cash);

    let barrier = n;
    for (let s = 0; s < symbols.length && barrier > next + 1; s++) {
      barrier = account.nextEvent(symbols[s] as string, columns[s] as Timeline["columns"][number], next + 1, barrier);
    }
    const r = await session.runner.processCandles(timeline, {
      from: next,
      barrier,
      snapshot: account.snapshotFor(session.strategy),
    });
    if (r.failed) return r.failed;
    const reached = r.reachedIndex;
    skip(account, timeline, next + 1, reached, onEquity);
    if (r.intents.length > 0) {
      const at = reached - 1;
      clock.set(timeline.time[at] as number);
      const step = stepResult();
      await handleEmitted(account, session, r.intents, step);
      const failure = settle(recorder, step);
      if (failure) return failure;
      const v = account.valuation();
      recorder.point(at, v.equity, v.cash);
    }
    next = reached;
    if (ctx.onProgress && next >= progress) {
      ctx.onProgress(next, n);
      progress = next + every;
    }
  }
  ctx.onProgress?.(n, n);
  return undefined;
}

/** The host's part of quiet steps [from, to): one tight loop for one symbol, step by step for several. */
function skip(
  account: TradingAccount,
  timeline: Timeline,
  from: number,
  to: number,
  onEquity: (i: number, equity: number, cash: number) => void,
): void {
  if (!(to > from)) return;
  const { symbols, columns } = timeline;
  if (symbols.length === 1) {
    account.skipCandles(symbols[0] as string, columns[0] as Timeline["columns"][number], from, to, onEquity);
    return;
  }
  for (let i = from; i < to; i++) {
    for (let s = 0; s < symbols.length; s++) {
      account.skipCandles(symbols[s] as string, columns[s] as Timeline["columns"][number], i, i + 1, onEquity);
    }
  }
}

function settle(recorder: RunRecorder, step: StepResult): PluginFailureInfo | undefined {
  recorder.collect(step);
  return step.failures[0]?.failure;
}
