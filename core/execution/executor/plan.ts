import { type Fill, isFinalStatus, type Order, type OrderStatus, type Position } from "../../domain/index.ts";
import type { MarketCurrencies } from "../../portfolio/currencies.ts";
import { applyExecution } from "../../portfolio/position-math.ts";
import { amountKey } from "../amount-key.ts";
import type { ExchangeOrder } from "../exchange.ts";

/** An order's cumulative fee (and average price) read from its trades, when the order itself does not say. */
export interface ObservedFees {
  readonly fee: number;
  readonly feeCurrency: string;
  readonly averagePrice?: number;
}

/** What one observation of the exchange changes in the store; written in ONE transaction. */
export interface Plan {
  readonly order: Order;
  /** False when nothing changed: no write, no event. */
  readonly changed: boolean;
  readonly fill?: Fill;
  readonly position?: Position;
  /** The position went flat or flipped: its stops are cleared with it. */
  readonly clearStops?: boolean;
}

export interface ObservationContext {
  readonly now: number;
  readonly market: MarketCurrencies;
  readonly fees?: ObservedFees;
  /** We cancelled it because it timed out: a cancelled limit order is "expired". */
  readonly expiring?: boolean;
  readonly reason?: string;
}

/**
 * What the exchange's view of an order means for the stored one. Fills are derived from the growth of
 * the cumulative filled amount, so observing the same state twice changes nothing; the fill id is the
 * client order id plus the cumulative amount, so even a replayed observation inserts no second fill.
 * The fill's price is the part of the new average that the new amount accounts for.
 * A stored final status is kept (fills that still arrive are recorded): final means final.
 * @example planObservation(stored, { ...ex, status: "filled", filled: 1, averagePrice: 101, fee: 0.1, feeCurrency: "USDT" }, undefined, ctx).fill
 *   // { id: "qc-…:1", amount: 1, price: 101, fee: 0.1, ... }
 */
export function planObservation(
  stored: Order,
  ex: ExchangeOrder,
  position: Position | undefined,
  ctx: ObservationContext,
): Plan {
  const filled = Math.max(stored.filled, ex.filled);
  const delta = filled - stored.filled;
  const averagePrice = ctx.fees?.averagePrice ?? ex.averagePrice ?? stored.averagePrice;
  const cumulativeFee = ctx.fees ? ctx.fees.fee : ex.feeCurrency !== undefined ? ex.fee : stored.fee;
  const feeCurrency = ctx.fees?.feeCurrency ?? ex.feeCurrency ?? ctx.market.quote;
  const fillPrice = delta > 0 ? priceOfDelta(stored, filled, delta, averagePrice ?? ex.price ?? stored.price) : 0;
  // Without any price the fill cannot be valued: leave it for the next observation rather than guess.
  const recordable = delta > amountEpsilon(stored.amount) && fillPrice > 0;

  let status: OrderStatus = ex.status;
  if (ctx.expiring && status === "cancelled") status = "expired";
  if (isFinalStatus(stored.status)) status = stored.status;
  // A reason given with a cancel belongs to a cancelled or expired order, not to one that filled first.
  const closedByUs = status === "cancelled" || status === "expired";
  const reason = closedByUs && ctx.reason !== undefined ? ctx.reason : stored.reason;

  const order = changedOrder(
    stored,
    status,
    recordable ? filled : stored.filled,
    averagePrice !== undefined && recordable ? averagePrice : undefined,
    recordable ? Math.max(stored.fee, cumulativeFee) : stored.fee,
    ex.exchangeOrderId || stored.exchangeOrderId,
    reason,
    ctx.now,
  );
  const changed =
    order.status !== stored.status ||
    order.filled !== stored.filled ||
    order.exchangeOrderId !== stored.exchangeOrderId ||
    order.reason !== stored.reason;
  if (!recordable) return { order, changed };

  const fill: Fill = {
    id: `${stored.clientOrderId}:${amountKey(filled)}`,
    clientOrderId: stored.clientOrderId,
    accountId: stored.accountId,
    strategyId: stored.strategyId,
    symbol: stored.symbol,
    side: stored.side,
    amount: delta,
    price: fillPrice,
    fee: Math.max(0, cumulativeFee - stored.fee),
    feeCurrency,
    time: ctx.now,
  };
  // The stored order is the position's key (its account, strategy and symbol): no object for it.
  const change = applyExecution(position, stored, fill, ctx.market);
  return { order, changed: true, fill, position: change.position, clearStops: change.sideEnded };
}

/**
 * A stored order closed without the exchange (refused before sending, unknown after a restart).
 * @example planClose(stored, "rejected", "invalid order: …", now).order.status // "rejected"
 */
export function planClose(stored: Order, status: OrderStatus, reason: string, now: number): Plan {
  if (isFinalStatus(stored.status)) return { order: stored, changed: false };
  return { order: { ...stored, status, reason, updatedAt: now }, changed: true };
}

/**
 * The stored order with an observation's changes: the same keys, values and key order as
 * `Object.assign({}, stored, { status, filled, averagePrice?, fee, exchangeOrderId, reason?, updatedAt })`.
 * An order as buildOrder (or a stored pending row) has it, without any of the three keys an
 * observation adds, is written out field by field, a tenth of the cost of the copy, once per fill.
 */
function changedOrder(
  stored: Order,
  status: OrderStatus,
  filled: number,
  averagePrice: number | undefined,
  fee: number,
  exchangeOrderId: string | undefined,
  reason: string | undefined,
  updatedAt: number,
): Order {
  const observed = stored.averagePrice !== undefined || stored.exchangeOrderId !== undefined;
  if (observed || stored.reason !== undefined) {
    const changes: Partial<{ -readonly [K in keyof Order]: Order[K] }> = { status, filled };
    if (averagePrice !== undefined) changes.averagePrice = averagePrice;
    changes.fee = fee;
    changes.exchangeOrderId = exchangeOrderId;
    if (reason !== undefined) changes.reason = reason;
    changes.updatedAt = updatedAt;
    return Object.assign({}, stored, changes);
  }
  // A market order's fill (no price, an average, no reason), the usual one: one whole literal, as
  // fields added past a literal's own grow a side array; the same keys in the same order as below.
  if (stored.price === undefined && averagePrice !== undefined && reason === undefined) {
    return {
      clientOrderId: stored.clientOrderId,
      accountId: stored.accountId,
      strategyId: stored.strategyId,
      intentId: stored.intentId,
      symbol: stored.symbol,
      side: stored.side,
      type: stored.type,
      amount: stored.amount,
      status,
      filled,
      fee,
      createdAt: stored.createdAt,
      updatedAt,
      averagePrice,
      exchangeOrderId,
    } as Order;
  }
  const order: Partial<{ -readonly [K in keyof Order]: Order[K] }> = {
    clientOrderId: stored.clientOrderId,
    accountId: stored.accountId,
    strategyId: stored.strategyId,
    intentId: stored.intentId,
    symbol: stored.symbol,
    side: stored.side,
    type: stored.type,
    amount: stored.amount,
  };
  if (stored.price !== undefined) order.price = stored.price;
  order.status = status;
  order.filled = filled;
  order.fee = fee;
  order.createdAt = stored.createdAt;
  order.updatedAt = updatedAt;
  if (averagePrice !== undefined) order.averagePrice = averagePrice;
  order.exchangeOrderId = exchangeOrderId;
  if (reason !== undefined) order.reason = reason;
  return order as Order;
}

/** Price of the newly filled part: total cost now minus the cost already recorded, per unit. */
function priceOfDelta(stored: Order, filled: number, delta: number, average: number | undefined): number {
  if (average === undefined || !(average > 0)) return 0;
  if (stored.filled > 0 && stored.averagePrice !== undefined) {
    const price = (filled * average - stored.filled * stored.averagePrice) / delta;
    if (Number.isFinite(price) && price > 0) return price;
  }
  return average;
}

function amountEpsilon(amount: number): number {
  return Math.max(1e-12, Math.abs(amount) * 1e-9);
}
