import ccxt from "ccxt";
import { describe, expect, it } from "vitest";
import { mapCcxtError, type Operation } from "../../../../core/execution/ccxt/map-error.ts";
import { redact } from "../../../../core/execution/ccxt/redact.ts";
import { retryAfterMs } from "../../../../core/execution/ccxt/response-meta.ts";
import {
  AuthenticationError,
  ExchangeError,
  InsufficientFundsError,
  InvalidOrderError,
  OrderNotFoundError,
  RateLimitedError,
  RetryableExchangeError,
} from "../../../../core/execution/errors.ts";
import { SECRET } from "./helpers.ts";

const KEY = "qc-TEST-API-KEY-0123456789";
const map = (error: unknown, operation: Operation = "fetchBalance") =>
  mapCcxtError(error, { exchange: "binance", operation, secrets: [KEY, SECRET], now: 0 });

describe("mapCcxtError", () => {
  it.each([
    [new ccxt.NetworkError("x"), RetryableExchangeError],
    [new ccxt.RequestTimeout("x"), RetryableExchangeError],
    [new ccxt.ExchangeNotAvailable("x"), RetryableExchangeError],
    [new ccxt.InvalidNonce("x"), RetryableExchangeError],
    [new ccxt.BadResponse("x"), RetryableExchangeError],
    [new ccxt.DDoSProtection("x"), RateLimitedError],
    [new ccxt.RateLimitExceeded("x"), RateLimitedError],
    [new ccxt.InsufficientFunds("x"), InsufficientFundsError],
    [new ccxt.InvalidOrder("x"), InvalidOrderError],
    [new ccxt.OrderNotFound("x"), OrderNotFoundError],
    [new ccxt.AuthenticationError("x"), AuthenticationError],
    [new ccxt.PermissionDenied("x"), AuthenticationError],
  ] as const)("%o becomes %o", (error, expected) => {
    const mapped = map(error);
    expect(mapped).toBeInstanceOf(expected);
    expect(mapped.exchange).toBe("binance");
    expect(mapped.retryable).toBe(mapped instanceof RetryableExchangeError);
  });

  it("keeps OrderNotFound apart from its ccxt parent InvalidOrder", () => {
    expect(map(new ccxt.OrderNotFound("x"))).not.toBeInstanceOf(InvalidOrderError);
  });

  it("reads a create's plain ccxt ExchangeError or BadRequest as a refusal only when the exchange said 4xx", () => {
    expect(map(new ccxt.BadRequest("binance -1013 Filter failure: NOTIONAL"), "createOrder")).toBeInstanceOf(
      InvalidOrderError,
    );
    expect(map(new ccxt.BadRequest("x"), "fetchBalance")).not.toBeInstanceOf(InvalidOrderError);
    // No status known: the order may exist, so the executor must look it up rather than mark it rejected.
    const unknown = map(new ccxt.ExchangeError("binance {}"), "createOrder");
    expect(unknown).toBeInstanceOf(RetryableExchangeError);
    expect(unknown.message).toMatch(/^outcome unknown/);
    expect(map(new TypeError("cannot read properties of undefined"), "createOrder")).toBeInstanceOf(
      RetryableExchangeError,
    );
  });

  it("does not pass a bug off as an exchange rejection outside creates", () => {
    const mapped = map(new TypeError("x is not a function"), "fetchTrades");
    expect(mapped).toBeInstanceOf(ExchangeError);
    expect(mapped.retryable).toBe(false);
    expect(mapped.message).toMatch(/^unexpected error/);
  });

  it("returns an adapter error as it is", () => {
    const own = new InvalidOrderError("binance", "amount must be positive");
    expect(map(own)).toBe(own);
  });

  it("strips the signed query and any credential from ccxt's message", () => {
    const raw = `binance GET https://api.binance.com/api/v3/account?timestamp=1700000000000&recvWindow=10000&signature=9f86d081884c7d65 fetch failed: other side closed apiKey=${KEY} secret: ${SECRET}`;
    const mapped = map(new ccxt.NetworkError(raw));
    expect(mapped.message).toContain("https://api.binance.com/api/v3/account?[redacted] fetch failed");
    expect(mapped.message).not.toContain("9f86d081884c7d65");
    expect(mapped.message).not.toContain(KEY);
    expect(mapped.message).not.toContain(SECRET);
  });
});

describe("redact", () => {
  it("blanks bearer tokens, credential fields and literal secrets, and caps the length", () => {
    const out = redact(
      `upbit Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJhY2Nlc3Nfa2V5IjoiayJ9.c2ln {"secret":"${SECRET}"} ${"x".repeat(600)}`,
      [SECRET],
    );
    expect(out).not.toMatch(/eyJ/);
    expect(out).not.toContain(SECRET);
    expect(out).toContain("Bearer [redacted]");
    expect(out.length).toBeLessThanOrEqual(501);
  });

  it("leaves an ordinary message alone", () => {
    expect(redact("binance Filter failure: NOTIONAL", ["short"])).toBe("binance Filter failure: NOTIONAL");
  });
});

describe("retryAfterMs", () => {
  it("reads delta seconds and HTTP dates, whatever the header's case", () => {
    expect(retryAfterMs({ "Retry-After": "2" }, 0)).toBe(2_000);
    expect(retryAfterMs({ "retry-after": "0.5" }, 0)).toBe(500);
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    expect(retryAfterMs({ "Retry-After": "Mon, 01 Jan 2024 00:00:30 GMT" }, now)).toBe(30_000);
    expect(retryAfterMs({ "Retry-After": "soon" }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });
});
