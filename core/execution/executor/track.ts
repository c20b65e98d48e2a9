import { isFinalStatus, type Order } from "../../domain/index.ts";
import { OrderNotFoundError } from "../errors.ts";
import type { ExchangeOrder } from "../exchange.ts";
import { closeOrder, type ExecutorContext, lookup, observe } from "./context.ts";
import { withRetry } from "./retry.ts";
import { graceLeft } from "./send.ts";

/**
 * Brings one tracked order up to date: fills since the last look, a final status, or expiry of a
 * limit order past its timeout. A pending order here is one whose create had an unknown outcome; it
 * is only ever looked up, never sent again, and closed once the lookup proves the exchange never got it.
 * @example await refresh(ctx, "qc-1x2y-20")
 */
export async function refresh(ctx: ExecutorContext, clientOrderId: string): Promise<Order | undefined> {
  const stored = await ctx.ledger.find(clientOrderId);
  if (!stored || isFinalStatus(stored.status)) {
    ctx.tracked.delete(clientOrderId);
    return stored;
  }
  const ex = await lookup(ctx, stored);
  if (!ex) {
    if (stored.status === "pending") {
      if (graceLeft(ctx, stored) > 0) return stored;
      return closeOrder(ctx, stored, "rejected", "the exchange never received the order (its reply was lost)");
    }
    return closeOrder(ctx, stored, "cancelled", "the exchange no longer knows the order");
  }
  const order = await observe(ctx, stored, ex);
  if (isFinalStatus(order.status)) {
    ctx.tracked.delete(clientOrderId);
    return order;
  }
  if (order.type === "limit" && ctx.clock.now() >= order.createdAt + ctx.limitTimeoutMs) {
    return cancelAndObserve(ctx, order, `unfilled after ${duration(ctx.limitTimeoutMs)}: cancelled`, true);
  }
  return order;
}

/**
 * Cancels an order on the exchange and records the result; an expiring order ends "expired" (with
 * whatever part of it filled), any other "cancelled". Some exchanges cancel asynchronously: an order
 * still open after the reply stays tracked and the next refresh sees it closed.
 * @example await cancelAndObserve(ctx, order, "cancelled by telegram:42", false)
 */
export async function cancelAndObserve(
  ctx: ExecutorContext,
  order: Order,
  reason: string,
  expiring: boolean,
): Promise<Order> {
  let reply: ExchangeOrder | undefined;
  try {
    reply = await withRetry(() => ctx.exchange.cancelOrder(order.symbol, order.clientOrderId), ctx.policy, ctx.runtime);
  } catch (error) {
    // Filled (or gone) between our look and the cancel: what the exchange holds now decides.
    if (!(error instanceof OrderNotFoundError)) throw error;
    reply = await lookup(ctx, order);
  }
  if (!reply) return closeOrder(ctx, order, "cancelled", "the exchange no longer knows the order");
  const result = await observe(ctx, order, reply, { expiring, reason });
  if (isFinalStatus(result.status)) ctx.tracked.delete(order.clientOrderId);
  else ctx.tracked.add(order.clientOrderId);
  return result;
}

/** @example duration(90_000) // "1m30s" */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}
