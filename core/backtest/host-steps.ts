import type { PluginFailureInfo } from "../plugins/sandbox/failure.ts";
import { candleAt, type Timeline } from "../strategy/timeline.ts";
import { deliverFills, type StepResult, stepResult } from "../trading/session.ts";
import type { ReplayContext } from "./replay.ts";

/**
 * The host's whole part of step `i` (clock at its open time): each symbol's candle through the
 * account (intents waiting for this open, stops, marks), the fills to the strategy's onFill, and the
 * equity after it. Returns the plugin's failure, if onFill failed.
 */
export async function hostStep(ctx: ReplayContext, i: number): Promise<PluginFailureInfo | undefined> {
  const { account, session, timeline, clock, recorder } = ctx;
  clock.set(timeline.time[i] as number);
  const host = stepResult();
  for (let s = 0; s < timeline.symbols.length; s++) {
    const candle = candleAt(timeline, s, i);
    if (!candle) continue;
    const happened = await account.onCandle(timeline.symbols[s] as string, candle);
    host.outcomes.push(...happened.outcomes);
    if (happened.fills.length === 0) continue;
    host.fills.push(...happened.fills);
    await deliverFills(account, session, happened.fills, host);
  }
  const failure = settle(ctx, host);
  if (failure) return failure;
  recordEquity(ctx, i);
  return undefined;
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
  const onEquity = (i: number, equity: number, cash: number) => recorder.point(i, equity, cash);
  const { symbols } = timeline;
  if (symbols.length === 1) {
    account.skipCandles(symbols[0] as string, columnsOf(timeline, 0), from, to, onEquity);
    return;
  }
  for (let i = from; i < to; i++) {
    for (let s = 0; s < symbols.length; s++) {
      account.skipCandles(symbols[s] as string, columnsOf(timeline, s), i, i + 1, onEquity);
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
