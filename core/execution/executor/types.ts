import type { Bus } from "../../bus/index.ts";
import type { Clock } from "../../clock.ts";
import type { Fill, Order } from "../../domain/index.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/database.ts";
import type { CreateOrderRequest, ExchangeAdapter, ExchangeOrder } from "../exchange.ts";
import type { OrderLedger } from "./ledger.ts";
import type { RetryPolicy, RetryRuntime } from "./retry.ts";

/**
 * Points on the order path where a caller may step in: crash tests kill the process there, a
 * tracer logs. Each runs to completion before the path goes on.
 */
export interface ExecutorHooks {
  /** The pending order is committed; the exchange has not seen it. */
  afterStored?(order: Order): void | Promise<void>;
  /** About to send a create (each attempt). */
  beforeSend?(request: CreateOrderRequest, attempt: number): void | Promise<void>;
  /** The exchange has the order (its reply, or a lookup after a lost reply); the store does not know yet. */
  afterAccepted?(order: ExchangeOrder): void | Promise<void>;
  /** A fill is about to be written (with the order and the position, in one transaction). */
  beforeFillRecorded?(fill: Fill): void | Promise<void>;
}

export interface ExecutorOptions {
  readonly accountId: string;
  readonly exchange: ExchangeAdapter;
  readonly store: Store;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly log?: Logger;
  readonly retry?: Partial<RetryPolicy>;
  /** A limit order still (partly) unfilled this long after it was created is cancelled and marked expired. Default 1 hour. */
  readonly limitTimeoutMs?: number;
  /**
   * How long an exchange may still act on a create whose reply was lost (timeout, dropped connection,
   * 5xx). A lookup that finds nothing only proves the order does not exist once this much time has
   * passed since the request left; before that the request may sit in a queue. Default 5 s.
   */
  readonly lostReplyGraceMs?: number;
  /**
   * On restart, a stored pending order the exchange provably never received is sent after all if it
   * is younger than this; older ones are closed as rejected (a stale signal must not trade). Default 0.
   */
  readonly resendPendingWithinMs?: number;
  /** A live account: reconciliation compares positions with the exchange's balances. */
  readonly live?: boolean;
  /** Poll open orders every this many ms once `start()` ran; 0 leaves polling to the caller (`sync()`). */
  readonly pollIntervalMs?: number;
  readonly hooks?: ExecutorHooks;
  /** Defaults to the fastest ledger for the store (raw SQLite, or Kysely on PostgreSQL). */
  readonly ledger?: OrderLedger;
  /** For tests: waits and randomness of backoff. */
  readonly runtime?: Partial<RetryRuntime>;
}

/** What submit did with an intent. */
export type SubmitResult =
  /** The risk verdict rejected it: nothing was stored or sent. */
  | { readonly kind: "denied"; readonly reason: string }
  /** An order for this intent was already stored: nothing was sent again. */
  | { readonly kind: "duplicate"; readonly order: Order }
  /** A new order went down the order path; `order.status` says where it ended (possibly rejected). */
  | { readonly kind: "new"; readonly order: Order };

/** What reconciliation found and did. */
export interface ReconcileReport {
  /** Stored orders that were not final at start. */
  readonly checked: number;
  /** Orders whose state changed (fills applied, closed, expired). */
  readonly updated: readonly Order[];
  /** Stored orders the exchange does not know, closed with a reason. */
  readonly closed: readonly Order[];
  /** Pending orders the exchange never got, sent after all (see `resendPendingWithinMs`). */
  readonly resent: readonly Order[];
  /** Orders the lookup could not settle (the exchange kept failing); they stay tracked. */
  readonly unresolved: readonly Order[];
  /** Open orders on the exchange that we never stored (placed by hand, or by another bot). */
  readonly unknownOnExchange: readonly ExchangeOrder[];
  /** Live accounts: per currency, what our positions hold against what the exchange holds. */
  readonly balanceDifferences: readonly BalanceDifference[];
}

export interface BalanceDifference {
  readonly currency: string;
  /** Sum of the account's stored positions in this currency. */
  readonly positions: number;
  /** The exchange's total (free + used). */
  readonly exchange: number;
  readonly difference: number;
}
