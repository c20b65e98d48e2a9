import type { Exchange, Order } from "ccxt";
import { ExchangeError } from "../errors.ts";
import type { ExchangeTrade } from "../exchange.ts";
import { feeOf, toExchangeTrade } from "./orders.ts";

/**
 * Our own fills in `symbol` since `since`, oldest first. Exchanges with a "my trades" endpoint (Binance)
 * answer in one call. Upbit has none: its fills are listed inside each order, so this walks our
 * finished, cancelled and open orders and reads each order that filled. That costs one request per
 * order, which is why it is meant for reconciliation, not polling. The order lists are asked for
 * WITHOUT `since`: an order placed before `since` can fill after it. So fills of orders older than
 * the exchange's closed-order window (Upbit: the last 7 days, 100 orders) are out of reach.
 * @example await fetchOwnTrades(exchange, "BTC/KRW", Date.now() - 86_400_000)
 */
export async function fetchOwnTrades(ex: Exchange, symbol: string, since?: number): Promise<ExchangeTrade[]> {
  if (ex.has.fetchMyTrades) {
    const trades = await ex.fetchMyTrades(symbol, since);
    return sorted(trades.map((trade) => toExchangeTrade(trade, {})));
  }
  if (!ex.has.fetchClosedOrders) throw new ExchangeError(ex.id, `${ex.id} offers no way to list our own fills`);
  const lists = await Promise.all([
    ex.fetchClosedOrders(symbol),
    ex.has.fetchCanceledOrders ? ex.fetchCanceledOrders(symbol) : Promise.resolve([]),
    ex.fetchOpenOrders(symbol),
  ]);
  const filled = uniqueById(lists.flat()).filter((order) => (order.filled ?? 0) > 0);
  const trades: ExchangeTrade[] = [];
  for (const listed of filled) {
    const order = listed.trades?.length ? listed : await ex.fetchOrder(String(listed.id), symbol);
    const fee = feeOf(order);
    for (const trade of order.trades ?? []) {
      trades.push(
        toExchangeTrade(trade, {
          clientOrderId: order.clientOrderId ?? undefined,
          exchangeOrderId: String(order.id),
          orderFee: { cost: fee.cost, currency: fee.currency, filled: order.filled ?? 0 },
        }),
      );
    }
  }
  return sorted(trades.filter((trade) => since === undefined || trade.time >= since));
}

function uniqueById(orders: Order[]): Order[] {
  const byId = new Map<string, Order>();
  for (const order of orders) byId.set(String(order.id), order);
  return [...byId.values()];
}

function sorted(trades: ExchangeTrade[]): ExchangeTrade[] {
  return trades.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
}
