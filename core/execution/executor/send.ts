import type { Order } from "../../domain/index.ts";
import {
  AuthenticationError,
  ExchangeError,
  InsufficientFundsError,
  InvalidOrderError,
  isRetryable,
} from "../errors.ts";
import type { CreateOrderRequest, ExchangeOrder } from "../exchange.ts";
import type { Maybe } from "../maybe.ts";
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
 * Answers at once when the venue and the ledger did (an in-process venue, see ExchangeAdapter.immediate).
 * @example const order = await sendOrder(ctx, pending, 50_000) // status "filled", "open", "rejected", ...
 */
export function sendOrder(ctx: ExecutorContext, order: Order, referencePrice?: number): Maybe<Order> {
  const outcome = placeOrder(ctx, order, referencePrice);
  if (outcome instanceof Promise) return outcome.then((o) => placed(ctx, order, o));
  return placed(ctx, order, outcome);
}

function placed(ctx: ExecutorContext, order: Order, outcome: PlaceOutcome): Maybe<Order> {
  if (outcome.kind === "refused") return closeOrder(ctx, order, "rejected", outcome.reason);
  if (outcome.kind === "unknown") {
    // Not rejected, not resent: the order stays pending and tracked, and the next sync looks it up again.
    ctx.tracked.add(order.clientOrderId);
    ctx.log?.error({ clientOrderId: order.clientOrderId, reason: outcome.reason }, "order outcome unknown");
    return order;
  }
  const { afterAccepted } = ctx.hooks;
  if (afterAccepted) {
    return Promise.resolve(afterAccepted(outcome.order)).then(() => recordAccepted(ctx, order, outcome.order));
  }
  return recordAccepted(ctx, order, outcome.order);
}

function recordAccepted(ctx: ExecutorContext, order: Order, ex: ExchangeOrder): Maybe<Order> {
  const stored = observe(ctx, order, ex);
  if (stored instanceof Promise) return stored.then((s) => tracking(ctx, order, s));
  return tracking(ctx, order, stored);
}

function tracking(ctx: ExecutorContext, order: Order, stored: Order): Order {
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
 * An in-process venue's first attempt is made at once; only a failure it cannot settle there waits.
 * @example const outcome = await placeOrder(ctx, order) // { kind: "accepted", order: { status: "filled", ... } }
 */
export function placeOrder(ctx: ExecutorContext, order: Order, referencePrice?: number): Maybe<PlaceOutcome> {
  const request = requestOf(order, referencePrice);
  const venue = ctx.exchange.immediate;
  if (!venue || ctx.hooks.beforeSend) return attempts(ctx, order, request, 1, false, undefined);
  // When the request left matters only if its outcome is in doubt: noted when the attempt failed.
  const leftAt = ctx.clock.now();
  try {
    return { kind: "accepted", order: venue.createOrder(request) };
  } catch (error) {
    ctx.sentAt.set(order.clientOrderId, leftAt);
    // A typed refusal is final, as on the first attempt below; anything else takes the long way.
    if (!isRetryable(error) && error instanceof ExchangeError) return { kind: "refused", reason: reasonOf(error) };
    return failed(ctx, order, request, 1, false, error);
  }
}

/** Attempt `attempt` and, through failed(), the ones after it; `uncertain` once one may have reached the exchange. */
async function attempts(
  ctx: ExecutorContext,
  order: Order,
  request: CreateOrderRequest,
  attempt: number,
  uncertain: boolean,
  lastError: unknown,
): Promise<PlaceOutcome> {
  if (attempt > ctx.policy.maxAttempts) {
    return { kind: "refused", reason: `gave up after ${ctx.policy.maxAttempts} attempts: ${reasonOf(lastError)}` };
  }
  if (ctx.hooks.beforeSend) await ctx.hooks.beforeSend(request, attempt);
  ctx.sentAt.set(order.clientOrderId, ctx.clock.now());
  try {
    return { kind: "accepted", order: await ctx.exchange.createOrder(request) };
  } catch (error) {
    return failed(ctx, order, request, attempt, uncertain, error);
  }
}

/** What a failed attempt means: refused, found after all, unknown, or (proven absent) the next attempt. */
async function failed(
  ctx: ExecutorContext,
  order: Order,
  request: CreateOrderRequest,
  attempt: number,
  uncertain: boolean,
  error: unknown,
): Promise<PlaceOutcome> {
  if (!isRetryable(error)) {
    // Not a typed exchange error means an adapter bug after the request may have left: check too.
    if (uncertain || !(error instanceof ExchangeError)) {
      const found = await settle(ctx, order, 0);
      if (found.kind !== "absent") return found.kind === "found" ? accepted(found.order) : found;
    }
    return { kind: "refused", reason: reasonOf(error) };
  }
  ctx.log?.warn({ err: error, attempt, clientOrderId: order.clientOrderId }, "create failed; looking the order up");
  const wait = backoffDelay(attempt, ctx.policy, ctx.runtime.random, retryAfterOf(error));
  const found = await settle(ctx, order, isRateLimit(error) ? wait : Math.max(wait, graceLeft(ctx, order)));
  if (found.kind === "found") return accepted(found.order);
  if (found.kind === "unknown") return found;
  // Proven absent: the next attempt may create it.
  return attempts(ctx, order, request, attempt + 1, true, error);
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
  const request: { -readonly [K in keyof CreateOrderRequest]: CreateOrderRequest[K] } = {
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    amount: order.amount,
  };
  // Set, not spread in: a spread in a literal is a slow runtime copy, once per order.
  if (price !== undefined) request.price = price;
  return request;
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
