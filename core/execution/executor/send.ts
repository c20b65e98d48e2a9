import type { Order } from "../../domain/index.ts";
import {
  AuthenticationError,
  ExchangeError,
  InsufficientFundsError,
  InvalidOrderError,
  isRetryable,
} from "../errors.ts";
import type { CreateOrderRequest, ExchangeOrder } from "../exchange.ts";
import { closeOrder, type ExecutorContext, lookup, observe } from "./context.ts";
import { backoffDelay, isRateLimit, retryAfterOf } from "./retry.ts";

/** How a create ended: the exchange has the order, refused it, or we could not find out. */
export type PlaceOutcome =
  | { readonly kind: "accepted"; readonly order: ExchangeOrder }
  | { readonly kind: "refused"; readonly reason: string }
  | { readonly kind: "unknown"; readonly reason: string };

/**
 * Sends a stored pending order and records where it ended. The caller has already committed the
 * pending row: whatever happens from here, a restart finds the order and asks the exchange about it.
 * @example const order = await sendOrder(ctx, pending, 50_000) // status "filled", "open", "rejected", ...
 */
export async function sendOrder(ctx: ExecutorContext, order: Order, referencePrice?: number): Promise<Order> {
  const outcome = await placeOrder(ctx, order, referencePrice);
  if (outcome.kind === "refused") return closeOrder(ctx, order, "rejected", outcome.reason);
  if (outcome.kind === "unknown") {
    // Not rejected, not resent: the order stays pending and tracked, and the next sync looks it up again.
    ctx.tracked.add(order.clientOrderId);
    ctx.log?.error({ clientOrderId: order.clientOrderId, reason: outcome.reason }, "order outcome unknown");
    return order;
  }
  if (ctx.hooks.afterAccepted) await ctx.hooks.afterAccepted(outcome.order);
  const stored = await observe(ctx, order, outcome.order);
  if (stored.status === "open" || stored.status === "partially_filled" || stored.status === "pending") {
    ctx.tracked.add(order.clientOrderId);
  }
  ctx.sentAt.delete(order.clientOrderId);
  return stored;
}

/**
 * The create, with retries, and the one rule that keeps an order from being sent twice: after a
 * failure whose outcome is unknown (timeout, dropped connection, 5xx, 429), the order is looked up by
 * its client order id, and created again ONLY when the lookup proves the exchange does not have it.
 * A lookup proves that only once the lost request can no longer be acted on (`graceMs` after it left;
 * a 429 was refused outright, so it needs no grace). A final refusal that follows an unknown attempt
 * is also checked by lookup: "duplicate order" from the exchange means our first attempt got through.
 * @example const outcome = await placeOrder(ctx, order) // { kind: "accepted", order: { status: "filled", ... } }
 */
export async function placeOrder(ctx: ExecutorContext, order: Order, referencePrice?: number): Promise<PlaceOutcome> {
  const request = requestOf(order, referencePrice);
  let uncertain = false;
  let lastError: unknown;
  for (let attempt = 1; attempt <= ctx.policy.maxAttempts; attempt++) {
    if (ctx.hooks.beforeSend) await ctx.hooks.beforeSend(request, attempt);
    ctx.sentAt.set(order.clientOrderId, ctx.clock.now());
    try {
      return { kind: "accepted", order: await ctx.exchange.createOrder(request) };
    } catch (error) {
      lastError = error;
      if (!isRetryable(error)) {
        // Not a typed exchange error means an adapter bug after the request may have left: check too.
        if (uncertain || !(error instanceof ExchangeError)) {
          const found = await settle(ctx, order, 0);
          if (found.kind !== "absent") return found.kind === "found" ? accepted(found.order) : found;
        }
        return { kind: "refused", reason: reasonOf(error) };
      }
      uncertain = true;
      ctx.log?.warn({ err: error, attempt, clientOrderId: order.clientOrderId }, "create failed; looking the order up");
      const wait = backoffDelay(attempt, ctx.policy, ctx.runtime.random, retryAfterOf(error));
      const found = await settle(ctx, order, isRateLimit(error) ? wait : Math.max(wait, graceLeft(ctx, order)));
      if (found.kind === "found") return accepted(found.order);
      if (found.kind === "unknown") return found;
      // Proven absent: the next attempt may create it.
    }
  }
  return { kind: "refused", reason: `gave up after ${ctx.policy.maxAttempts} attempts: ${reasonOf(lastError)}` };
}

type Settled = { kind: "found"; order: ExchangeOrder } | { kind: "absent" } | { kind: "unknown"; reason: string };

/** Waits, then asks the exchange for the order; "unknown" when even the lookups keep failing. */
async function settle(ctx: ExecutorContext, order: Order, waitMs: number): Promise<Settled> {
  await ctx.runtime.sleep(waitMs);
  try {
    const found = await lookup(ctx, order);
    return found ? { kind: "found", order: found } : { kind: "absent" };
  } catch (error) {
    return { kind: "unknown", reason: `could not look the order up: ${reasonOf(error)}` };
  }
}

/** What is left of the lost-reply grace period for the last create of this order. */
export function graceLeft(ctx: ExecutorContext, order: Pick<Order, "clientOrderId" | "createdAt">): number {
  const sent = ctx.sentAt.get(order.clientOrderId) ?? order.createdAt;
  return Math.max(0, sent + ctx.graceMs - ctx.clock.now());
}

function accepted(order: ExchangeOrder): PlaceOutcome {
  return { kind: "accepted", order };
}

function requestOf(order: Order, referencePrice: number | undefined): CreateOrderRequest {
  const price = order.type === "market" ? referencePrice : order.price;
  return {
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    amount: order.amount,
    ...(price !== undefined && { price }),
  };
}

/**
 * The reason stored with a rejected order, prefixed by what kind of refusal it was.
 * @example reasonOf(new InsufficientFundsError("binance", "Account has insufficient balance")) // "insufficient funds: Account has …"
 */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InsufficientFundsError) return `insufficient funds: ${message}`;
  if (error instanceof InvalidOrderError) return `invalid order: ${message}`;
  if (error instanceof AuthenticationError) return `authentication failed: ${message}`;
  if (error instanceof ExchangeError) return `refused by the exchange: ${message}`;
  return `unexpected error: ${message}`;
}
