import { isTimeframe, timeframeMs } from "../../../core/domain/timeframe.ts";
import type { FakeBook, FakeOrder, PlaceFailure } from "./book.ts";
import { type Dialect, type FakeReply, type FakeRequest, fmt, symbolOf } from "./dialect.ts";

/**
 * Binance spot REST, as much of it as ccxt's `binance` class calls for spot trading: the shapes follow
 * https://developers.binance.com/docs/binance-spot-api-docs/rest-api (exchangeInfo filters, order
 * responses ACK/RESULT/FULL, error codes with their real messages).
 */

const err = (status: number, code: number, msg: string): FakeReply => ({ status, body: { code, msg } });

const PLACE_ERRORS: Record<PlaceFailure, FakeReply> = {
  unknown_symbol: err(400, -1121, "Invalid symbol."),
  market_closed: err(400, -2010, "Market is closed."),
  lot_size: err(400, -1013, "Filter failure: LOT_SIZE"),
  price_filter: err(400, -1013, "Filter failure: PRICE_FILTER"),
  min_notional: err(400, -1013, "Filter failure: NOTIONAL"),
  insufficient_funds: err(400, -2010, "Account has insufficient balance for requested action."),
  duplicate: err(400, -2010, "Duplicate order sent."),
};

const STATUS: Record<FakeOrder["status"], string> = { open: "NEW", filled: "FILLED", cancelled: "CANCELED" };

type Handler = (request: FakeRequest, book: FakeBook) => FakeReply;

export const binance: Dialect = {
  name: "binance",
  feeIn: "received",
  newOrderId: (seq) => String(1_000_000 + seq),
  marketId: (market) => `${market.base}${market.quote}`,
  isPrivate: (path) => path.startsWith("/sapi/") || PRIVATE.has(path),
  apiKeyOf: (request) => header(request, "x-mbx-apikey"),
  handle(request, book) {
    const handler = ROUTES[`${request.method} ${request.path}`];
    if (!handler) return { status: 404, body: "<html><body><h1>404 Not Found</h1></body></html>" };
    if (this.isPrivate(request.path) && !request.params.signature) {
      return err(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    }
    return handler(request, book);
  },
  errors: {
    auth: () => err(401, -2015, "Invalid API-key, IP, or permissions for action."),
    status: (status) =>
      status === 429 || status === 418
        ? err(status, -1003, "Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute.")
        : status >= 500
          ? err(status, -1001, "Internal error; unable to process your request. Please try again.")
          : err(status, -1000, "An unknown error occurred while processing the request."),
    insufficientFunds: () => PLACE_ERRORS.insufficient_funds,
    invalidOrder: (reason) => err(400, -1013, reason),
  },
};

const PRIVATE = new Set(["/api/v3/order", "/api/v3/openOrders", "/api/v3/account", "/api/v3/myTrades"]);

const ROUTES: Record<string, Handler> = {
  "GET /api/v3/ping": () => ({ status: 200, body: {} }),
  "GET /api/v3/time": (_, book) => ({ status: 200, body: { serverTime: book.now } }),
  "GET /api/v3/exchangeInfo": exchangeInfo,
  "POST /api/v3/order": createOrder,
  "GET /api/v3/order": (request, book) => {
    const order = findOrder(request, book);
    return order ? { status: 200, body: orderJson(order) } : err(400, -2013, "Order does not exist.");
  },
  "DELETE /api/v3/order": (request, book) => {
    const order = findOrder(request, book);
    if (order?.status !== "open") return err(400, -2011, "Unknown order sent.");
    book.cancel(order);
    const { clientOrderId, time, updateTime, isWorking, workingTime, ...rest } = orderJson(order);
    // The reply's clientOrderId is the cancel request's own id; the order's comes back as origClientOrderId.
    return {
      status: 200,
      body: { ...rest, origClientOrderId: clientOrderId, clientOrderId: `cancel${order.id}`, transactTime: book.now },
    };
  },
  "GET /api/v3/openOrders": (request, book) => {
    const symbol = request.params.symbol ? symbolOf(book, binance, request.params.symbol) : undefined;
    const open = [...book.orders.values()].filter((o) => o.status === "open" && (!symbol || o.symbol === symbol));
    return { status: 200, body: open.map(orderJson) };
  },
  "GET /api/v3/account": account,
  "GET /api/v3/myTrades": myTrades,
  "GET /api/v3/klines": klines,
  // Only called when an operator turns ccxt's fetchCurrencies back on.
  "GET /sapi/v1/capital/config/getall": () => ({ status: 200, body: [] }),
};

function exchangeInfo(_: FakeRequest, book: FakeBook): FakeReply {
  const symbols = [...book.markets.values()].map((m) => ({
    symbol: binance.marketId(m),
    status: m.trading === false ? "BREAK" : "TRADING",
    baseAsset: m.base,
    baseAssetPrecision: 8,
    quoteAsset: m.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      {
        filterType: "PRICE_FILTER",
        minPrice: fmt(m.tickSize),
        maxPrice: "1000000.00000000",
        tickSize: fmt(m.tickSize),
      },
      { filterType: "LOT_SIZE", minQty: fmt(m.minQty), maxQty: "9000.00000000", stepSize: fmt(m.stepSize) },
      { filterType: "ICEBERG_PARTS", limit: 10 },
      { filterType: "MARKET_LOT_SIZE", minQty: "0.00000000", maxQty: "100.00000000", stepSize: "0.00000000" },
      {
        filterType: "NOTIONAL",
        minNotional: fmt(m.minNotional),
        applyMinToMarket: true,
        maxNotional: "9000000.00000000",
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
    ],
    permissions: [],
    permissionSets: [["SPOT"]],
    defaultSelfTradePreventionMode: "EXPIRE_MAKER",
    allowedSelfTradePreventionModes: ["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"],
  }));
  return {
    status: 200,
    body: {
      timezone: "UTC",
      serverTime: book.now,
      rateLimits: [
        { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 },
        { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 100 },
      ],
      exchangeFilters: [],
      symbols,
    },
  };
}

function createOrder(request: FakeRequest, book: FakeBook): FakeReply {
  const p = request.params;
  const symbol = symbolOf(book, binance, p.symbol);
  if (!symbol) return PLACE_ERRORS.unknown_symbol;
  if (p.type !== "LIMIT" && p.type !== "MARKET" && p.type !== "STOP_LOSS") return err(400, -1116, "Invalid orderType.");
  if (p.type === "STOP_LOSS" && !p.stopPrice) {
    return err(400, -1102, "Mandatory parameter 'stopPrice' was not sent, was empty/null, or malformed.");
  }
  if (!p.quantity) return err(400, -1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.");
  const placed = book.place({
    clientOrderId: p.newClientOrderId ?? `fake-${book.orders.size + 1}`,
    symbol,
    side: p.side === "SELL" ? "sell" : "buy",
    type: p.type === "LIMIT" ? "limit" : p.type === "STOP_LOSS" ? "stop" : "market",
    amount: Number(p.quantity),
    price: p.price === undefined ? undefined : Number(p.price),
    stopPrice: p.stopPrice === undefined ? undefined : Number(p.stopPrice),
  });
  if ("failure" in placed) return PLACE_ERRORS[placed.failure];
  const order = placed.order;
  const ack = {
    symbol: p.symbol,
    orderId: Number(order.id),
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    transactTime: order.time,
  };
  if (p.newOrderRespType === "ACK") return { status: 200, body: ack };
  const { time, updateTime, isWorking, stopPrice, icebergQty, origQuoteOrderQty, ...rest } = orderJson(order);
  // Binance answers a create with stopPrice only for the order types that have one.
  const result = order.type === "stop" ? { ...rest, stopPrice } : rest;
  if (p.newOrderRespType === "RESULT") return { status: 200, body: { ...result, transactTime: order.time } };
  const fills = book.trades
    .filter((t) => t.orderId === order.id)
    .map((t) => ({
      price: fmt(t.price),
      qty: fmt(t.amount),
      commission: fmt(t.fee),
      commissionAsset: t.feeAsset,
      tradeId: t.id,
    }));
  return { status: 200, body: { ...result, transactTime: order.time, fills } };
}

function account(_: FakeRequest, book: FakeBook): FakeReply {
  return {
    status: 200,
    body: {
      makerCommission: 10,
      takerCommission: 10,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: "0.00100000", taker: "0.00100000", buyer: "0.00000000", seller: "0.00000000" },
      canTrade: true,
      canWithdraw: true,
      canDeposit: true,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: book.now,
      accountType: "SPOT",
      balances: [...book.balances.entries()].map(([asset, b]) => ({ asset, free: fmt(b.free), locked: fmt(b.locked) })),
      permissions: ["SPOT"],
      uid: 354937868,
    },
  };
}

function myTrades(request: FakeRequest, book: FakeBook): FakeReply {
  const p = request.params;
  const symbol = symbolOf(book, binance, p.symbol);
  if (!symbol) return err(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
  const from = p.startTime ? Number(p.startTime) : Number.NEGATIVE_INFINITY;
  const to = p.endTime ? Number(p.endTime) : Number.POSITIVE_INFINITY;
  const trades = book.trades
    .filter((t) => t.symbol === symbol && t.time >= from && t.time <= to && (!p.fromId || t.id >= Number(p.fromId)))
    .slice(0, Number(p.limit ?? 500))
    .map((t) => ({
      symbol: p.symbol,
      id: t.id,
      orderId: Number(t.orderId),
      orderListId: -1,
      price: fmt(t.price),
      qty: fmt(t.amount),
      quoteQty: fmt(t.price * t.amount),
      commission: fmt(t.fee),
      commissionAsset: t.feeAsset,
      time: t.time,
      isBuyer: t.side === "buy",
      isMaker: t.maker,
      isBestMatch: true,
    }));
  return { status: 200, body: trades };
}

function klines(request: FakeRequest, book: FakeBook): FakeReply {
  const p = request.params;
  const symbol = symbolOf(book, binance, p.symbol);
  if (!symbol) return PLACE_ERRORS.unknown_symbol;
  if (!p.interval || !isTimeframe(p.interval)) return err(400, -1120, "Invalid interval.");
  const ms = timeframeMs(p.interval);
  const from = p.startTime ? Number(p.startTime) : Number.NEGATIVE_INFINITY;
  const to = p.endTime ? Number(p.endTime) : Number.POSITIVE_INFINITY;
  const limit = Math.min(Number(p.limit ?? 500), 1000);
  let rows = book.candlesOf(symbol, p.interval).filter((c) => c.time >= from && c.time <= to);
  // Without startTime Binance answers the most recent candles.
  rows = p.startTime ? rows.slice(0, limit) : rows.slice(-limit);
  const body = rows.map((c) => [
    c.time,
    fmt(c.open),
    fmt(c.high),
    fmt(c.low),
    fmt(c.close),
    fmt(c.volume),
    c.time + ms - 1,
    fmt(c.volume * c.close),
    1,
    "0.00000000",
    "0.00000000",
    "0",
  ]);
  return { status: 200, body };
}

function findOrder(request: FakeRequest, book: FakeBook): FakeOrder | undefined {
  const p = request.params;
  const order = p.origClientOrderId
    ? book.orderByClientId(p.origClientOrderId)
    : p.orderId
      ? book.orders.get(p.orderId)
      : undefined;
  return order && order.symbol === symbolOf(book, binance, p.symbol) ? order : undefined;
}

function orderJson(order: FakeOrder) {
  return {
    symbol: order.symbol.replace("/", ""),
    orderId: Number(order.id),
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: fmt(order.price),
    origQty: fmt(order.amount),
    executedQty: fmt(order.filled),
    cummulativeQuoteQty: fmt(order.cost),
    status: order.status === "open" && order.filled > 0 ? "PARTIALLY_FILLED" : STATUS[order.status],
    timeInForce: "GTC",
    type: order.type === "stop" ? "STOP_LOSS" : order.type.toUpperCase(),
    side: order.side.toUpperCase(),
    stopPrice: order.stopPrice === undefined ? "0.00000000" : fmt(order.stopPrice),
    icebergQty: "0.00000000",
    time: order.time,
    updateTime: order.updateTime,
    isWorking: true,
    workingTime: order.time,
    origQuoteOrderQty: "0.00000000",
    selfTradePreventionMode: "EXPIRE_MAKER",
  };
}

function header(request: FakeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
