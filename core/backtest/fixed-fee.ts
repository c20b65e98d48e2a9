import type { Balances } from "../domain/index.ts";
import type { ExchangeOrder, ImmediateVenue } from "../execution/exchange.ts";
import type { PaperExchange } from "../execution/paper/exchange.ts";
import { splitSymbol } from "../portfolio/currencies.ts";

/**
 * A paper venue that charges a fixed fee per order (a broker's "1 USD a trade"), which the paper
 * exchange's percent fees cannot express. Give the paper exchange zero fees; this adds `perOrder` to an
 * order's fee when it first fills, and takes what it charged out of the quote balance it reports, so
 * the executor records the fee with the fill and the account's cash pays it.
 * @example const venue = withFixedFee(await createPaperExchange({ ...options, fees: { maker: 0, taker: 0 } }), 1)
 */
export function withFixedFee(paper: PaperExchange, perOrder: number): PaperExchange {
  /** Fee charged per client order id. */
  const charged = new Map<string, number>();
  /** Total charged per quote currency. */
  const paid = new Map<string, number>();

  const report = (order: ExchangeOrder): ExchangeOrder => {
    if (order.filled > 0 && !charged.has(order.clientOrderId)) {
      charged.set(order.clientOrderId, perOrder);
      const quote = splitSymbol(order.symbol).quote;
      paid.set(quote, (paid.get(quote) ?? 0) + perOrder);
    }
    const fee = charged.get(order.clientOrderId);
    return fee === undefined ? order : { ...order, fee: order.fee + fee };
  };
  const maybe = (order: ExchangeOrder | undefined) => order && report(order);

  const balances = (): Balances => {
    const out: Record<string, { free: number; used: number }> = { ...paper.immediate.fetchBalance() };
    for (const [currency, fees] of paid) {
      const b = out[currency] ?? { free: 0, used: 0 };
      out[currency] = { free: b.free - fees, used: b.used };
    }
    return out;
  };
  const immediate: ImmediateVenue = {
    createOrder: (request) => report(paper.immediate.createOrder(request)),
    fetchBalance: balances,
  };

  return {
    ...paper,
    immediate,
    createOrder: async (request) => immediate.createOrder(request),
    fetchOrderByClientId: async (symbol, clientOrderId) =>
      maybe(await paper.fetchOrderByClientId(symbol, clientOrderId)),
    fetchOpenOrders: async (symbol) => (await paper.fetchOpenOrders(symbol)).map(report),
    cancelOrder: async (symbol, clientOrderId) => report(await paper.cancelOrder(symbol, clientOrderId)),
    onCandle: (symbol, candle) => paper.onCandle(symbol, candle).map(report),
    fetchBalance: async () => balances(),
  };
}
