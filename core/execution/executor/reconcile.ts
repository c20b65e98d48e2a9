import { isFinalStatus, type Order } from "../../domain/index.ts";
import { splitSymbol } from "../../portfolio/currencies.ts";
import { listPositions } from "../../store/repositories/positions.ts";
import type { ExchangeOrder } from "../exchange.ts";
import { closeOrder, type ExecutorContext, lookup, observe } from "./context.ts";
import { withRetry } from "./retry.ts";
import { graceLeft, sendOrder } from "./send.ts";
import type { BalanceDifference, ReconcileReport } from "./types.ts";

/** The reason stored on orders the exchange does not know when we come back. */
export const UNKNOWN_AFTER_RESTART = "unknown to the exchange after restart";

export interface ReconcileOptions {
  readonly resendPendingWithinMs: number;
  readonly live: boolean;
}

type Outcome = "same" | "updated" | "closed" | "resent" | "unresolved";

/**
 * Start-up reconciliation: every stored order that is not final is looked up on the exchange by its
 * client order id. Fills made while we were down are recorded (with positions, in one transaction);
 * orders the exchange does not know are closed with UNKNOWN_AFTER_RESTART (a pending one only after
 * the lost-reply grace period, since its create may still be in flight); open orders on the exchange
 * that we never stored are reported, not touched; on a live account, positions are compared with the
 * exchange's balances and the differences reported.
 * @example const report = await reconcile(ctx, { resendPendingWithinMs: 0, live: false })
 */
export async function reconcile(ctx: ExecutorContext, options: ReconcileOptions): Promise<ReconcileReport> {
  const stored = await ctx.ledger.listOpen(ctx.accountId);
  const lists: Record<Exclude<Outcome, "same">, Order[]> = { updated: [], closed: [], resent: [], unresolved: [] };
  for (const order of stored) {
    const [outcome, result] = await ctx.locks.run(order.clientOrderId, () => reconcileOne(ctx, order, options));
    if (outcome !== "same") lists[outcome].push(result);
  }
  const unknownOnExchange = await unknownOpenOrders(ctx);
  const balanceDifferences = options.live ? await compareBalances(ctx) : [];
  const report: ReconcileReport = { checked: stored.length, ...lists, unknownOnExchange, balanceDifferences };
  ctx.log?.info(
    {
      accountId: ctx.accountId,
      checked: report.checked,
      updated: lists.updated.length,
      closed: lists.closed.length,
      resent: lists.resent.length,
      unresolved: lists.unresolved.length,
      unknownOnExchange: unknownOnExchange.map((o) => `${o.symbol} ${o.side} ${o.amount} (${o.exchangeOrderId})`),
      balanceDifferences,
    },
    "orders reconciled with the exchange",
  );
  for (const order of unknownOnExchange) {
    ctx.log?.warn({ accountId: ctx.accountId, order }, "open order on the exchange that this bot never placed");
  }
  return report;
}

async function reconcileOne(ctx: ExecutorContext, order: Order, options: ReconcileOptions): Promise<[Outcome, Order]> {
  let ex: ExchangeOrder | undefined;
  try {
    ex = await lookup(ctx, order);
    if (!ex && order.status === "pending" && graceLeft(ctx, order) > 0) {
      // The create may have left just before the crash and still be queued at the exchange.
      await ctx.runtime.sleep(graceLeft(ctx, order));
      ex = await lookup(ctx, order);
    }
  } catch (error) {
    ctx.log?.error({ err: error, clientOrderId: order.clientOrderId }, "reconciliation could not look the order up");
    ctx.tracked.add(order.clientOrderId);
    return ["unresolved", order];
  }
  if (ex) {
    const updated = await observe(ctx, order, ex);
    if (!isFinalStatus(updated.status)) ctx.tracked.add(order.clientOrderId);
    const changed = updated.status !== order.status || updated.filled !== order.filled;
    return [changed ? "updated" : "same", updated];
  }
  if (order.status === "pending" && ctx.clock.now() - order.createdAt < options.resendPendingWithinMs) {
    // Proven absent and still fresh: this is the create the crash interrupted, sent now.
    return ["resent", await sendOrder(ctx, order)];
  }
  const status = order.status === "pending" ? "rejected" : "cancelled";
  return ["closed", await closeOrder(ctx, order, status, UNKNOWN_AFTER_RESTART)];
}

async function unknownOpenOrders(ctx: ExecutorContext): Promise<ExchangeOrder[]> {
  try {
    const open = await withRetry(() => ctx.exchange.fetchOpenOrders(), ctx.policy, ctx.runtime);
    const unknown: ExchangeOrder[] = [];
    for (const order of open) {
      const known = order.clientOrderId !== "" && (await ctx.ledger.find(order.clientOrderId));
      if (!known || known.accountId !== ctx.accountId) unknown.push(order);
    }
    return unknown;
  } catch (error) {
    ctx.log?.error({ err: error }, "could not list the exchange's open orders");
    return [];
  }
}

/** Our positions summed per base currency against the exchange's totals; only what differs. */
async function compareBalances(ctx: ExecutorContext): Promise<BalanceDifference[]> {
  const [positions, balances] = await Promise.all([
    listPositions(ctx.store.db, { accountId: ctx.accountId }),
    withRetry(() => ctx.exchange.fetchBalance(), ctx.policy, ctx.runtime),
  ]);
  const held = new Map<string, number>();
  const quotes = new Set<string>();
  for (const p of positions) {
    const { base, quote } = splitSymbol(p.symbol);
    held.set(base, (held.get(base) ?? 0) + p.quantity);
    quotes.add(quote);
  }
  const currencies = new Set([...held.keys(), ...Object.keys(balances)].filter((c) => !quotes.has(c)));
  const differences: BalanceDifference[] = [];
  for (const currency of [...currencies].sort()) {
    const mine = held.get(currency) ?? 0;
    const theirs = (balances[currency]?.free ?? 0) + (balances[currency]?.used ?? 0);
    const difference = theirs - mine;
    if (Math.abs(difference) > 1e-8 * Math.max(1, Math.abs(theirs))) {
      differences.push({ currency, positions: mine, exchange: theirs, difference });
    }
  }
  return differences;
}
