import type { Fill, OrderIntent } from "../domain/index.ts";
import { roundAmount, roundPrice } from "../risk/precision.ts";
import { protectiveLevel, type StopState } from "../risk/stops/position-stops.ts";
import { listOrders } from "../store/repositories/orders.ts";
import { submitIntent } from "./order-path.ts";
import { type AccountState, bindingOf, flushStops, marketOf } from "./state.ts";
import { stopLabel } from "./stop-exit.ts";

/**
 * Protective stops placed ON THE EXCHANGE, for venues that take stop orders (`exchange.stopOrders`):
 * a position's protective level (the tighter of its stop-loss and trailing stop) rests there as a
 * stop-market order, so it protects the position even while this process is down. The engine keeps
 * the order in step with the level (a trailing stop that moves, an amount that changes: cancel, then
 * place again) and, while it rests, never sends its own exit for that level: the order's fill, seen
 * by the executor's tracking, closes the position. Take-profit stays with the engine. Venues without
 * stop orders (the paper exchange, Upbit) keep the engine-managed stops of the feed.
 *
 * Which order rests is part of the stops the store keeps (`onExchange`), and the order itself is an
 * ordinary stored order, so both survive a restart; the executor's reconciliation applies a fill that
 * happened while the process was down.
 * @example await settleStops(state) // after every operation of the account
 */
export function settleStops(s: AccountState): Promise<void> | undefined {
  if (s.options.exchange.stopOrders === true) return keepAllInStep(s);
  return flushStops(s);
}

async function keepAllInStep(s: AccountState): Promise<void> {
  for (const { strategyId, symbol, state } of s.stops.all()) await keepInStep(s, strategyId, symbol, state);
  await flushStops(s);
}

/** True when `state`'s protective level is on the exchange: the engine must not fire it itself. */
export function restsOnExchange(state: StopState): boolean {
  return state.onExchange !== undefined;
}

/**
 * Takes a position's resting stop off the exchange before anything else trades against the position
 * (an exit, a flip): the exchange holds the position's amount for the stop and would refuse the exit,
 * or fill both. When the cancel finds the stop already filled, the fill is recorded and the position is
 * flat by the time this returns.
 * @example await releaseExchangeStop(state, "sma", "BTC/USDT", "take-profit hit")
 */
export async function releaseExchangeStop(
  s: AccountState,
  strategyId: string,
  symbol: string,
  reason: string,
): Promise<void> {
  const resting = s.stops.get(strategyId, symbol)?.onExchange;
  if (!resting) return;
  const order = await s.executor.cancel(resting.clientOrderId, reason);
  const gone = order === undefined || ["filled", "cancelled", "expired", "rejected"].includes(order.status);
  if (!gone) {
    s.options.log?.warn(
      { clientOrderId: resting.clientOrderId, status: order.status },
      "exchange stop not cancelled yet",
    );
    return;
  }
  s.stops.setResting(strategyId, symbol, undefined);
}

/** The fills of `fills` that came from resting stops: stop-outs, for the cooldown and the guard. */
export function exchangeStopOuts(s: AccountState, fills: readonly Fill[], now: number): void {
  const placed = placedBy.get(s);
  if (!placed) return;
  for (const fill of fills) {
    if (!placed.has(fill.clientOrderId)) continue;
    placed.delete(fill.clientOrderId);
    s.stopOuts.push({ symbol: fill.symbol, time: now, strategyId: fill.strategyId });
  }
}

// Client ids of the account's resting stop orders (placed now, or loaded at start): their fills are stop-outs.
const placedBy = new WeakMap<AccountState, Set<string>>();

function remember(s: AccountState, clientOrderId: string): void {
  const placed = placedBy.get(s) ?? new Set<string>();
  placedBy.set(s, placed);
  placed.add(clientOrderId);
}

/** At start, before reconciliation: the stop orders resting since before the restart. */
export function rememberRestingStops(s: AccountState): void {
  for (const { state } of s.stops.all()) if (state.onExchange) remember(s, state.onExchange.clientOrderId);
}

/**
 * At start, after the executor's reconciliation: makes the stops' `onExchange` agree with the stop
 * orders actually open. A crash between cancelling a stop and placing its successor leaves a record of a
 * cancelled order (dropped here, so the next settle places a new one); a crash between placing one and
 * saving the stops leaves an open order nobody recorded (adopted here, so none is placed twice). Open
 * stop orders no position claims (it went flat while the process was down) are cancelled.
 * @example await reconcileRestingStops(state) // after executor.start()
 */
export async function reconcileRestingStops(s: AccountState): Promise<void> {
  if (s.options.exchange.stopOrders !== true) return;
  const open = (await listOrders(s.options.store.db, { accountId: s.options.accountId, open: true })).filter(
    (o) => o.type === "stop",
  );
  const claimed = new Set<string>();
  for (const { strategyId, symbol, state } of s.stops.all()) {
    // Newest first: of several unrecorded ones, the latest placed is the latest level.
    const mine = open.filter((o) => o.strategyId === strategyId && o.symbol === symbol);
    const recorded = mine.find((o) => o.clientOrderId === state.onExchange?.clientOrderId);
    const kept = recorded ?? mine[0];
    if (kept) {
      claimed.add(kept.clientOrderId);
      remember(s, kept.clientOrderId);
      if (!recorded) {
        const level = kept.price as number;
        s.stops.setResting(strategyId, symbol, { clientOrderId: kept.clientOrderId, level, amount: kept.amount });
      }
    } else if (state.onExchange) {
      s.stops.setResting(strategyId, symbol, undefined);
    }
  }
  for (const stray of open) {
    if (!claimed.has(stray.clientOrderId)) await s.executor.cancel(stray.clientOrderId, "no position claims this stop");
  }
  await flushStops(s);
}

async function keepInStep(s: AccountState, strategyId: string, symbol: string, state: StopState): Promise<void> {
  const market = await marketOf(s, symbol);
  const held = Math.abs(s.positions.quantity(strategyId, symbol));
  const amount = roundAmount(held, market?.amountStep);
  const protective = protectiveLevel(state);
  const level = protective && roundPrice(protective.level, market?.priceTick);
  const resting = state.onExchange;
  if (resting && level !== undefined && resting.level === level && resting.amount === amount) return;
  if (!resting && (level === undefined || amount === 0)) return;
  if (resting) {
    await releaseExchangeStop(s, strategyId, symbol, level === undefined ? "no protective level left" : "stop moved");
    if (s.stops.get(strategyId, symbol)?.onExchange) return; // still there: try again after the next candle
  }
  if (level === undefined || amount === 0 || !protective) return;
  const now = s.options.clock.now();
  const intent: OrderIntent = {
    // Ends with the stop's kind, like an engine stop exit, so that its fill counts as a stop-out
    // after a restart (loadStopOuts) and reads as one in chat.
    id: `${strategyId}:${symbol}:${now}:${protective.kind}`,
    strategyId,
    symbol,
    side: state.side === "long" ? "sell" : "buy",
    reduceOnly: true,
    size: { kind: "base", value: amount },
    type: "stop",
    triggerPrice: level,
    candleTime: now,
    reason: `${stopLabel(protective.kind)} on the exchange`,
  };
  const outcome = await submitIntent(s, intent, bindingOf(s, strategyId), level);
  const order = outcome.order;
  if (!order || (order.status !== "open" && order.status !== "partially_filled")) {
    const why = order?.reason ?? outcome.verdict?.rules.at(-1)?.reason ?? "not placed";
    s.options.log?.warn({ strategyId, symbol, level, why }, "exchange stop not placed; the engine watches the level");
    return;
  }
  remember(s, order.clientOrderId);
  s.stops.setResting(strategyId, symbol, { clientOrderId: order.clientOrderId, level, amount: order.amount });
}
