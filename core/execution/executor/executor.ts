import type { Order, OrderIntent, RiskVerdict } from "../../domain/index.ts";
import { clientOrderId, isFinalStatus } from "../../domain/index.ts";
import { Verdict } from "../../risk/verdict.ts";
import type { MarketInfo } from "../exchange.ts";
import { andThen, type Maybe, settle } from "../maybe.ts";
import { buildOrder } from "./build-order.ts";
import { createContext, type ExecutorContext, publish, writeOptions } from "./context.ts";
import { ledgerFor } from "./ledger.ts";
import { reconcile } from "./reconcile.ts";
import { DEFAULT_RETRY, realSleep } from "./retry.ts";
import { sendOrder } from "./send.ts";
import { cancelAndObserve, refresh } from "./track.ts";
import type { ExecutorOptions, ReconcileReport, SubmitResult } from "./types.ts";

/** One account's order executor. */
export interface Executor {
  readonly accountId: string;
  /**
   * Sends an intent the risk manager approved (or resized) down the order path; a rejected verdict is
   * "denied" and nothing is stored. Idempotent: an intent whose order is stored is a "duplicate".
   * `price` is the reference price the intent was sized at (market buys on Upbit spend amount × price).
   * Exchange trouble ends in the order's status, never in a throw; it throws only when the market list
   * cannot be loaded or the store fails, and then nothing was stored or sent.
   */
  submit(intent: OrderIntent, verdict: RiskVerdict, context?: { readonly price?: number }): Promise<SubmitResult>;
  /**
   * submit() that answers with the result itself when nothing on the way was pending (a ledger and a
   * venue in this process), a promise otherwise; it throws where submit rejects. The same order path,
   * the same locks: what the trading account calls, an order at a time, tens of thousands in a backtest.
   */
  submitNow(intent: OrderIntent, verdict: RiskVerdict, context?: { readonly price?: number }): Maybe<SubmitResult>;
  /** Start-up reconciliation with the exchange (see reconcile.ts). */
  reconcile(): Promise<ReconcileReport>;
  /** Polls every tracked order once: fills, final states, limit-order expiry. */
  sync(): Promise<void>;
  /** Cancels an order (an operator's /cancel); undefined when no such order is stored. */
  cancel(clientOrderId: string, reason?: string): Promise<Order | undefined>;
  /** Client order ids of the orders being tracked to a final state. */
  tracked(): readonly string[];
  /** How many orders are tracked (tracked().length without the copy: asked on every candle). */
  trackedCount(): number;
  /** Reconciles, then polls every `pollIntervalMs` (when set). */
  start(): Promise<ReconcileReport>;
  /** Stops polling and waits for the order path's work in progress. */
  stop(): Promise<void>;
}

/**
 * The order executor of one account. The order path, in the order it happens (and why):
 * 1. the client order id is derived from (strategy, intent): a retry or a restart asks for the SAME order;
 * 2. the order is rounded to the market and WRITTEN TO THE STORE as pending, committed, BEFORE the
 *    exchange can see it: a crash from here on leaves a row that reconciliation resolves;
 * 3. it is sent; errors with an unknown outcome are resolved by lookup, never by sending blindly;
 * 4. the exchange's answer (status, fills, fees) and the position change are written in ONE transaction;
 * 5. only then are `order.filled` / `order.updated` published, so every subscriber can trust the store.
 * @example
 * const executor = createExecutor({ accountId: "paper", exchange: paper, store, bus, clock });
 * await executor.start();
 * const result = await executor.submit(intent, evaluateIntent(intent, snapshot), { price: 50_000 });
 */
export function createExecutor(options: ExecutorOptions): Executor {
  const ctx: ExecutorContext = createContext({
    accountId: options.accountId,
    exchange: options.exchange,
    store: options.store,
    ledger: options.ledger ?? ledgerFor(options.store),
    bus: options.bus,
    clock: options.clock,
    ...(options.log && { log: options.log }),
    policy: { ...DEFAULT_RETRY, ...options.retry },
    runtime: { sleep: options.runtime?.sleep ?? realSleep, random: options.runtime?.random ?? Math.random },
    graceMs: options.lostReplyGraceMs ?? 5_000,
    limitTimeoutMs: options.limitTimeoutMs ?? 3_600_000,
    hooks: options.hooks ?? {},
  });
  const reconcileOptions = { resendPendingWithinMs: options.resendPendingWithinMs ?? 0, live: options.live ?? false };
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | undefined;

  function submitLocked(id: string, intent: OrderIntent, verdict: RiskVerdict, price?: number): Maybe<SubmitResult> {
    const market = ctx.markets.cached(intent.symbol);
    return market ? store(id, intent, verdict, market, price) : loadMarket(id, intent, verdict, price);
  }

  async function loadMarket(
    id: string,
    intent: OrderIntent,
    verdict: RiskVerdict,
    price?: number,
  ): Promise<SubmitResult> {
    let market: MarketInfo | undefined;
    try {
      market = await ctx.markets.get(intent.symbol);
    } catch (error) {
      // No market list (the exchange is down): a stored order is still recognised as the duplicate it is.
      const existing = await ctx.ledger.find(id);
      if (existing) return { kind: "duplicate", order: existing };
      throw error;
    }
    return store(id, intent, verdict, market, price);
  }

  function store(
    id: string,
    intent: OrderIntent,
    verdict: RiskVerdict,
    market: MarketInfo | undefined,
    price: number | undefined,
  ): Maybe<SubmitResult> {
    const built = buildOrder(intent, verdict, market, {
      accountId: ctx.accountId,
      clientOrderId: id,
      now: ctx.clock.now(),
      price,
    });
    // A problem found before sending is stored as rejected right away: the intent stays answered
    // (a resubmit is a duplicate) and chat sees the reason.
    const order: Order = built.problem ? { ...built.order, status: "rejected", reason: built.problem } : built.order;
    // The durable write that comes before everything else. It is also the idempotency check: an id
    // already stored (a resubmitted intent, a restart replaying a candle) inserts nothing, and that
    // stored order is the one; nothing is sent from here.
    const inserted = ctx.ledger.insert(order, writeOptions(ctx));
    if (inserted instanceof Promise) return inserted.then((ok) => stored(ok, order, built.problem, price));
    return stored(inserted, order, built.problem, price);
  }

  function stored(inserted: boolean, order: Order, problem: string | undefined, price?: number): Maybe<SubmitResult> {
    if (!inserted) return andThen(ctx.ledger.find(order.clientOrderId), (found) => duplicate(found ?? order));
    if (problem) {
      publish(ctx, { order, changed: true });
      return { kind: "new", order };
    }
    const { afterStored } = ctx.hooks;
    if (afterStored) return Promise.resolve(afterStored(order)).then(() => sent(sendOrder(ctx, order, price)));
    return sent(sendOrder(ctx, order, price));
  }

  async function syncAll(): Promise<void> {
    for (const id of [...ctx.tracked]) {
      try {
        await ctx.locks.run(id, () => refresh(ctx, id));
      } catch (error) {
        // One order's trouble (the exchange down) must not stop the others; it is tried again next sync.
        ctx.log?.warn({ err: error, clientOrderId: id }, "could not refresh an order; will try again");
      }
    }
  }

  const executor: Executor = {
    accountId: ctx.accountId,

    submit(intent, verdict, context = {}) {
      return settle(() => executor.submitNow(intent, verdict, context));
    },

    submitNow(intent, verdict, context = {}) {
      if (verdict.decision === "reject") return { kind: "denied", reason: rejectionOf(verdict) };
      const id = clientOrderId(intent.strategyId, intent.id);
      ctx.load.submits++;
      let result: Maybe<SubmitResult>;
      try {
        // The lock is taken only by what has to wait: a submit that answers at once cannot interleave.
        if (ctx.locks.busy(id)) result = ctx.locks.run(id, () => submitLocked(id, intent, verdict, context.price));
        else {
          result = submitLocked(id, intent, verdict, context.price);
          if (result instanceof Promise) result = ctx.locks.hold(id, result);
        }
      } catch (error) {
        ctx.load.submits--;
        throw error;
      }
      if (!(result instanceof Promise)) {
        ctx.load.submits--;
        return result;
      }
      return result.finally(() => {
        ctx.load.submits--;
      });
    },

    reconcile: () => reconcile(ctx, reconcileOptions),

    sync() {
      // Overlapping polls (a slow exchange, a short interval) would only queue behind the same locks.
      syncing ??= syncAll().finally(() => {
        syncing = undefined;
      });
      return syncing;
    },

    cancel(id, reason = "cancelled on request") {
      return ctx.locks.run(id, async () => {
        const stored = await ctx.ledger.find(id);
        if (!stored || isFinalStatus(stored.status)) return stored;
        return cancelAndObserve(ctx, stored, reason, false);
      });
    },

    tracked: () => [...ctx.tracked],

    trackedCount: () => ctx.tracked.size,

    async start() {
      const report = await executor.reconcile();
      const every = options.pollIntervalMs ?? 0;
      if (every > 0 && !timer) {
        timer = setInterval(() => void executor.sync(), every);
        timer.unref();
      }
      return report;
    },

    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await syncing;
      await ctx.locks.idle();
    },
  };
  return executor;
}

function duplicate(order: Order): SubmitResult {
  return { kind: "duplicate", order };
}

function sent(order: Maybe<Order>): Maybe<SubmitResult> {
  return order instanceof Promise ? order.then(created) : created(order);
}

function created(order: Order): SubmitResult {
  return { kind: "new", order };
}

/** What a denied intent says: the reason of the rule that rejected it (only that one is written). */
function rejectionOf(verdict: RiskVerdict): string {
  const reason =
    verdict instanceof Verdict ? verdict.rejection() : verdict.rules.find((r) => r.decision === "reject")?.reason;
  return reason ?? "rejected by the risk manager";
}
