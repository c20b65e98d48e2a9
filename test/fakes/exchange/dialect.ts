import type { IncomingHttpHeaders } from "node:http";
import type { FakeBook, FakeMarket } from "./book.ts";

/** One request as a dialect sees it: query and body merged into `params`. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
}

export interface FakeReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** How one real exchange's REST API looks: its routes, its JSON, its errors. */
export interface Dialect {
  readonly name: "binance" | "upbit";
  readonly feeIn: "received" | "quote";
  newOrderId(seq: number): string;
  /** The exchange's id for a market: "BTCUSDT", "KRW-BTC". */
  marketId(market: FakeMarket): string;
  isPrivate(path: string): boolean;
  /** The API key the request presents, if any. */
  apiKeyOf(request: FakeRequest): string | undefined;
  handle(request: FakeRequest, book: FakeBook): FakeReply;
  readonly errors: {
    auth(): FakeReply;
    status(status: number): FakeReply;
    insufficientFunds(): FakeReply;
    invalidOrder(reason: string): FakeReply;
  };
}

/** Finds the unified symbol of an exchange market id. */
export function symbolOf(
  book: FakeBook,
  dialect: Pick<Dialect, "marketId">,
  id: string | undefined,
): string | undefined {
  for (const [symbol, market] of book.markets) if (dialect.marketId(market) === id) return symbol;
  return undefined;
}

/** Number as the exchanges print it: a decimal string, no exponent. */
export function fmt(value: number | undefined, decimals = 8): string {
  return (value ?? 0).toFixed(decimals);
}
