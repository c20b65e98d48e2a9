/**
 * The errors an exchange adapter throws. The executor decides on the class alone: retry with backoff,
 * deny the order, or stop and ask a human. Messages are safe to log: adapters strip keys, secrets,
 * signatures and query strings before they build one.
 */

/**
 * Base of every adapter error; thrown as is when nothing more specific fits (an unsupported call, an
 * unknown rejection). Not retryable.
 * @example throw new ExchangeError("binance", "binance has no 2h candles")
 */
export class ExchangeError extends Error {
  /** True when the same request may succeed later. */
  readonly retryable: boolean = false;

  constructor(
    /** The ccxt exchange id, or "paper". */
    readonly exchange: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The request failed in transit or on the exchange's side (network error, timeout, 5xx, 429): its
 * outcome is UNKNOWN. For a create, look the order up by client order id before sending it again.
 * @example new RetryableExchangeError("binance", "binance GET /api/v3/account: request timed out")
 */
export class RetryableExchangeError extends ExchangeError {
  override readonly retryable: boolean = true;

  constructor(
    exchange: string,
    message: string,
    /** How long the exchange asked us to wait, when it said so (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(exchange, message);
  }
}

/**
 * The exchange throttled us (HTTP 429/418 or its own rate-limit code). Back off at least `retryAfterMs`.
 * @example new RateLimitedError("binance", "binance 429 Too Many Requests", 2_000)
 */
export class RateLimitedError extends RetryableExchangeError {}

/** Not enough free balance for the order. @example new InsufficientFundsError("upbit", "upbit insufficient_funds_bid") */
export class InsufficientFundsError extends ExchangeError {}

/**
 * The exchange refused the order as given (amount or price off precision, below the minimum notional,
 * unknown symbol): sending it again will not help.
 * @example new InvalidOrderError("binance", "binance Filter failure: NOTIONAL")
 */
export class InvalidOrderError extends ExchangeError {}

/** The exchange knows no such order. @example new OrderNotFoundError("binance", "binance Unknown order sent.") */
export class OrderNotFoundError extends ExchangeError {}

/** Keys missing, wrong, expired or without permission. @example new AuthenticationError("upbit", "upbit invalid_access_key") */
export class AuthenticationError extends ExchangeError {}

/** @example isRetryable(new RateLimitedError("binance", "429")) // true */
export function isRetryable(error: unknown): error is RetryableExchangeError {
  return error instanceof RetryableExchangeError;
}
