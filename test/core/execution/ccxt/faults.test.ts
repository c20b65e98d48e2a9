import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AuthenticationError,
  type ExchangeError,
  InsufficientFundsError,
  InvalidOrderError,
  RateLimitedError,
  RetryableExchangeError,
} from "../../../../core/execution/errors.ts";
import type { CreateOrderRequest } from "../../../../core/execution/exchange.ts";
import type { LoggedRequest } from "../../../fakes/exchange/index.ts";
import { connect, guardNetwork, SECRET, startVenue, type Venue } from "./helpers.ts";

const network = guardNetwork();
/** Every error any test here provoked, and every request the fakes saw: the secret must be in none. */
const provoked: ExchangeError[] = [];
const seen: LoggedRequest[][] = [];
const apiKeys: string[] = [];

const CASES = [
  {
    dialect: "binance",
    symbol: "BTC/USDT",
    limitPrice: 45_000,
    create: "POST /api/v3/order",
    read: "GET /api/v3/account",
  },
  { dialect: "upbit", symbol: "BTC/KRW", limitPrice: 81_000_000, create: "POST /v1/orders", read: "GET /v1/accounts" },
] as const;

async function failure(attempt: Promise<unknown>): Promise<ExchangeError> {
  try {
    await attempt;
  } catch (error) {
    provoked.push(error as ExchangeError);
    return error as ExchangeError;
  }
  throw new Error("expected the call to fail");
}

describe.each(CASES)("$dialect: every injected fault becomes the right typed error", (c) => {
  let venue: Venue;
  let seq = 0;
  const order = (): CreateOrderRequest => ({
    clientOrderId: `qc-fault-${c.dialect}-${++seq}`,
    symbol: c.symbol,
    side: "buy",
    type: "limit",
    amount: 0.001,
    price: c.limitPrice,
  });
  const posts = (clientOrderId: string) =>
    venue.fake.requests.filter(
      (r) => r.method === "POST" && (r.params.newClientOrderId ?? r.params.identifier) === clientOrderId,
    );

  beforeAll(async () => {
    venue = await startVenue(c.dialect);
    seen.push(venue.fake.requests as LoggedRequest[]);
    apiKeys.push(venue.fake.apiKey);
    await venue.adapter.loadMarkets();
  });

  afterAll(async () => {
    expect(venue.fake.pendingFaults()).toEqual([]);
    expect(venue.fake.problems).toEqual([]);
    await venue.adapter.close();
    await venue.fake.close();
  });

  it("500 on a create: retryable (outcome unknown), not a rate limit; here nothing was created", async () => {
    const request = order();
    venue.fake.failNext(c.create, { status: 500 });
    const error = await failure(venue.adapter.createOrder(request));
    expect(error).toBeInstanceOf(RetryableExchangeError);
    expect(error).not.toBeInstanceOf(RateLimitedError);
    expect(error.retryable).toBe(true);
    expect(error.exchange).toBe(c.dialect);
    expect(await venue.adapter.fetchOrderByClientId(c.symbol, request.clientOrderId)).toBeUndefined();
  });

  it("503 on a read: retryable", async () => {
    venue.fake.failNext(c.read, { status: 503 });
    expect(await failure(venue.adapter.fetchBalance())).toBeInstanceOf(RetryableExchangeError);
  });

  it("429 with Retry-After: RateLimitedError carrying the wait in ms", async () => {
    venue.fake.failNext(c.create, { status: 429, retryAfter: 2 });
    const error = await failure(venue.adapter.createOrder(order()));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(2_000);
    venue.fake.failNext(c.read, { status: 429, retryAfter: 7 });
    const read = await failure(venue.adapter.fetchBalance());
    expect(read).toBeInstanceOf(RateLimitedError);
    expect((read as RateLimitedError).retryAfterMs).toBe(7_000);
  });

  it("timeout: retryable; the slow exchange still did the work, so a later lookup finds the order", async () => {
    const impatient = connect(venue.fake, venue.fake.apiKey, { timeout: 100 });
    try {
      const request = order();
      venue.fake.failNext(c.create, { timeoutMs: 250 });
      const error = await failure(impatient.createOrder(request));
      expect(error).toBeInstanceOf(RetryableExchangeError);
      expect(error.message).toMatch(/timed out/);
      await vi.waitFor(
        async () => expect(await venue.adapter.fetchOrderByClientId(c.symbol, request.clientOrderId)).toBeDefined(),
        {
          timeout: 3_000,
          interval: 50,
        },
      );
      expect(posts(request.clientOrderId)).toHaveLength(1);
    } finally {
      await impatient.close();
    }
  });

  it("connection dropped after the order was accepted: retryable, and the lookup resolves it without resending", async () => {
    const request = order();
    venue.fake.failNext(c.create, { dropAfterAccept: true });
    const error = await failure(venue.adapter.createOrder(request));
    expect(error).toBeInstanceOf(RetryableExchangeError);
    const found = await venue.adapter.fetchOrderByClientId(c.symbol, request.clientOrderId);
    expect(found).toMatchObject({
      clientOrderId: request.clientOrderId,
      status: "open",
      amount: 0.001,
      price: c.limitPrice,
    });
    expect(found?.exchangeOrderId).toBe(venue.fake.order(request.clientOrderId)?.id);
    expect(posts(request.clientOrderId)).toHaveLength(1);
    await venue.adapter.cancelOrder(c.symbol, request.clientOrderId);
  });

  it("connection dropped on a signed read: retryable, and the signed URL in ccxt's message loses its query", async () => {
    venue.fake.failNext(c.read, { dropAfterAccept: true });
    const error = await failure(venue.adapter.fetchBalance());
    expect(error).toBeInstanceOf(RetryableExchangeError);
    const sent = venue.fake.requests.findLast((r) => `${r.method} ${r.path}` === c.read);
    if (c.dialect === "binance") expect(sent?.params.signature).toBeTruthy();
    expect(error.message).toContain(`${c.read.split(" ")[1]}`);
    expect(error.message).not.toContain(sent?.url.split("?")[1] ?? "no query");
  });

  it("insufficient funds: InsufficientFundsError, not retryable", async () => {
    venue.fake.failNext(c.create, { insufficientFunds: true });
    const error = await failure(venue.adapter.createOrder(order()));
    expect(error).toBeInstanceOf(InsufficientFundsError);
    expect(error.retryable).toBe(false);
  });

  it("invalid order: InvalidOrderError with the exchange's reason, not retryable", async () => {
    venue.fake.failNext(c.create, { invalidOrder: "Filter failure: PERCENT_PRICE_BY_SIDE" });
    const error = await failure(venue.adapter.createOrder(order()));
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("PERCENT_PRICE_BY_SIDE");
  });

  it("a key the exchange does not know: AuthenticationError from its 401", async () => {
    const stranger = connect(venue.fake, "qc-unknown-api-key-0001");
    try {
      const error = await failure(stranger.fetchBalance());
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(venue.fake.requests.at(-1)).toMatchObject({ apiKey: "qc-unknown-api-key-0001" });
    } finally {
      await stranger.close();
    }
  });

  it("no key at all: AuthenticationError before any private request leaves", async () => {
    const anonymous = connect(venue.fake, null);
    try {
      await anonymous.loadMarkets();
      const before = venue.fake.requests.length;
      expect(await failure(anonymous.fetchBalance())).toBeInstanceOf(AuthenticationError);
      expect(await failure(anonymous.createOrder(order()))).toBeInstanceOf(AuthenticationError);
      expect(venue.fake.requests.length).toBe(before);
    } finally {
      await anonymous.close();
    }
  });
});

describe("what the faults leave behind", () => {
  it("no error message holds the secret, the API key, a signature or a bearer token", () => {
    expect(provoked.length).toBeGreaterThanOrEqual(20);
    for (const error of provoked) {
      expect(error.message).not.toContain(SECRET);
      for (const key of apiKeys) expect(error.message).not.toContain(key);
      expect(error.message).not.toMatch(/signature=|Bearer ey/);
    }
  });

  it("no request carried the secret, and every URL ccxt used was on 127.0.0.1", () => {
    const requests = seen.flat();
    expect(requests.length).toBeGreaterThan(20);
    for (const request of requests) expect(decodeURIComponent(request.url)).not.toContain(SECRET);
    expect(network.urls.length).toBeGreaterThan(20);
    for (const url of network.urls) expect(url.startsWith("http://127.0.0.1:")).toBe(true);
  });
});

afterAll(() => network.restore());
