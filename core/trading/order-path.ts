import type { Candle, OrderIntent } from "../domain/index.ts";
import type { MarketInfo } from "../execution/exchange.ts";
import type { SubmitResult } from "../execution/executor/types.ts";
import type { Maybe } from "../execution/maybe.ts";
import { judgeIntent } from "../risk/pipeline.ts";
import type { RiskSnapshot } from "../risk/snapshot.ts";
import { nextTradingState } from "../risk/state-switch.ts";
import type { Verdict } from "../risk/verdict.ts";
import { releaseExchangeStop } from "./exchange-stops.ts";
import { riskSnapshot } from "./risk-snapshot.ts";
import {
  type AccountState,
  allocationOf,
  holdings,
  limitsFor,
  marketOf,
  NO_FILLS,
  recentStops,
  refreshTrading,
  takeFor,
} from "./state.ts";
import { protectiveStops } from "./stop-exit.ts";
import type { StopHit } from "./stops.ts";
import { switchTradingState } from "./trading-state.ts";
import type { IntentOutcome, StrategyBinding } from "./types.ts";
import { cashOf, equityOf, freeOf, openPositions } from "./valuation.ts";
import { recordVerdict } from "./verdicts.ts";

const DAY_MS = 86_400_000;

/** What an intent's order path carries from step to step. */
interface Submission {
  readonly s: AccountState;
  readonly intent: OrderIntent;
  readonly strategy: StrategyBinding;
  readonly price: number;
  readonly now: number;
  readonly entryCandle: Candle | undefined;
  readonly stop: StopHit | undefined;
}

/**
 * The order path of one intent at `price`, now: the risk snapshot from memory, the state switches
 * (a drawdown or daily loss past its limit tightens the account's trading state), the verdict
 * (stored, then published), the executor (the order stored before the venue sees it), then the fills:
 * stops attached to an entry that filled, a stop-out remembered for the cooldown and the guard.
 * Each step that has something to wait for (a stop to cancel on the exchange, the trading state to
 * read, a store or a venue elsewhere) waits; when none has, the outcome is answered at once: a
 * backtest sends tens of thousands of intents, and every await of a settled promise costs a turn.
 * @example const outcome = await submitIntent(state, intent, strategy, 50_000, { entryCandle: candle })
 */
export function submitIntent(
  s: AccountState,
  intent: OrderIntent,
  strategy: StrategyBinding,
  price: number,
  extra: { readonly entryCandle?: Candle; readonly stop?: StopHit } = {},
): Maybe<IntentOutcome> {
  const job: Submission = {
    s,
    intent,
    strategy,
    price,
    now: s.options.clock.now(),
    entryCandle: extra.entryCandle,
    stop: extra.stop,
  };
  if (intent.type !== "stop" && s.stops.get(intent.strategyId, intent.symbol)?.onExchange) {
    const held = s.positions.quantity(intent.strategyId, intent.symbol);
    // The exchange holds the position for its resting stop: take the stop off before trading against it.
    if (held !== 0 && held > 0 !== (intent.side === "buy")) {
      const reason = intent.reason ?? "the position is exiting";
      return releaseExchangeStop(s, intent.strategyId, intent.symbol, reason).then(() => priced(job));
    }
  }
  return priced(job);
}

function priced(job: Submission): Maybe<IntentOutcome> {
  const { s, intent, now } = job;
  s.paper?.setPrice(intent.symbol, job.price);
  if (s.tradingStale || newDayDue(s, now)) return currentState(job).then(() => marketFor(job));
  return marketFor(job);
}

/** The trading state read again when someone switched it, and a new UTC day's reset. */
async function currentState(job: Submission): Promise<void> {
  const { s, now } = job;
  if (s.tradingStale) await refreshTrading(s);
  if (newDayDue(s, now)) await switchOwnState(s, "ACTIVE", "a new UTC day: daily loss limit reset", "risk:new-day");
}

function marketFor(job: Submission): Maybe<IntentOutcome> {
  const market = job.s.markets.get(job.intent.symbol);
  if (market) return judged(job, market);
  return marketOf(job.s, job.intent.symbol).then((m) => judged(job, m));
}

function judged(job: Submission, market: MarketInfo | undefined): Maybe<IntentOutcome> {
  const { s, intent, strategy, now } = job;
  const view = holdings(s);
  const equity = equityOf(view, cashOf(view));
  const limits = limitsFor(s, strategy);
  const snapshot = riskSnapshot({
    now,
    price: job.price,
    equity,
    dayStartEquity: s.equity.dayStartAt(now, equity),
    peakEquity: s.equity.peak(equity),
    freeCash: freeOf(view),
    costs: s.costs,
    positions: openPositions(view),
    atr: s.atr.value(intent.symbol, limits.volatility.atrPeriod),
    market,
    recentStops: recentStops(s, now),
    tradingState: s.trading.state,
    limits,
    allocation: allocationOf(strategy, equity),
  });
  const change = s.risk ? nextTradingState(snapshot) : undefined;
  if (!change) return decided(job, snapshot);
  // Only a switch just made can have changed the state the snapshot was taken with.
  return switchOwnState(s, change.state, change.reason, change.by).then(() =>
    decided(job, { ...snapshot, tradingState: s.trading.state }),
  );
}

function decided(job: Submission, snapshot: RiskSnapshot): Maybe<IntentOutcome> {
  const { s, intent } = job;
  const verdict = judgeIntent(intent, snapshot, s.rules);
  const recorded = recordVerdict(s.verdicts, intent, verdict, job.now);
  if (recorded) return recorded.then(() => executed(job, verdict));
  return executed(job, verdict);
}

function executed(job: Submission, verdict: Verdict): Maybe<IntentOutcome> {
  const result = job.s.executor.submitNow(job.intent, verdict, { price: job.price });
  if (result instanceof Promise) return result.then((r) => settled(job, verdict, r));
  return settled(job, verdict, result);
}

function settled(job: Submission, verdict: Verdict, result: SubmitResult): Maybe<IntentOutcome> {
  if (result.kind === "denied") return outcome(job, verdict, result, NO_FILLS);
  const { s } = job;
  const venue = s.options.exchange.immediate;
  if (venue) {
    s.balances = venue.fetchBalance();
    return filled(job, verdict, result);
  }
  return s.options.exchange.fetchBalance().then((balances) => {
    s.balances = balances;
    return filled(job, verdict, result);
  });
}

function filled(job: Submission, verdict: Verdict, result: Exclude<SubmitResult, { kind: "denied" }>): IntentOutcome {
  const { s, intent, stop } = job;
  const fills = takeFor(s, result.order.clientOrderId);
  if (fills.length > 0 && !intent.reduceOnly) attach(s, intent, job.entryCandle);
  if (fills.length > 0 && stop && stop.trigger.kind !== "take-profit") {
    s.stopOuts.push({ symbol: intent.symbol, time: job.now, strategyId: intent.strategyId });
  }
  return outcome(job, verdict, result, fills);
}

/** The outcome, keys in a fixed order: `order` when there is one, `stop` for a stop's exit. */
function outcome(
  job: Submission,
  verdict: Verdict,
  submit: SubmitResult,
  fills: IntentOutcome["fills"],
): IntentOutcome {
  const out: Partial<{ -readonly [K in keyof IntentOutcome]: IntentOutcome[K] }> = {
    intent: job.intent,
    verdict,
    submit,
  };
  if (submit.kind !== "denied") out.order = submit.order;
  out.fills = fills;
  if (job.stop) out.stop = job.stop.trigger;
  return out as IntentOutcome;
}

/**
 * The reduce-only market exit that closes a strategy's position in `symbol` now (an operator's /close,
 * the end of a backtest); undefined when it holds nothing there.
 * @example closeIntent(state, strategy, "BTC/USDT", "end of backtest", now)
 */
export function closeIntent(
  s: AccountState,
  strategy: StrategyBinding,
  symbol: string,
  reason: string,
  now: number,
): OrderIntent | undefined {
  const held = s.positions.quantity(strategy.id, symbol);
  if (held === 0) return undefined;
  return {
    id: `${strategy.id}:${symbol}:${now}:close`,
    strategyId: strategy.id,
    symbol,
    side: held > 0 ? "sell" : "buy",
    reduceOnly: true,
    size: { kind: "fraction", value: 1 },
    type: "market",
    candleTime: now,
    reason,
  };
}

/** Writes a state change of this account's own scope (a rule's) and reads the effective state again. */
async function switchOwnState(s: AccountState, state: "ACTIVE" | "REDUCING" | "HALTED", reason: string, by: string) {
  const { store, bus, clock, accountId } = s.options;
  await switchTradingState({ db: store.db, bus, clock }, state, reason, by, accountId);
  s.tradingStale = true;
  await refreshTrading(s);
}

/** A new UTC day lifts the REDUCING that yesterday's daily loss imposed on this account; nothing else does. */
function newDayDue(s: AccountState, now: number): boolean {
  const r = s.trading.record;
  if (!r || r.scope !== s.options.accountId || r.changedBy !== "risk:daily-loss") return false;
  return Math.floor(now / DAY_MS) !== Math.floor(r.changedAt / DAY_MS);
}

/** Stops of an entry that filled, at the position's (average) entry; a level on the wrong side is dropped. */
function attach(s: AccountState, intent: OrderIntent, entryCandle: Candle | undefined): void {
  const position = s.positions.get(intent.strategyId, intent.symbol);
  if (!position || position.quantity === 0 || position.quantity > 0 !== (intent.side === "buy")) return;
  if (!intent.stopLoss && !intent.takeProfit && !intent.trailingStop) return;
  const wanted = protectiveStops(intent, position.entryPrice, (problem) =>
    s.options.log?.warn({ intentId: intent.id, problem }, "stop level dropped"),
  );
  if (!wanted) return;
  const period = intent.trailingStop?.mode === "atr" ? intent.trailingStop.period : undefined;
  const atrNow = period === undefined ? undefined : s.atr.value(intent.symbol, period);
  s.stops.attach(intent.strategyId, intent.symbol, wanted, {
    price: position.entryPrice,
    ...(entryCandle && { candle: entryCandle }),
    ...(atrNow !== undefined && { atr: atrNow }),
  });
}
