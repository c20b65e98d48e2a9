import type { Candle, OrderIntent } from "../domain/index.ts";
import { evaluateIntent } from "../risk/pipeline.ts";
import { nextTradingState } from "../risk/state-switch.ts";
import { releaseExchangeStop } from "./exchange-stops.ts";
import { riskSnapshot } from "./risk-snapshot.ts";
import {
  type AccountState,
  allocationOf,
  holdings,
  limitsFor,
  marketOf,
  recentStops,
  refreshTrading,
  takeFor,
} from "./state.ts";
import { protectiveStops } from "./stop-exit.ts";
import type { StopHit } from "./stops.ts";
import { switchTradingState } from "./trading-state.ts";
import type { IntentOutcome, StrategyBinding } from "./types.ts";
import { accountValue, openPositions } from "./valuation.ts";
import { recordVerdict } from "./verdicts.ts";

const DAY_MS = 86_400_000;

/**
 * The order path of one intent at `price`, now: the risk snapshot from memory, the state switches
 * (a drawdown or daily loss past its limit tightens the account's trading state), the verdict
 * (stored, then published), the executor (the order stored before the venue sees it), then the fills:
 * stops attached to an entry that filled, a stop-out remembered for the cooldown and the guard.
 * @example const outcome = await submitIntent(state, intent, strategy, 50_000, { entryCandle: candle })
 */
export async function submitIntent(
  s: AccountState,
  intent: OrderIntent,
  strategy: StrategyBinding,
  price: number,
  extra: { readonly entryCandle?: Candle; readonly stop?: StopHit } = {},
): Promise<IntentOutcome> {
  const { options, executor } = s;
  const now = options.clock.now();
  if (intent.type !== "stop" && s.stops.get(intent.strategyId, intent.symbol)?.onExchange) {
    const held = s.positions.quantity(intent.strategyId, intent.symbol);
    // The exchange holds the position for its resting stop: take the stop off before trading against it.
    if (held !== 0 && held > 0 !== (intent.side === "buy")) {
      await releaseExchangeStop(s, intent.strategyId, intent.symbol, intent.reason ?? "the position is exiting");
    }
  }
  s.paper?.setPrice(intent.symbol, price);
  // Each await below is skipped when there is nothing to wait for: a backtest sends tens of thousands
  // of intents, and every await of a settled promise still costs a turn of the microtask queue.
  if (s.tradingStale) await refreshTrading(s);
  if (newDayDue(s, now)) await switchOwnState(s, "ACTIVE", "a new UTC day: daily loss limit reset", "risk:new-day");
  const market = s.markets.get(intent.symbol) ?? (await marketOf(s, intent.symbol));
  const view = holdings(s);
  const value = accountValue(view);
  const limits = limitsFor(s, strategy);
  const snapshot = riskSnapshot({
    now,
    price,
    equity: value.equity,
    dayStartEquity: s.equity.dayStartAt(now, value.equity),
    peakEquity: s.equity.peak(value.equity),
    freeCash: value.free,
    costs: s.costs,
    positions: openPositions(view),
    atr: s.atr.value(intent.symbol, limits.volatility.atrPeriod),
    market,
    recentStops: recentStops(s, now),
    tradingState: s.trading.state,
    limits,
    allocation: allocationOf(strategy, value.equity),
  });
  const change = s.risk ? nextTradingState(snapshot) : undefined;
  if (change) await switchOwnState(s, change.state, change.reason, change.by);
  // Only a switch just made can have changed the state the snapshot was taken with.
  const checked = change ? { ...snapshot, tradingState: s.trading.state } : snapshot;
  const verdict = evaluateIntent(intent, checked, s.rules);
  await recordVerdict(s.verdicts, intent, verdict, now);
  const stop = extra.stop && { stop: extra.stop.trigger };
  const result = await executor.submit(intent, verdict, { price });
  if (result.kind === "denied") return { intent, verdict, submit: result, fills: [], ...stop };
  s.balances = await options.exchange.fetchBalance();
  const fills = takeFor(s, result.order.clientOrderId);
  if (fills.length > 0 && !intent.reduceOnly) attach(s, intent, extra.entryCandle);
  if (fills.length > 0 && extra.stop && extra.stop.trigger.kind !== "take-profit") {
    s.stopOuts.push({ symbol: intent.symbol, time: now, strategyId: intent.strategyId });
  }
  return { intent, verdict, submit: result, order: result.order, fills, ...stop };
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
