import type { Maybe } from "../execution/maybe.ts";
import type { PluginFailureInfo } from "../plugins/sandbox/failure.ts";
import { candleAt, type Timeline } from "../strategy/timeline.ts";
import { deliverFills, type StepResult, stepResult } from "../trading/session.ts";
import type { CandleOutcome } from "../trading/types.ts";
import type { ReplayContext } from "./replay.ts";

/**
 * The host's whole part of step `i` (clock at its open time): each symbol's candle through the
 * account (intents waiting for this open, stops, marks), the fills to the strategy's onFill, and the
 * equity after it. Returns the plugin's failure, if onFill failed; without a promise when nothing on
 * the way needed one (a backtest's in-memory venue, a plugin without onFill).
 */
export function hostStep(ctx: ReplayContext, i: number): Maybe<PluginFailureInfo | undefined> {
  ctx.clock.set(ctx.timeline.time[i] as number);
  return symbolsFrom(ctx, i, 0, stepResult());
}

function symbolsFrom(
  ctx: ReplayContext,
  i: number,
  from: number,
  host: StepResult,
): Maybe<PluginFailureInfo | undefined> {
  const { account, timeline } = ctx;
  for (let s = from; s < timeline.symbols.length; s++) {
    const candle = candleAt(timeline, s, i);
    if (!candle) continue;
    const happened = account.onCandle(timeline.symbols[s] as string, candle);
    const delivered =
      happened instanceof Promise ? happened.then((h) => afterCandle(ctx, host, h)) : afterCandle(ctx, host, happened);
    if (delivered instanceof Promise) return delivered.then(() => symbolsFrom(ctx, i, s + 1, host));
  }
  const failure = settle(ctx, host);
  if (failure) return failure;
  recordEquity(ctx, i);
  return undefined;
}

function afterCandle(ctx: ReplayContext, host: StepResult, happened: CandleOutcome): Maybe<void> {
  for (const outcome of happened.outcomes) host.outcomes.push(outcome);
  if (happened.fills.length === 0) return undefined;
  for (const fill of happened.fills) host.fills.push(fill);
  return deliverFills(ctx.account, ctx.session, happened.fills, host);
}

/** The first step in [from, to) at which the account must see the candles; `to` when none. */
export function nextHostEvent(ctx: ReplayContext, from: number, to: number): number {
  const { account, timeline } = ctx;
  let barrier = to;
  for (let s = 0; s < timeline.symbols.length && barrier > from; s++) {
    barrier = account.nextEvent(timeline.symbols[s] as string, columnsOf(timeline, s), from, barrier);
  }
  return barrier;
}

/** The host's part of quiet steps [from, to): one tight loop for one symbol, step by step for several. */
export function skipQuiet(ctx: ReplayContext, from: number, to: number): void {
  if (!(to > from)) return;
  const { account, timeline, recorder } = ctx;
  const into = recorder.columns();
  const { symbols } = timeline;
  if (symbols.length === 1) {
    account.skipCandles(symbols[0] as string, columnsOf(timeline, 0), from, to, into);
    return;
  }
  for (let i = from; i < to; i++) {
    for (let s = 0; s < symbols.length; s++) {
      account.skipCandles(symbols[s] as string, columnsOf(timeline, s), i, i + 1, into);
    }
  }
}

/** Collects what a step did; the first plugin failure in it, if any. */
export function settle(ctx: ReplayContext, step: StepResult): PluginFailureInfo | undefined {
  ctx.recorder.collect(step);
  return step.failures[0]?.failure;
}

/** Equity and cash after step `i`, at the current marks. */
export function recordEquity(ctx: ReplayContext, i: number): void {
  const v = ctx.account.valuation();
  ctx.recorder.point(i, v.equity, v.cash);
}

/** Reports progress about 200 times a run. */
export class Progress {
  private readonly every: number;
  private due: number;

  constructor(
    private readonly total: number,
    private readonly report: ((done: number, total: number) => void) | undefined,
  ) {
    this.every = Math.max(1, Math.floor(total / 200));
    this.due = this.every;
  }

  at(done: number): void {
    if (!this.report || done < this.due) return;
    this.report(done, this.total);
    this.due = done + this.every;
  }

  done(): void {
    this.report?.(this.total, this.total);
  }
}

function columnsOf(timeline: Timeline, s: number): Timeline["columns"][number] {
  return timeline.columns[s] as Timeline["columns"][number];
}
