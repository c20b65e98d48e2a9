import type { Candle } from "../domain/candle.ts";
import type { OrderStatus, OrderType, Side } from "../domain/order.ts";
import type { Balances } from "../domain/position.ts";
import type { Timeframe } from "../domain/timeframe.ts";

/**
 * What the executor needs to know about one market to size and round an order. Steps are plain
 * step sizes whatever the exchange's own precision mode; 0 means the exchange sets no step or minimum.
 * @example { symbol: "BTC/USDT", base: "BTC", quote: "USDT", amountStep: 0.00001, priceTick: 0.01, minAmount: 0.00001, minNotional: 5, active: true }
 */
export interface MarketInfo {
  /** Unified symbol as ccxt spells it: "BTC/USDT". */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  /** Amounts must be a multiple of this (base currency). */
  readonly amountStep: number;
  /** Limit prices must be a multiple of this (quote currency). */
  readonly priceTick: number;
  readonly minAmount: number;
  /** Smallest amount × price the exchange accepts, in quote currency. */
  readonly minNotional: number;
  /** False while the exchange does not accept orders (halted, delisting). */
  readonly active: boolean;
}

/** One of OUR fills as the exchange reports it. `fee` is in `feeCurrency` (on Binance often the base asset). */
export interface ExchangeTrade {
  readonly id: string;
  readonly exchangeOrderId: string;
  /** Only when the exchange reports it with the fill; match on `exchangeOrderId` otherwise. */
  readonly clientOrderId?: string;
  readonly symbol: string;
  readonly side: Side;
  readonly amount: number;
  readonly price: number;
  readonly fee: number;
  readonly feeCurrency: string;
  readonly time: number;
}

/** An order as the exchange reports it. */
export interface ExchangeOrder {
  readonly exchangeOrderId: string;
  /** Our client order id; "" for an order the exchange holds without one (placed by hand). */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly amount: number;
  /** The limit price, or a stop order's trigger; undefined for market orders. */
  readonly price?: number;
  /** Never "pending": the exchange knows the order. */
  readonly status: OrderStatus;
  readonly filled: number;
  readonly averagePrice?: number;
  readonly fee: number;
  readonly feeCurrency?: string;
  /** When the exchange created the order, epoch ms. */
  readonly time: number;
}

/**
 * An order to place. `price` is the limit price of a limit order and the trigger of a stop order; for a
 * market order it is the reference price the caller sized with, which exchanges that buy by quote
 * amount (Upbit) need.
 * @example { clientOrderId: "qc-1x2y-20", symbol: "BTC/USDT", side: "buy", type: "limit", amount: 0.01, price: 50_000 }
 */
export interface CreateOrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly amount: number;
  readonly price?: number;
}

/** The calls an in-process venue answers without a promise (see ExchangeAdapter.immediate). */
export interface ImmediateVenue {
  createOrder(request: CreateOrderRequest): ExchangeOrder;
  fetchBalance(): Balances;
}

/**
 * The one interface every venue implements: the paper exchange and the ccxt adapter. Methods throw
 * the typed errors of `errors.ts` and nothing else; none of them retries (the executor owns retries).
 * @example
 * const order = await exchange.createOrder({ clientOrderId, symbol: "BTC/USDT", side: "buy", type: "market", amount: 0.01 });
 * // reply lost? never resend: look it up
 * const known = await exchange.fetchOrderByClientId("BTC/USDT", clientOrderId);
 */
export interface ExchangeAdapter {
  /** The ccxt exchange id, or "paper". */
  readonly exchange: string;
  /**
   * True when the venue takes `type: "stop"` orders (stop-market, resting until the trigger trades):
   * the engine then places protective stops there. Absent or false: the engine manages them from the feed.
   */
  readonly stopOrders?: boolean;
  /**
   * Present on a venue that lives in this process (the paper exchange): createOrder and fetchBalance
   * answered at once, the same answers and the same typed errors, thrown. The executor and the
   * account use them so that an order costs no turn of the event loop; everything else is the same.
   */
  readonly immediate?: ImmediateVenue;
  /** Spot markets by unified symbol. */
  loadMarkets(): Promise<ReadonlyMap<string, MarketInfo>>;
  createOrder(request: CreateOrderRequest): Promise<ExchangeOrder>;
  /** The order placed with this client order id, or undefined when the exchange has none. */
  fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<ExchangeOrder | undefined>;
  fetchOpenOrders(symbol?: string): Promise<ExchangeOrder[]>;
  /** Asks the exchange to cancel; the reply says where the order stands (some exchanges cancel asynchronously). */
  cancelOrder(symbol: string, clientOrderId: string): Promise<ExchangeOrder>;
  /** Non-zero balances by currency. */
  fetchBalance(): Promise<Balances>;
  /** Our own fills in `symbol` since `since` (epoch ms), oldest first; possibly one page: ask again from the last fill's time. */
  fetchTrades(symbol: string, since?: number): Promise<ExchangeTrade[]>;
  /** Candles oldest first; the last one may still be open. */
  fetchCandles(symbol: string, timeframe: Timeframe, since?: number, limit?: number): Promise<Candle[]>;
  /** Releases connections; the adapter is unusable afterwards. */
  close(): Promise<void>;
}
