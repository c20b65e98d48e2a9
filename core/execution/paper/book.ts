import type { Candle, OrderStatus, OrderType, Side } from "../../domain/index.ts";
import { amountKey } from "../amount-key.ts";
import { InsufficientFundsError, InvalidOrderError, OrderNotFoundError } from "../errors.ts";
import type { CreateOrderRequest, ExchangeOrder, ExchangeTrade, MarketInfo } from "../exchange.ts";
import { feeOf, fillableAmount, isMarketable, limitCrossed, marketFillPrice, type PaperFees } from "./pricing.ts";
import type { Wallets } from "./wallets.ts";

/** An order as the paper exchange holds it. */
export interface PaperOrder {
  readonly exchangeOrderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly amount: number;
  readonly price?: number;
  status: OrderStatus;
  filled: number;
  /** Quote value of the fills so far. */
  cost: number;
  fee: number;
  readonly feeCurrency: string;
  /** What the order still holds in `used`, in the quote (buy) or base (sell) currency. */
  reserved: number;
  readonly time: number;
}

export interface BookSettings {
  readonly fees: PaperFees;
  readonly slippageBps: number;
  readonly shorting: boolean;
  readonly volumeShare?: number;
  /**
   * Final orders kept for lookup by client order id, and trades kept per symbol; older ones are
   * forgotten, as real exchanges forget (Upbit lists 7 days). Open orders are always kept.
   */
  readonly retain: number;
}

const PAPER = "paper";

/**
 * The paper exchange's matching: market orders fill at once at the last price with slippage and the
 * taker fee; limit orders rest, reserve their funds, and fill at their limit price (maker fee) when a
 * later candle trades through it. No I/O and no clock of its own: `now` is passed in, so the same
 * inputs always give the same fills.
 */
export class PaperBook {
  readonly orders = new Map<string, PaperOrder>();
  private readonly trades = new Map<string, ExchangeTrade[]>();
  /**
   * Limit orders still open: what a candle can fill. Kept apart from `orders` (which also remembers up
   * to 2 x retain final orders for lookups) so a candle costs O(resting), not O(orders remembered).
   */
  private readonly resting = new Set<PaperOrder>();
  /** Client order ids of final orders, oldest first: what `retain` trims. */
  private readonly finished: string[] = [];
  private readonly last = new Map<string, number>();

  constructor(
    readonly wallets: Wallets,
    private readonly settings: BookSettings,
  ) {}

  lastPrice(symbol: string): number | undefined {
    return this.last.get(symbol);
  }

  setPrice(symbol: string, price: number): void {
    this.last.set(symbol, price);
  }

  /** Takes an order; throws the typed errors an exchange would. */
  place(request: CreateOrderRequest, market: MarketInfo, now: number): PaperOrder {
    const { symbol, side, type, amount, clientOrderId } = request;
    if (this.orders.has(clientOrderId))
      throw new InvalidOrderError(PAPER, `duplicate client order id ${clientOrderId}`);
    if (!(amount > 0 && Number.isFinite(amount)))
      throw new InvalidOrderError(PAPER, `amount must be positive, got ${amount}`);
    if (amount < market.minAmount) {
      throw new InvalidOrderError(PAPER, `${amount} ${market.base} is below the minimum of ${market.minAmount}`);
    }
    // The engine watches protective stops on the feed for a paper account (as in a backtest).
    if (type === "stop") throw new InvalidOrderError(PAPER, "the paper exchange takes no stop orders");
    const last = this.last.get(symbol);
    if (type === "limit" && !(request.price !== undefined && request.price > 0)) {
      throw new InvalidOrderError(PAPER, "a limit order needs a positive price");
    }
    if (type === "market" && last === undefined) throw new InvalidOrderError(PAPER, `no price for ${symbol} yet`);
    const takes = type === "market" || isMarketable(side, request.price as number, last);
    // A market order's `price` is only the reference the caller sized with (CreateOrderRequest), never a cap.
    const cap = type === "limit" ? request.price : undefined;
    const fillPrice = takes ? this.takerPrice(side, last as number, market, cap) : (request.price as number);
    if (amount * fillPrice < market.minNotional) {
      throw new InvalidOrderError(PAPER, `worth less than the minimum of ${market.minNotional} ${market.quote}`);
    }
    const order: PaperOrder = {
      exchangeOrderId: `P-${clientOrderId}`,
      clientOrderId,
      symbol,
      side,
      type,
      amount,
      price: type === "limit" ? request.price : undefined,
      status: "open",
      filled: 0,
      cost: 0,
      fee: 0,
      feeCurrency: market.quote,
      reserved: 0,
      time: now,
    };
    const pct = takes ? this.settings.fees.taker : this.settings.fees.maker;
    this.reserve(order, market, amount * (type === "limit" ? (request.price as number) : fillPrice), pct);
    this.orders.set(clientOrderId, order);
    if (takes) this.fill(order, market, amount, fillPrice, pct, now);
    if (type === "limit" && isOpen(order)) this.resting.add(order);
    return order;
  }

  /** A candle closed: resting orders of its symbol it traded through fill, then its close is the last price. */
  onCandle(symbol: string, candle: Candle, market: MarketInfo, now: number): PaperOrder[] {
    const touched: PaperOrder[] = [];
    for (const order of this.resting) {
      if (order.symbol !== symbol || !isOpen(order)) continue;
      const limit = order.price as number;
      if (!limitCrossed(order.side, limit, candle)) continue;
      const amount = fillableAmount(order.amount - order.filled, candle, this.settings.volumeShare);
      if (!(amount > 0)) continue;
      this.fill(order, market, amount, limit, this.settings.fees.maker, now);
      touched.push(order);
    }
    this.last.set(symbol, candle.close);
    return touched;
  }

  cancel(clientOrderId: string, market: MarketInfo): PaperOrder {
    const order = this.orders.get(clientOrderId);
    if (!order) throw new OrderNotFoundError(PAPER, `no order ${clientOrderId}`);
    if (!isOpen(order)) return order;
    this.release(order, market);
    order.status = "cancelled";
    this.finish(order);
    return order;
  }

  tradesOf(symbol: string): readonly ExchangeTrade[] {
    return this.trades.get(symbol) ?? [];
  }

  /** Puts back an order that was open before a restart, with what it had filled. */
  restore(order: PaperOrder, market: MarketInfo): void {
    const left = order.amount - order.filled;
    const pct = this.settings.fees.maker;
    order.reserved = 0;
    this.orders.set(order.clientOrderId, order);
    if (order.type === "limit" && isOpen(order)) this.resting.add(order);
    // The same arithmetic as at placement, so the restored hold matches the mirror to the last bit.
    const notional = left * (order.price as number);
    if (order.side === "buy") this.hold(order, market.quote, notional + feeOf(notional, pct));
    else if (!this.settings.shorting) this.hold(order, market.base, left);
  }

  /** Remembers a final order, forgetting the oldest beyond `retain` (in halves, for the same reason). */
  private finish(order: PaperOrder): void {
    this.resting.delete(order);
    this.finished.push(order.clientOrderId);
    if (this.finished.length < 2 * this.settings.retain) return;
    for (const id of this.finished.splice(0, this.finished.length - this.settings.retain)) this.orders.delete(id);
  }

  private takerPrice(side: Side, last: number, market: MarketInfo, limit?: number): number {
    const price = marketFillPrice(side, last, this.settings.slippageBps, market.priceTick);
    // A marketable limit never fills beyond its limit.
    if (limit === undefined) return price;
    return side === "buy" ? Math.min(price, limit) : Math.max(price, limit);
  }

  /** Holds the funds an order needs, or refuses it like an exchange would. */
  private reserve(order: PaperOrder, market: MarketInfo, notional: number, feePct: number): void {
    if (order.side === "buy") {
      const need = notional + feeOf(notional, feePct);
      this.require(market.quote, need);
      this.hold(order, market.quote, need);
      return;
    }
    if (this.settings.shorting) return;
    this.require(market.base, order.amount);
    this.hold(order, market.base, order.amount);
  }

  private require(currency: string, need: number): void {
    const free = this.wallets.get(currency).free;
    if (free + 1e-12 < need) {
      throw new InsufficientFundsError(
        PAPER,
        `insufficient ${currency}: the order needs ${round(need)}, ${round(free)} free`,
      );
    }
  }

  private hold(order: PaperOrder, currency: string, amount: number): void {
    this.wallets.reserve(currency, amount);
    order.reserved += amount;
  }

  private release(order: PaperOrder, market: MarketInfo): void {
    if (order.reserved !== 0) this.wallets.reserve(order.side === "buy" ? market.quote : market.base, -order.reserved);
    order.reserved = 0;
  }

  private fill(
    order: PaperOrder,
    market: MarketInfo,
    amount: number,
    price: number,
    feePct: number,
    now: number,
  ): void {
    const cost = amount * price;
    const fee = feeOf(cost, feePct);
    if (order.side === "buy") {
      const spent = Math.min(cost + fee, order.reserved);
      this.wallets.spendReserved(market.quote, spent);
      order.reserved -= spent;
      // Paid more than reserved (a marketable limit filled as taker costs no more than reserved, but float
      // rounding can leave a hair): the rest comes out of free.
      if (cost + fee > spent) this.wallets.move(market.quote, -(cost + fee - spent));
      this.wallets.move(market.base, amount);
    } else {
      const held = Math.min(amount, order.reserved);
      this.wallets.spendReserved(market.base, held);
      order.reserved -= held;
      if (amount > held) this.wallets.move(market.base, -(amount - held));
      this.wallets.move(market.quote, cost - fee);
    }
    order.filled += amount;
    order.cost += cost;
    order.fee += fee;
    if (order.amount - order.filled <= 1e-12 * order.amount) {
      order.filled = order.amount;
      order.status = "filled";
      this.release(order, market);
      this.finish(order);
    } else order.status = "partially_filled";
    const trades = this.trades.get(order.symbol) ?? [];
    // Trimmed in halves, not one by one: shifting a long array on every fill would cost more than the fill.
    if (trades.length >= 2 * this.settings.retain) trades.splice(0, trades.length - this.settings.retain);
    trades.push({
      // Keyed by the cumulative amount: unique, and stable across a restart that resumes the order.
      id: `${order.exchangeOrderId}@${amountKey(order.filled)}`,
      exchangeOrderId: order.exchangeOrderId,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      amount,
      price,
      fee,
      feeCurrency: order.feeCurrency,
      time: now,
    });
    this.trades.set(order.symbol, trades);
  }
}

/**
 * A paper order as the ExchangeAdapter reports it.
 * @example toExchangeOrder(order).status // "partially_filled"
 */
export function toExchangeOrder(order: PaperOrder): ExchangeOrder {
  // Field by field, not with conditional spreads (slow on Node 20, and this runs for every order):
  // the same keys in the same order, `price` and `averagePrice` only when there is one.
  const out: { -readonly [K in keyof ExchangeOrder]: ExchangeOrder[K] } = {
    exchangeOrderId: order.exchangeOrderId,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    amount: order.amount,
  } as ExchangeOrder;
  if (order.price !== undefined) out.price = order.price;
  out.status = order.status;
  out.filled = order.filled;
  if (order.filled > 0) out.averagePrice = order.cost / order.filled;
  out.fee = order.fee;
  out.feeCurrency = order.feeCurrency;
  out.time = order.time;
  return out;
}

export function isOpen(order: PaperOrder): boolean {
  return order.status === "open" || order.status === "partially_filled";
}

function round(value: number): number {
  return Number(value.toPrecision(10));
}
