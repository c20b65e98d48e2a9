import type { Fee, Order, Trade } from "ccxt";
import type { OrderStatus, OrderType, Side } from "../../domain/order.ts";
import type { ExchangeOrder, ExchangeTrade } from "../exchange.ts";

/** What we already know about an order, for the fields a terse exchange reply leaves out. */
export interface OrderFallback {
  readonly clientOrderId?: string;
  readonly symbol?: string;
  readonly side?: Side;
  readonly type?: OrderType;
  readonly amount?: number;
  readonly price?: number;
  readonly time: number;
}

/**
 * A ccxt order as an ExchangeOrder.
 * @example toExchangeOrder(await exchange.fetchOrder(id, "BTC/USDT"), { time: Date.now() }).status // "filled"
 */
export function toExchangeOrder(order: Order, fallback: OrderFallback): ExchangeOrder {
  const known = orderType(order.type);
  // ccxt reports Binance's spot STOP_LOSS as a "market" order with a trigger price.
  const type = known === "market" && num(order.triggerPrice) ? "stop" : (known ?? fallback.type ?? "limit");
  const filled = num(order.filled) ?? 0;
  const fee = feeOf(order);
  return {
    exchangeOrderId: String(order.id),
    clientOrderId: order.clientOrderId ?? fallback.clientOrderId ?? "",
    symbol: order.symbol ?? fallback.symbol ?? "",
    side: side(order.side) ?? fallback.side ?? "buy",
    type,
    // A market buy by quote amount (Upbit) has no base amount until it fills.
    amount: num(order.amount) ?? (filled > 0 ? filled : undefined) ?? fallback.amount ?? 0,
    price:
      type === "limit"
        ? (num(order.price) ?? fallback.price)
        : type === "stop"
          ? (num(order.triggerPrice) ?? fallback.price)
          : undefined,
    status: orderStatus(order.status, type, filled),
    filled,
    averagePrice: num(order.average) ?? (filled > 0 && num(order.cost) ? (order.cost as number) / filled : undefined),
    fee: fee.cost,
    feeCurrency: fee.currency,
    time: num(order.timestamp) ?? fallback.time,
  };
}

/**
 * ccxt's unified status with the fill taken into account. A market order "canceled" after it filled
 * is filled: Upbit closes every market buy that leaves a few won of its quote budget unspent that way.
 * @example orderStatus("open", "limit", 0.5) // "partially_filled"
 */
export function orderStatus(status: string | undefined, type: OrderType, filled: number): OrderStatus {
  switch (status) {
    case "closed":
      return "filled";
    case "canceled":
    case "cancelled":
      return type === "market" && filled > 0 ? "filled" : "cancelled";
    case "expired":
      return "expired";
    case "rejected":
      return "rejected";
    default:
      return filled > 0 ? "partially_filled" : "open";
  }
}

/**
 * A ccxt trade as an ExchangeTrade; `orderFee` shares an order's fee out over its fills when the
 * exchange reports the fee only per order (Upbit).
 * @example toExchangeTrade(trade, {}).feeCurrency // "USDT"
 */
export function toExchangeTrade(
  trade: Trade,
  known: {
    clientOrderId?: string;
    exchangeOrderId?: string;
    orderFee?: { cost: number; currency?: string; filled: number };
  },
): ExchangeTrade {
  const amount = num(trade.amount) ?? 0;
  let fee = feeOf(trade);
  if (fee.currency === undefined && known.orderFee && known.orderFee.filled > 0) {
    fee = { cost: (known.orderFee.cost * amount) / known.orderFee.filled, currency: known.orderFee.currency };
  }
  return {
    id: String(trade.id),
    exchangeOrderId: String(trade.order ?? known.exchangeOrderId ?? ""),
    clientOrderId: known.clientOrderId,
    symbol: trade.symbol ?? "",
    side: side(trade.side) ?? "buy",
    amount,
    price: num(trade.price) ?? 0,
    fee: fee.cost,
    feeCurrency: fee.currency ?? "",
    time: num(trade.timestamp) ?? 0,
  };
}

/**
 * The fee of an order or trade in one currency. ccxt lists fees per currency in `fees`; an order that
 * paid in two currencies (rare: BNB running out mid-order) reports the first.
 */
export function feeOf(item: { fee?: Fee; fees?: Fee[] }): { cost: number; currency?: string } {
  const fees = (item.fees ?? []).filter((f): f is NonNullable<Fee> => f !== undefined && f !== null);
  const list = fees.length > 0 ? fees : item.fee ? [item.fee] : [];
  const paid = list.filter((f) => (num(f.cost) ?? 0) !== 0);
  const currency = (paid[0] ?? list[0])?.currency ?? undefined;
  if (currency === undefined) return { cost: 0 };
  const cost = list.filter((f) => f.currency === currency).reduce((sum, f) => sum + (num(f.cost) ?? 0), 0);
  return { cost, currency };
}

function side(value: string | undefined): Side | undefined {
  return value === "buy" || value === "sell" ? value : undefined;
}

/** ccxt's lower-cased exchange type: Binance spot's stop-market order is "stop_loss". */
function orderType(value: string | undefined): OrderType | undefined {
  if (value === "market" || value === "limit") return value;
  return value === "stop_loss" || value === "stop_market" || value === "stop" ? "stop" : undefined;
}

function num(value: number | string | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}
