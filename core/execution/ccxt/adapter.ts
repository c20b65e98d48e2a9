import type { Exchange, Order } from "ccxt";
import type { Candle } from "../../domain/candle.ts";
import type { Balances } from "../../domain/position.ts";
import type { Timeframe } from "../../domain/timeframe.ts";
import { ExchangeError, InvalidOrderError, OrderNotFoundError } from "../errors.ts";
import type { CreateOrderRequest, ExchangeAdapter, ExchangeOrder, ExchangeTrade, MarketInfo } from "../exchange.ts";
import { type CcxtInstanceConfig, createCcxtInstance } from "./instance.ts";
import { mapCcxtError, type Operation } from "./map-error.ts";
import { toMarketInfo } from "./markets.ts";
import { toExchangeOrder } from "./orders.ts";
import { quirksOf } from "./quirks.ts";
import { fetchOwnTrades } from "./trades.ts";

export interface CcxtAdapterConfig extends CcxtInstanceConfig {
  /** Where "now" comes from for replies without a timestamp and for Retry-After dates. */
  readonly now?: () => number;
}

/**
 * The ExchangeAdapter for any ccxt exchange: ccxt is wrapped here once, and everything it throws
 * leaves as a typed error from `../errors.ts` with a message safe to log. No retries (the executor's).
 * fetchTrades and fetchCandles return one exchange page (Binance fills: 500 within 7 days of `since`).
 * @example
 * const binance = createCcxtAdapter({ exchange: "binance", options: { sandbox: true }, credentials });
 * await binance.createOrder({ clientOrderId, symbol: "BTC/USDT", side: "buy", type: "market", amount: 0.001 });
 */
export function createCcxtAdapter(config: CcxtAdapterConfig): ExchangeAdapter {
  const id = config.exchange;
  const now = config.now ?? Date.now;
  const quirks = quirksOf(id);
  const secrets = [config.credentials?.apiKey, config.credentials?.secret, config.credentials?.password].filter(
    (s): s is string => typeof s === "string",
  );
  const ex = createCcxtInstance(config);
  // ccxt's unified stop-loss order (a stop-market order on spot: Binance's STOP_LOSS). Upbit has none.
  const stopOrders = ex.has.createStopLossOrder === true;

  /** Runs one ccxt call and maps whatever it throws. */
  async function call<T>(operation: Operation, run: (ex: Exchange) => Promise<T>): Promise<T> {
    try {
      return await run(ex);
    } catch (error) {
      throw mapCcxtError(error, { exchange: id, operation, secrets, now: now() });
    }
  }

  /** ccxt's fetchOrder/cancelOrder find an order by client id through a param; the id argument stays empty. */
  const byClientId = (clientOrderId: string) => ({ [quirks.lookupIdParam]: clientOrderId });
  const noId = undefined as unknown as string;

  return {
    exchange: id,
    stopOrders,

    async loadMarkets(): Promise<ReadonlyMap<string, MarketInfo>> {
      const markets = await call("loadMarkets", (ex) => ex.loadMarkets());
      const out = new Map<string, MarketInfo>();
      for (const market of Object.values(markets)) {
        if (market?.spot)
          out.set(market.symbol, toMarketInfo(market, ex.precisionMode ?? 0, quirks.minNotionalByQuote));
      }
      return out;
    },

    async createOrder(request: CreateOrderRequest): Promise<ExchangeOrder> {
      checkRequest(id, request);
      const params: Record<string, unknown> = { [quirks.createIdParam]: request.clientOrderId };
      if (request.type === "stop") {
        if (!stopOrders) throw new InvalidOrderError(id, `${id} takes no stop orders through ccxt`);
        const order = await call("createOrder", (ex) =>
          ex.createOrder(request.symbol, "market", request.side, request.amount, undefined, {
            ...params,
            stopLossPrice: request.price,
          }),
        );
        return toExchangeOrder(order, { ...request, time: now() });
      }
      const price = priceArgument(ex, request);
      // ccxt's unified way to say how much quote a market buy spends; it wins over the exchange's option.
      if (request.type === "market" && price !== undefined) params.cost = request.amount * price;
      const order = await call("createOrder", (ex) =>
        ex.createOrder(request.symbol, request.type, request.side, request.amount, price, params),
      );
      return toExchangeOrder(order, { ...request, time: now() });
    },

    async fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<ExchangeOrder | undefined> {
      try {
        const order = await call("fetchOrder", (ex) => ex.fetchOrder(noId, symbol, byClientId(clientOrderId)));
        return toExchangeOrder(order, { clientOrderId, symbol, time: now() });
      } catch (error) {
        if (error instanceof OrderNotFoundError) return undefined;
        throw error;
      }
    },

    async fetchOpenOrders(symbol?: string): Promise<ExchangeOrder[]> {
      const orders = await call("fetchOpenOrders", (ex) => ex.fetchOpenOrders(symbol));
      return orders.map((order) => toExchangeOrder(order, { symbol, time: now() }));
    },

    async cancelOrder(symbol: string, clientOrderId: string): Promise<ExchangeOrder> {
      const order: Order = await call("cancelOrder", (ex) => ex.cancelOrder(noId, symbol, byClientId(clientOrderId)));
      // Binance answers a cancel with the cancel request's own new client id; the order's is the one we sent.
      return { ...toExchangeOrder(order, { clientOrderId, symbol, time: now() }), clientOrderId };
    },

    async fetchBalance(): Promise<Balances> {
      const balance = await call("fetchBalance", (ex) => ex.fetchBalance());
      // ccxt types these three as one Balance; they are maps by currency.
      const column = (name: "free" | "used" | "total") =>
        (balance[name] ?? {}) as unknown as Readonly<Record<string, number | undefined>>;
      const [frees, useds] = [column("free"), column("used")];
      const out: Record<string, { free: number; used: number }> = {};
      for (const [currency, total] of Object.entries(column("total"))) {
        const free = Number(frees[currency] ?? 0) || 0;
        const used = Number(useds[currency] ?? 0) || 0;
        if (free !== 0 || used !== 0 || (Number(total) || 0) !== 0) out[currency] = { free, used };
      }
      return out;
    },

    fetchTrades(symbol: string, since?: number): Promise<ExchangeTrade[]> {
      return call("fetchTrades", (ex) => fetchOwnTrades(ex, symbol, since));
    },

    async fetchCandles(symbol: string, timeframe: Timeframe, since?: number, limit?: number): Promise<Candle[]> {
      if (ex.timeframes && !(timeframe in ex.timeframes)) {
        throw new ExchangeError(id, `${id} has no ${timeframe} candles`);
      }
      const rows = await call("fetchCandles", (ex) => ex.fetchOHLCV(symbol, timeframe, since, limit));
      const candles: Candle[] = [];
      for (const [time, open, high, low, close, volume] of rows) {
        if ([time, open, high, low, close].some((v) => typeof v !== "number")) continue;
        candles.push({
          time: time as number,
          open: open as number,
          high: high as number,
          low: low as number,
          close: close as number,
          volume: volume ?? 0,
        });
      }
      return candles.sort((a, b) => a.time - b.time);
    },

    async close(): Promise<void> {
      await ex.close();
      // ccxt's close() ends websockets only; its keep-alive HTTP pool would otherwise hold sockets open.
      const dispatcher = ex.fetchDispatcher as { close?: () => Promise<void> } | undefined;
      await dispatcher?.close?.();
    },
  };
}

function checkRequest(id: string, request: CreateOrderRequest): void {
  if (!(Number.isFinite(request.amount) && request.amount > 0)) {
    throw new InvalidOrderError(id, `amount must be a positive number, got ${request.amount}`);
  }
  if (
    request.type !== "market" &&
    !(request.price !== undefined && Number.isFinite(request.price) && request.price > 0)
  ) {
    throw new InvalidOrderError(
      id,
      `a ${request.type} order needs a positive ${request.type === "stop" ? "trigger " : ""}price`,
    );
  }
  if (request.clientOrderId.length === 0) throw new InvalidOrderError(id, "a client order id is required");
}

/**
 * The price argument ccxt gets. Market orders get none, except a market buy on an exchange that buys by
 * quote amount (Upbit; ccxt marks them with the createMarketBuyOrderRequiresPrice option, whatever its
 * value): it spends amount × price there. Binance would turn a price on a market order into
 * quoteOrderQty, a different order.
 */
function priceArgument(ex: Exchange, request: CreateOrderRequest): number | undefined {
  if (request.type === "limit") return request.price;
  const buysByCost = request.side === "buy" && "createMarketBuyOrderRequiresPrice" in (ex.options ?? {});
  if (!buysByCost) return undefined;
  if (request.price === undefined || !(request.price > 0)) {
    throw new InvalidOrderError(ex.id, `${ex.id} market buys spend a quote amount: pass the reference price`);
  }
  return request.price;
}
