import type { Candle, Fill } from "../domain/index.ts";
import type { Maybe } from "../execution/maybe.ts";
import { type PluginFailureInfo, SandboxUnavailableError } from "../plugins/sandbox/failure.ts";
import type { FillEvent } from "../plugins/sandbox/protocol.ts";
import type { EmittedIntent, StrategyRunner } from "../strategy/runner.ts";
import type { EmittedTarget } from "../strategy/targets.ts";
import type { IntentOutcome, StrategyBinding, TradingAccount } from "./types.ts";

/** One strategy instance on an account: how it trades there, and its runner. */
export interface StrategySession {
  readonly strategy: StrategyBinding;
  readonly runner: StrategyRunner;
  /** The symbols it trades (its runner's), in config order. */
  readonly symbols: readonly string[];
}

/** What a step did, for every strategy on the account. */
export interface StepResult {
  readonly outcomes: IntentOutcome[];
  /** Every fill, in the order it was recorded. */
  readonly fills: Fill[];
  readonly failures: { readonly strategyId: string; readonly failure: PluginFailureInfo }[];
}

/** Rounds of onFill -> intents -> fills within one step before a plugin counts as looping. */
export const MAX_FILL_CHAIN = 8;

/** An empty StepResult to collect into. */
export function stepResult(): StepResult {
  return { outcomes: [], fills: [], failures: [] };
}

/**
 * Live and paper: one closed candle through the account and its strategies, in the order the engine
 * must keep (the backtester keeps it too, batched): the account first (intents waiting for this open,
 * stops, the paper exchange, marks), the fills of that to their strategies' onFill, then each runner
 * that trades the symbol, whose intents go to the account, whose fills go back to onFill.
 * @example const result = await dispatchCandle(account, sessions, "BTC/USDT", candle) // { outcomes, fills, failures }
 */
export async function dispatchCandle(
  account: TradingAccount,
  sessions: readonly StrategySession[],
  symbol: string,
  candle: Candle,
): Promise<StepResult> {
  const result = stepResult();
  const happened = await account.onCandle(symbol, candle);
  result.outcomes.push(...happened.outcomes);
  result.fills.push(...happened.fills);
  for (const session of sessions) {
    await isolated(session, result, () => deliverFills(account, session, happened.fills, result));
  }
  for (const session of sessions) {
    if (!session.symbols.includes(symbol)) continue;
    await isolated(session, result, async () => {
      const r = await session.runner.onCandleEvent(symbol, candle, account.snapshotFor(session.strategy));
      await handleEmitted(account, session, r.intents, result);
      if (r.targets && r.targets.length > 0) {
        // No candle given: the runner knows each live target's own (a candle event can complete an older
        // step, whose candle is not this one).
        await handleTargets(account, session, r.targets, noCandle, result);
      }
      if (r.failed) result.failures.push({ strategyId: session.strategy.id, failure: r.failed });
    });
  }
  return result;
}

const noCandle = (): undefined => undefined;

/**
 * Runs one strategy's part of a step so that its trouble costs the others nothing: a plugin that is
 * restarting sits the candle out (the pool reports it), any other error becomes a failure of that
 * strategy in the result.
 */
async function isolated(session: StrategySession, result: StepResult, work: () => Maybe<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof SandboxUnavailableError) return;
    const message = error instanceof Error ? error.message : String(error);
    result.failures.push({ strategyId: session.strategy.id, failure: { cause: "error", message } });
  }
}

/**
 * A strategy's intents through the account, then the fills they caused to its onFill, then what that
 * asked for, and so on, at most MAX_FILL_CHAIN rounds. Collects into `result`. For a strategy without
 * onFill, it answers without a promise when the account did (a backtest's in-memory venue).
 * @example await handleEmitted(account, session, r.intents, result)
 */
export function handleEmitted(
  account: TradingAccount,
  session: StrategySession,
  emitted: readonly EmittedIntent[],
  result: StepResult,
): Maybe<void> {
  if (session.runner.wantsFills) return handleWithFills(account, session, emitted, result);
  return handleFrom(account, session, emitted, 0, result);
}

/** Intents [from, …) of a strategy without onFill: each outcome and its fills recorded as it comes. */
function handleFrom(
  account: TradingAccount,
  session: StrategySession,
  emitted: readonly EmittedIntent[],
  from: number,
  result: StepResult,
): Maybe<void> {
  for (let k = from; k < emitted.length; k++) {
    const { intent, candle } = emitted[k] as EmittedIntent;
    const outcome = account.handleIntent(intent, candle, session.strategy);
    if (outcome instanceof Promise) {
      return outcome.then((o) => {
        record(result, o);
        return handleFrom(account, session, emitted, k + 1, result);
      });
    }
    record(result, outcome);
  }
  return undefined;
}

function record(result: StepResult, outcome: IntentOutcome): void {
  result.outcomes.push(outcome);
  for (const fill of outcome.fills) result.fills.push(fill);
}

async function handleWithFills(
  account: TradingAccount,
  session: StrategySession,
  emitted: readonly EmittedIntent[],
  result: StepResult,
): Promise<void> {
  let batch = emitted;
  for (let round = 0; batch.length > 0; round++) {
    if (round > MAX_FILL_CHAIN) {
      const message = `onFill kept ordering: over ${MAX_FILL_CHAIN} rounds in one step`;
      result.failures.push({ strategyId: session.strategy.id, failure: { cause: "invalid-output", message } });
      return;
    }
    const fills: Fill[] = [];
    for (const { intent, candle } of batch) {
      const outcome = await account.handleIntent(intent, candle, session.strategy);
      result.outcomes.push(outcome);
      fills.push(...outcome.fills);
    }
    result.fills.push(...fills);
    batch = await onFills(account, session, fills, result);
  }
}

/**
 * An onCandles strategy's targets of one step, one after the other: each is turned into orders against
 * the position the strategy holds once the one before it was handled (so a target never counts on a
 * fill that did not happen), and those orders go through handleEmitted. Returns how many were sent.
 * @example await handleTargets(account, session, r.targets, (t) => candleOf(t), result) // 2: a close, then an entry
 */
export function handleTargets(
  account: TradingAccount,
  session: StrategySession,
  targets: readonly EmittedTarget[],
  candleOf: (target: EmittedTarget) => Candle | undefined,
  result: StepResult,
): Maybe<number> {
  return targetsFrom({ account, session, targets, candleOf, result }, 0, 0);
}

interface TargetWork {
  readonly account: TradingAccount;
  readonly session: StrategySession;
  readonly targets: readonly EmittedTarget[];
  readonly candleOf: (target: EmittedTarget) => Candle | undefined;
  readonly result: StepResult;
}

/** Targets [from, …), `sent` orders so far; without a promise while nothing on the way needs one. */
function targetsFrom(w: TargetWork, from: number, sent: number): Maybe<number> {
  const { account, session, targets } = w;
  for (let k = from; k < targets.length; k++) {
    const t = targets[k] as EmittedTarget;
    const held = account.positionQuantity(session.strategy.id, t.target.symbol);
    const emitted = session.runner.targetIntents(t, held, w.candleOf(t));
    if (emitted instanceof Promise) return emitted.then((e) => afterTarget(w, k, sent, e));
    sent += emitted.length;
    const handled = handleEmitted(account, session, emitted, w.result);
    if (handled instanceof Promise) return handled.then(() => targetsFrom(w, k + 1, sent));
  }
  return sent;
}

function afterTarget(w: TargetWork, k: number, sent: number, emitted: readonly EmittedIntent[]): Maybe<number> {
  const handled = handleEmitted(w.account, w.session, emitted, w.result);
  const total = sent + emitted.length;
  return handled instanceof Promise ? handled.then(() => targetsFrom(w, k + 1, total)) : targetsFrom(w, k + 1, total);
}

/**
 * Fills recorded outside the strategy's own intents (stop exits, orders sent at an open, resting
 * orders) to its onFill, and what that asks for through the account.
 * @example await deliverFills(account, session, candleOutcome.fills, result)
 */
export function deliverFills(
  account: TradingAccount,
  session: StrategySession,
  fills: readonly Fill[],
  result: StepResult,
): Maybe<void> {
  // Without onFill nobody is told, and nothing can follow.
  if (!session.runner.wantsFills) return undefined;
  return onFills(account, session, fills, result).then((emitted) => handleEmitted(account, session, emitted, result));
}

async function onFills(
  account: TradingAccount,
  session: StrategySession,
  fills: readonly Fill[],
  result: StepResult,
): Promise<EmittedIntent[]> {
  const next: EmittedIntent[] = [];
  if (!session.runner.wantsFills) return next;
  for (const fill of fills) {
    if (fill.strategyId !== session.strategy.id) continue;
    const r = await session.runner.onFill(fillEvent(fill), account.snapshotFor(session.strategy));
    next.push(...r.intents);
    if (r.failed) result.failures.push({ strategyId: session.strategy.id, failure: r.failed });
  }
  return next;
}

/** What a plugin's onFill receives. @example fillEvent(fill) // { symbol, side, amount, price, fee, time } */
export function fillEvent(fill: Fill): FillEvent {
  return {
    symbol: fill.symbol,
    side: fill.side,
    amount: fill.amount,
    price: fill.price,
    fee: fill.fee,
    time: fill.time,
  };
}
