import type { Candle, Fill } from "../domain/index.ts";
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
        // A target of another symbol finds its candle in the runner's step (see targetIntents).
        await handleTargets(
          account,
          session,
          r.targets,
          (t) => (t.target.symbol === symbol ? candle : undefined),
          result,
        );
      }
      if (r.failed) result.failures.push({ strategyId: session.strategy.id, failure: r.failed });
    });
  }
  return result;
}

/**
 * Runs one strategy's part of a step so that its trouble costs the others nothing: a plugin that is
 * restarting sits the candle out (the pool reports it), any other error becomes a failure of that
 * strategy in the result.
 */
async function isolated(session: StrategySession, result: StepResult, work: () => Promise<void>): Promise<void> {
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
 * asked for, and so on, at most MAX_FILL_CHAIN rounds. Collects into `result`.
 * @example await handleEmitted(account, session, r.intents, result)
 */
export async function handleEmitted(
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
export async function handleTargets(
  account: TradingAccount,
  session: StrategySession,
  targets: readonly EmittedTarget[],
  candleOf: (target: EmittedTarget) => Candle | undefined,
  result: StepResult,
): Promise<number> {
  let sent = 0;
  for (const t of targets) {
    const held = account.positionQuantity(session.strategy.id, t.target.symbol);
    const emitted = await session.runner.targetIntents(t, held, candleOf(t));
    sent += emitted.length;
    await handleEmitted(account, session, emitted, result);
  }
  return sent;
}

/**
 * Fills recorded outside the strategy's own intents (stop exits, orders sent at an open, resting
 * orders) to its onFill, and what that asks for through the account.
 * @example await deliverFills(account, session, candleOutcome.fills, result)
 */
export async function deliverFills(
  account: TradingAccount,
  session: StrategySession,
  fills: readonly Fill[],
  result: StepResult,
): Promise<void> {
  const emitted = await onFills(account, session, fills, result);
  await handleEmitted(account, session, emitted, result);
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
