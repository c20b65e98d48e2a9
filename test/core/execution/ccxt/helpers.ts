import ccxt from "ccxt";
import { vi } from "vitest";
import { createCcxtAdapter } from "../../../../core/execution/ccxt/index.ts";
import type { ExchangeAdapter } from "../../../../core/execution/exchange.ts";
import type { FakeMarket } from "../../../fakes/exchange/index.ts";
import { type FakeExchange, startFakeExchange } from "../../../fakes/exchange/index.ts";

/** A secret nobody could mistake for anything else: tests grep errors and request URLs for it. */
export const SECRET = "qc-TEST-SECRET-5f0c2a9e7b41d83c-never-logged";

export const BINANCE_MARKETS: Record<string, FakeMarket> = {
  "BTC/USDT": { base: "BTC", quote: "USDT", tickSize: 0.01, stepSize: 0.00001, minQty: 0.00001, minNotional: 5 },
  "ETH/USDT": { base: "ETH", quote: "USDT", tickSize: 0.01, stepSize: 0.0001, minQty: 0.0001, minNotional: 5 },
  "LUNA/USDT": {
    base: "LUNA",
    quote: "USDT",
    tickSize: 0.0001,
    stepSize: 0.01,
    minQty: 0.01,
    minNotional: 5,
    trading: false,
  },
};

export const UPBIT_MARKETS: Record<string, FakeMarket> = {
  // Upbit's KRW tick at prices above 2,000,000 won is 1,000; the minimum order is 5,000 won.
  "BTC/KRW": { base: "BTC", quote: "KRW", tickSize: 1000, stepSize: 0.00000001, minQty: 0.00000001, minNotional: 5000 },
  "ETH/KRW": { base: "ETH", quote: "KRW", tickSize: 1000, stepSize: 0.00000001, minQty: 0.00000001, minNotional: 5000 },
};

/**
 * ccxt's own `urls.api` for an exchange with every host swapped for the fake's: ALL keys, not only the
 * ones a test expects, because ccxt deep-merges a partial `urls` with the real hosts.
 * @example localUrls("binance", "http://127.0.0.1:5000").public // "http://127.0.0.1:5000/api/v3"
 */
export function localUrls(exchange: "binance" | "upbit", base: string): Record<string, string> {
  const Ctor = (ccxt as unknown as Record<string, new () => { urls: { api: Record<string, string> } }>)[exchange];
  const api = new (Ctor as new () => { urls: { api: Record<string, string> } })().urls.api;
  return Object.fromEntries(
    Object.entries(api).map(([key, url]) => [
      key,
      base + new URL(url.replace("{hostname}", "host")).pathname.replace(/\/$/, ""),
    ]),
  );
}

/**
 * Every URL ccxt fetches, in this test file; anything not on 127.0.0.1 is refused before it leaves, so
 * a mistake fails a test instead of reaching a real exchange.
 */
export function guardNetwork(): { readonly urls: string[]; restore(): void } {
  const urls: string[] = [];
  const original = ccxt.Exchange.prototype.fetch;
  const spy = vi.spyOn(ccxt.Exchange.prototype, "fetch").mockImplementation(function (
    this: InstanceType<typeof ccxt.Exchange>,
    url: string,
    ...rest: unknown[]
  ) {
    urls.push(url);
    if (!url.startsWith("http://127.0.0.1:")) {
      return Promise.reject(new Error(`test tried to reach ${new URL(url).host}: blocked`));
    }
    return (original as (...args: unknown[]) => Promise<unknown>).call(this, url, ...rest);
  });
  return { urls, restore: () => spy.mockRestore() };
}

export interface Venue {
  readonly fake: FakeExchange;
  readonly adapter: ExchangeAdapter;
}

/**
 * A fake exchange and a real ccxt adapter pointed at it, with the rate limiter turned down to keep
 * tests fast and a short timeout for the timeout tests.
 */
export async function startVenue(
  dialect: "binance" | "upbit",
  setup: { balances?: Record<string, number>; prices?: Record<string, number>; apiKey?: string | null } = {},
): Promise<Venue> {
  const fake = await startFakeExchange({
    dialect,
    markets: dialect === "binance" ? BINANCE_MARKETS : UPBIT_MARKETS,
    balances: setup.balances ?? (dialect === "binance" ? { USDT: 100_000, BTC: 1 } : { KRW: 100_000_000, BTC: 1 }),
    prices: setup.prices ?? (dialect === "binance" ? { "BTC/USDT": 50_000 } : { "BTC/KRW": 90_000_000 }),
  });
  const adapter = connect(fake, setup.apiKey === undefined ? fake.apiKey : setup.apiKey);
  return { fake, adapter };
}

/** A ccxt adapter on `fake` with `apiKey` (null: no credentials at all). */
export function connect(
  fake: FakeExchange,
  apiKey: string | null,
  options: Record<string, unknown> = {},
): ExchangeAdapter {
  return createCcxtAdapter({
    exchange: fake.dialect,
    options: { urls: { api: localUrls(fake.dialect, fake.url) }, rateLimit: 1, timeout: 1_000, ...options },
    ...(apiKey === null ? {} : { credentials: { apiKey, secret: SECRET } }),
  });
}
