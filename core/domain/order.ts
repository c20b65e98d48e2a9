/** Which way an order trades. */
export type Side = "buy" | "sell";
/**
 * "stop" is a stop-market order resting on the exchange: when the market trades through its trigger
 * (`price`) it becomes a market order. The engine places one to protect a position where the venue
 * takes them (see core/trading/exchange-stops.ts).
 */
export type OrderType = "market" | "limit" | "stop";

/**
 * How big an intent is, as the strategy said it: a fraction of the instance's allocation, an amount
 * of quote currency, or a quantity of the base asset. The risk manager turns it into an amount.
 */
export type IntentSize =
  | { readonly kind: "fraction"; readonly value: number }
  | { readonly kind: "quote"; readonly value: number }
  | { readonly kind: "base"; readonly value: number };

/** A price level given as an absolute price or as a percentage away from the entry. */
export type PriceLevel = { readonly price: number } | { readonly pct: number };

/** The four trailing-stop modes of the design (ARCHITECTURE.md §4). */
export type TrailingStop =
  | { readonly mode: "percent"; readonly pct: number }
  | { readonly mode: "atr"; readonly multiple: number; readonly period: number }
  | { readonly mode: "step"; readonly bands: readonly { readonly profitPct: number; readonly trailPct: number }[] }
  | { readonly mode: "sar"; readonly step: number; readonly max: number };

/**
 * What a strategy asks for. It is only a wish: the risk manager approves, resizes or rejects it and
 * the executor decides how it reaches the exchange.
 */
export interface OrderIntent {
  /** Deterministic id: the same strategy on the same candle asking the same thing gets the same id. */
  readonly id: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: Side;
  /** True for exits: close or reduce what is held, never open or flip. */
  readonly reduceOnly: boolean;
  readonly size: IntentSize;
  readonly type: OrderType;
  readonly limitPrice?: number;
  /** The trigger of a `stop` order. */
  readonly triggerPrice?: number;
  readonly stopLoss?: PriceLevel;
  readonly takeProfit?: PriceLevel;
  readonly trailingStop?: TrailingStop;
  /** Open time of the candle that caused the intent. */
  readonly candleTime: number;
  readonly reason?: string;
}

export type OrderStatus =
  | "pending" // stored, not yet acknowledged by the exchange
  | "open"
  | "partially_filled"
  | "filled"
  | "cancelled"
  | "rejected"
  | "expired";

const FINAL: ReadonlySet<OrderStatus> = new Set(["filled", "cancelled", "rejected", "expired"]);

/** @example isFinalStatus("filled") // true */
export function isFinalStatus(status: OrderStatus): boolean {
  return FINAL.has(status);
}

/** An order as the store and the exchange know it. */
export interface Order {
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly strategyId: string;
  readonly intentId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly amount: number;
  readonly price?: number;
  readonly status: OrderStatus;
  readonly filled: number;
  readonly averagePrice?: number;
  readonly fee: number;
  readonly exchangeOrderId?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly reason?: string;
}

/** One execution against an order. */
export interface Fill {
  readonly id: string;
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly amount: number;
  readonly price: number;
  readonly fee: number;
  readonly feeCurrency: string;
  readonly time: number;
}

/**
 * A client order id the exchange will accept (Binance: up to 36 of [A-Za-z0-9_-]), derived only from
 * the strategy and the intent so that a retry after a crash asks for the same order again.
 * @example clientOrderId("sma-btc", "sma-btc:BTC/USDT:1700000000000:0") // "qc-…" (stable)
 */
export function clientOrderId(strategyId: string, intentId: string): string {
  // FNV-1a 64-bit over both ids, as two 32-bit halves: no crypto import, so domain stays pure. The two
  // ids are hashed where they are (with the NUL between them), not joined into a string first.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < strategyId.length; i++) {
    const c = strategyId.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  h1 = Math.imul(h1, 0x01000193) >>> 0;
  h2 = Math.imul(h2, 0x5bd1e995) >>> 0;
  for (let i = 0; i < intentId.length; i++) {
    const c = intentId.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `qc-${base36(h1)}${base36(h2)}-${base36(strategyId.length + 1 + intentId.length)}`;
}

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

const CODES = Array.from(DIGITS, (c) => c.charCodeAt(0));
/** The digits of base36's number, last digit at the end: 7 are enough below 2^32. */
const digits = [0, 0, 0, 0, 0, 0, 0];

/**
 * `n.toString(36)` for a non-negative integer below 2^32, without the general number printer, and as
 * one string: prepending digit by digit made a string per digit, for every order.
 */
function base36(n: number): string {
  if (n < 36) return DIGITS[n] as string;
  let k = 7;
  for (; n > 0; n = Math.floor(n / 36)) digits[--k] = CODES[n % 36] as number;
  const d = digits as [number, number, number, number, number, number, number];
  switch (k) {
    case 0:
      return String.fromCharCode(d[0], d[1], d[2], d[3], d[4], d[5], d[6]);
    case 1:
      return String.fromCharCode(d[1], d[2], d[3], d[4], d[5], d[6]);
    case 2:
      return String.fromCharCode(d[2], d[3], d[4], d[5], d[6]);
    case 3:
      return String.fromCharCode(d[3], d[4], d[5], d[6]);
    case 4:
      return String.fromCharCode(d[4], d[5], d[6]);
    default:
      return String.fromCharCode(d[5], d[6]);
  }
}
