import ccxt from "ccxt";
import {
  AuthenticationError,
  ExchangeError,
  InsufficientFundsError,
  InvalidOrderError,
  OrderNotFoundError,
  RateLimitedError,
  RetryableExchangeError,
} from "../errors.ts";
import { redact } from "./redact.ts";
import { responseMetaOf, retryAfterMs } from "./response-meta.ts";

/** The adapter call an error happened in: the same ccxt error means different things in different calls. */
export type Operation =
  | "loadMarkets"
  | "createOrder"
  | "fetchOrder"
  | "fetchOpenOrders"
  | "cancelOrder"
  | "fetchBalance"
  | "fetchTrades"
  | "fetchCandles";

export interface ErrorContext {
  readonly exchange: string;
  readonly operation: Operation;
  /** Credential values to blank from messages. */
  readonly secrets: readonly string[];
  readonly now: number;
}

/**
 * Turns whatever ccxt threw into one of the adapter's typed errors, with a message safe to log. The
 * original error is not kept as `cause`: its message holds the signed URL.
 * @example mapCcxtError(new ccxt.RequestTimeout("binance GET https://… timed out"), ctx) // RetryableExchangeError
 */
export function mapCcxtError(error: unknown, ctx: ErrorContext): ExchangeError {
  if (error instanceof ExchangeError) return error;
  const message = redact(error instanceof Error ? error.message : String(error), ctx.secrets);
  const { exchange } = ctx;
  const meta = responseMetaOf(error);
  const status = meta?.status;
  const wait = meta ? retryAfterMs(meta.headers, ctx.now) : undefined;

  // The HTTP status wins over the body: an exchange's own error JSON on a 429 or 5xx must not read as
  // a final rejection (Binance documents a 5xx as "execution status unknown").
  if (status === 429 || status === 418) return new RateLimitedError(exchange, message, wait);
  if (error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection) {
    return new RateLimitedError(exchange, message, wait);
  }
  if (status !== undefined && status >= 500) return new RetryableExchangeError(exchange, message, wait);
  if (error instanceof ccxt.AuthenticationError) return new AuthenticationError(exchange, message);
  if (error instanceof ccxt.InsufficientFunds) return new InsufficientFundsError(exchange, message);
  // OrderNotFound is a subclass of InvalidOrder in ccxt, so it goes first.
  if (error instanceof ccxt.OrderNotFound) return new OrderNotFoundError(exchange, message);
  if (error instanceof ccxt.InvalidOrder) return new InvalidOrderError(exchange, message);
  // NetworkError, RequestTimeout, ExchangeNotAvailable, InvalidNonce, BadResponse: it may work next time.
  if (error instanceof ccxt.OperationFailed) return new RetryableExchangeError(exchange, message, wait);
  if (ctx.operation === "createOrder") return createOrderError(error, exchange, message, status);
  if (error instanceof ccxt.BaseError) return new ExchangeError(exchange, message);
  // Not from ccxt at all: a bug on our side or in a parser. Say so rather than pass it off as a rejection.
  return new ExchangeError(exchange, `unexpected error: ${message}`);
}

/**
 * On a create the distinction that matters is "refused" versus "unknown": a refused order can be
 * marked rejected, an unknown one must be looked up by client order id before anything else.
 */
function createOrderError(error: unknown, exchange: string, message: string, status?: number): ExchangeError {
  const refused =
    error instanceof ccxt.BadRequest ||
    error instanceof ccxt.ArgumentsRequired ||
    error instanceof ccxt.NotSupported ||
    error instanceof ccxt.OperationRejected ||
    (error instanceof ccxt.ExchangeError && status !== undefined && status >= 400 && status < 500);
  if (refused) return new InvalidOrderError(exchange, message);
  return new RetryableExchangeError(exchange, `outcome unknown: ${message}`);
}
