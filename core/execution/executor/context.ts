import type { Bus } from "../../bus/index.ts";
import type { Clock } from "../../clock.ts";
import type { Order } from "../../domain/index.ts";
import type { Logger } from "../../log.ts";
import { type MarketCurrencies, splitSymbol } from "../../portfolio/currencies.ts";
import type { Store } from "../../store/database.ts";
import type { ExchangeAdapter, ExchangeOrder } from "../exchange.ts";
import type { Maybe } from "../maybe.ts";
import { KeyedLock } from "./keyed-lock.ts";
import type { Applied, OrderLedger, WriteOptions } from "./ledger.ts";
import { MarketCache } from "./markets.ts";
import { type ObservationContext, type ObservedFees, planClose, planObservation } from "./plan.ts";
import type { RetryPolicy, RetryRuntime } from "./retry.ts";
import { withRetry } from "./retry.ts";
import type { ExecutorHooks } from "./types.ts";

/** One executor's state and dependencies, shared by the files of the order path. */
export interface ExecutorContext {
  readonly accountId: string;
  readonly exchange: ExchangeAdapter;
  readonly store: Store;
  readonly ledger: OrderLedger;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly log?: Logger;
  readonly policy: RetryPolicy;
  readonly runtime: RetryRuntime;
  readonly graceMs: number;
  readonly limitTimeoutMs: number;
  readonly hooks: ExecutorHooks;
  readonly markets: MarketCache;
  /** Base and quote per symbol, once known: read on every fill. */
  readonly currencies: Map<string, MarketCurrencies>;
  readonly locks: KeyedLock;
  /** Client order ids of orders not yet final that this executor polls. */
  readonly tracked: Set<string>;
  /** When the last create of an order left, for the lost-reply grace period. */
  readonly sentAt: Map<string, number>;
  /** Submits under way: with company, writes share commits (group commit); alone, they commit at once. */
  readonly load: { submits: number };
  /** Logs a publish that failed (one function for every event, not a closure per event). */
  readonly onPublishFailure: (error: unknown) => void;
}

/** The ledger's write options for the current load. */
export function writeOptions(ctx: ExecutorContext): WriteOptions {
  return ctx.load.submits > 1 ? BATCH : ALONE;
}

const BATCH: WriteOptions = { batch: true };
const ALONE: WriteOptions = {};

export function createContext(
  fields: Omit<
    ExecutorContext,
    "markets" | "currencies" | "locks" | "tracked" | "sentAt" | "load" | "onPublishFailure"
  >,
): ExecutorContext {
  return {
    ...fields,
    markets: new MarketCache(fields.exchange, fields.clock, fields.policy, fields.runtime),
    currencies: new Map(),
    locks: new KeyedLock(),
    tracked: new Set(),
    sentAt: new Map(),
    load: { submits: 0 },
    onPublishFailure: (error: unknown) => fields.log?.error({ err: error }, "publishing an order event failed"),
  };
}

/**
 * The exchange's view of a stored order, by client order id, with retries on network errors.
 * @example const ex = await lookup(ctx, order) // undefined: the exchange has no such order
 */
export function lookup(ctx: ExecutorContext, order: Pick<Order, "symbol" | "clientOrderId">) {
  return withRetry(
    () => ctx.exchange.fetchOrderByClientId(order.symbol, order.clientOrderId),
    ctx.policy,
    ctx.runtime,
    (error, attempt, delayMs) =>
      ctx.log?.warn(
        { err: error, attempt, delayMs, clientOrderId: order.clientOrderId },
        "order lookup failed; retrying",
      ),
  );
}

/** The currencies of a symbol, from the exchange's market when known. */
export async function currenciesOf(ctx: ExecutorContext, symbol: string): Promise<MarketCurrencies> {
  const known = knownCurrencies(ctx, symbol);
  if (known) return known;
  const market = await ctx.markets.get(symbol).catch(() => undefined);
  if (!market) return splitSymbol(symbol);
  const currencies = { base: market.base, quote: market.quote };
  ctx.currencies.set(symbol, currencies);
  return currencies;
}

/** The currencies of a symbol whose market is loaded, without a wait; undefined otherwise. */
function knownCurrencies(ctx: ExecutorContext, symbol: string): MarketCurrencies | undefined {
  const known = ctx.currencies.get(symbol);
  if (known) return known;
  const market = ctx.markets.cached(symbol);
  if (!market) return undefined;
  const currencies = { base: market.base, quote: market.quote };
  ctx.currencies.set(symbol, currencies);
  return currencies;
}

/**
 * Records what the exchange says about an order: fills, fees, the position, the new status, all in
 * one transaction; THEN publishes, so a subscriber that reads the store finds what the event says.
 * Answers at once when nothing it needs is pending (the market known, the fee on the order, no hook,
 * a ledger that commits at once).
 * @example const applied = await observe(ctx, order, exchangeOrder)
 */
export function observe(
  ctx: ExecutorContext,
  stored: Order,
  ex: ExchangeOrder,
  extra: Pick<ObservationContext, "expiring" | "reason"> = {},
): Maybe<Order> {
  const market = knownCurrencies(ctx, stored.symbol);
  if (!market || ex.feeCurrency === undefined || ctx.hooks.beforeFillRecorded) {
    return observeSlowly(ctx, stored, ex, extra);
  }
  const context: { -readonly [K in keyof ObservationContext]: ObservationContext[K] } = {
    now: ctx.clock.now(),
    market,
  };
  if (extra.expiring !== undefined) context.expiring = extra.expiring;
  if (extra.reason !== undefined) context.reason = extra.reason;
  return record(ctx, stored, ex, context);
}

/** observe() when something must be waited for: the market, the fee from the trades, or a hook. */
async function observeSlowly(
  ctx: ExecutorContext,
  stored: Order,
  ex: ExchangeOrder,
  extra: Pick<ObservationContext, "expiring" | "reason">,
): Promise<Order> {
  const market = ctx.currencies.get(stored.symbol) ?? (await currenciesOf(ctx, stored.symbol));
  // Only when the order does not report its fee does it cost a trip for its trades.
  const fees = ex.feeCurrency === undefined ? await observedFees(ctx, stored, ex) : undefined;
  const now = ctx.clock.now();
  const context: ObservationContext = { now, market, ...(fees && { fees }), ...extra };
  if (ctx.hooks.beforeFillRecorded) {
    // Planned once outside the transaction only to show the hook the fill that is about to be written.
    const preview = planObservation(stored, ex, undefined, context);
    if (preview.fill) await ctx.hooks.beforeFillRecorded(preview.fill);
  }
  return record(ctx, stored, ex, context);
}

function record(ctx: ExecutorContext, stored: Order, ex: ExchangeOrder, context: ObservationContext): Maybe<Order> {
  const applied = ctx.ledger.apply(
    stored.clientOrderId,
    (current, position) => planObservation(current, ex, position, context),
    writeOptions(ctx),
  );
  if (applied instanceof Promise) return applied.then((a) => publish(ctx, a) ?? stored);
  return publish(ctx, applied) ?? stored;
}

/**
 * Closes a stored order without the exchange (refused, unknown after a restart), then publishes.
 * @example await closeOrder(ctx, order, "rejected", "unknown to the exchange after restart")
 */
export function closeOrder(
  ctx: ExecutorContext,
  stored: Order,
  status: "rejected" | "cancelled",
  reason: string,
): Maybe<Order> {
  const now = ctx.clock.now();
  const applied = ctx.ledger.apply(
    stored.clientOrderId,
    (current) => planClose(current, status, reason, now),
    writeOptions(ctx),
  );
  if (applied instanceof Promise) return applied.then((a) => closed(ctx, stored, a));
  return closed(ctx, stored, applied);
}

function closed(ctx: ExecutorContext, stored: Order, applied: Applied | undefined): Order {
  ctx.tracked.delete(stored.clientOrderId);
  return publish(ctx, applied) ?? stored;
}

/**
 * Events go out only after the store committed; a bus failure is logged, never undoes the store. An
 * event nobody can receive (an in-process bus without subscribers) is not built at all.
 */
export function publish(ctx: ExecutorContext, applied: Applied | undefined): Order | undefined {
  if (!applied) return undefined;
  const { bus } = ctx;
  if (applied.fill && bus.listens?.("order.filled") !== false) {
    bus.publish("order.filled", { fill: applied.fill }).catch(ctx.onPublishFailure);
  }
  if (applied.changed && bus.listens?.("order.updated") !== false) {
    bus.publish("order.updated", { order: applied.order }).catch(ctx.onPublishFailure);
  }
  return applied.order;
}

/**
 * An order's cumulative fee from its trades when the order itself reports none (Binance's order
 * endpoint carries no commission). Asked only when the order filled more since we last looked.
 */
async function observedFees(ctx: ExecutorContext, stored: Order, ex: ExchangeOrder): Promise<ObservedFees | undefined> {
  if (ex.feeCurrency !== undefined || !(ex.filled > stored.filled)) return undefined;
  try {
    // A minute of slack: the exchange stamps trades with its own clock.
    const trades = await withRetry(
      () => ctx.exchange.fetchTrades(stored.symbol, stored.createdAt - 60_000),
      ctx.policy,
      ctx.runtime,
    );
    const mine = trades.filter(
      (t) => t.exchangeOrderId === ex.exchangeOrderId || t.clientOrderId === stored.clientOrderId,
    );
    const amount = mine.reduce((sum, t) => sum + t.amount, 0);
    if (mine.length === 0 || !(amount > 0)) return undefined;
    const feeCurrency = mine.find((t) => t.feeCurrency !== "")?.feeCurrency ?? "";
    const fee = mine.filter((t) => t.feeCurrency === feeCurrency).reduce((sum, t) => sum + t.fee, 0);
    const averagePrice = mine.reduce((sum, t) => sum + t.amount * t.price, 0) / amount;
    // Trades can lag the order: scale the fee to the amount the order reports as filled.
    const scale = ex.filled > amount ? ex.filled / amount : 1;
    return { fee: fee * scale, feeCurrency, ...(Math.abs(amount - ex.filled) <= 1e-9 * ex.filled && { averagePrice }) };
  } catch (error) {
    ctx.log?.warn({ err: error, clientOrderId: stored.clientOrderId }, "could not read the order's trades for its fee");
    return undefined;
  }
}
