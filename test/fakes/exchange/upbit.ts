import type { Timeframe } from "../../../core/domain/timeframe.ts";
import { timeframeMs } from "../../../core/domain/timeframe.ts";
import { type FakeBook, type FakeOrder, type FakeTrade, type PlaceFailure, r8 } from "./book.ts";
import type { Dialect, FakeReply, FakeRequest } from "./dialect.ts";
import { symbolOf } from "./dialect.ts";

/**
 * Upbit's REST API v1, as much of it as ccxt's `upbit` class calls: markets, orders by uuid or by our
 * `identifier`, accounts and candles, following https://global-docs.upbit.com/reference. Private calls
 * carry a JWT bearer token whose payload names the access key; the fake reads the key and does not
 * check the signature.
 */

const err = (status: number, name: string, message: string): FakeReply => ({
  status,
  body: { error: { name, message } },
});

const PLACE_ERRORS: Record<PlaceFailure, (side: string) => FakeReply> = {
  unknown_symbol: () => err(404, "market_does_not_exist", "마켓 정보가 존재하지 않습니다."),
  market_closed: () => err(400, "market_offline", "거래가 중단된 마켓입니다."),
  lot_size: () => err(400, "invalid_volume", "주문수량 단위를 잘못 입력하셨습니다."),
  price_filter: (side) => err(400, `invalid_price_${side}`, "주문 가격 단위를 잘못 입력하셨습니다."),
  min_notional: (side) => err(400, `under_min_total_${side}`, "최소주문금액 이상으로 주문해주세요"),
  insufficient_funds: (side) => err(400, `insufficient_funds_${side}`, "주문가능한 금액이 부족합니다."),
  duplicate: () => err(400, "duplicate_identifier", "이미 사용된 identifier 입니다."),
};

const NOT_FOUND = err(404, "order_not_found", "주문을 찾지 못했습니다.");

type Handler = (request: FakeRequest, book: FakeBook) => FakeReply;

export const upbit: Dialect = {
  name: "upbit",
  feeIn: "quote",
  newOrderId: (seq) => `c0ffee00-0000-4000-8000-${String(seq).padStart(12, "0")}`,
  marketId: (market) => `${market.quote}-${market.base}`,
  isPrivate: (path) => path === "/v1/accounts" || path === "/v1/order" || path.startsWith("/v1/orders"),
  apiKeyOf(request) {
    const auth = request.headers.authorization;
    const token = typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice(7) : undefined;
    const payload = token?.split(".")[1];
    if (!payload) return undefined;
    try {
      return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")).access_key;
    } catch {
      return undefined;
    }
  },
  handle(request, book) {
    const candles = /^\/v1\/candles\/(minutes\/(\d+)|days|weeks)$/.exec(request.path);
    if (request.method === "GET" && candles) return candleRows(request, book, timeframeOf(candles[1] as string));
    const handler = ROUTES[`${request.method} ${request.path}`];
    return handler ? handler(request, book) : err(404, "not_found", "Not Found");
  },
  errors: {
    auth: () => err(401, "invalid_access_key", "잘못된 엑세스 키입니다."),
    status: (status) =>
      status === 429
        ? err(429, "too_many_requests", "Too many API requests.")
        : status >= 500
          ? err(status, "server_error", "Internal Server Error")
          : err(status, "bad_request", "Bad Request"),
    insufficientFunds: () => PLACE_ERRORS.insufficient_funds("bid"),
    invalidOrder: (reason) => err(400, "validation_error", reason),
  },
};

const ROUTES: Record<string, Handler> = {
  "GET /v1/market/all": (_, book) => ({
    status: 200,
    body: [...book.markets.values()].map((m) => ({
      market: upbit.marketId(m),
      korean_name: m.base,
      english_name: m.base,
    })),
  }),
  "POST /v1/orders": createOrder,
  "GET /v1/order": (request, book) => {
    const order = findOrder(request, book);
    return order
      ? { status: 200, body: { ...orderJson(order), trades: tradesOf(order, book).map(tradeJson) } }
      : NOT_FOUND;
  },
  "DELETE /v1/order": (request, book) => {
    const order = findOrder(request, book);
    if (order?.status !== "open") return NOT_FOUND;
    // Upbit cancels asynchronously: the reply still shows the order waiting.
    const reply = orderJson(order);
    book.cancel(order);
    return { status: 200, body: reply };
  },
  "GET /v1/orders/open": (request, book) => ({ status: 200, body: listOrders(request, book, ["wait"]) }),
  "GET /v1/orders/closed": (request, book) => {
    const state = request.params.state;
    return { status: 200, body: listOrders(request, book, state ? [state] : ["done", "cancel"]) };
  },
  "GET /v1/accounts": (_, book) => ({
    status: 200,
    body: [...book.balances.entries()].map(([currency, b]) => ({
      currency,
      balance: String(b.free),
      locked: String(b.locked),
      avg_buy_price: "0",
      avg_buy_price_modified: false,
      unit_currency: "KRW",
    })),
  }),
};

function createOrder(request: FakeRequest, book: FakeBook): FakeReply {
  const p = request.params;
  const symbol = symbolOf(book, upbit, p.market);
  const side = p.side === "ask" ? "ask" : "bid";
  if (!symbol) return PLACE_ERRORS.unknown_symbol(side);
  if (p.side !== "bid" && p.side !== "ask")
    return err(400, "validation_error", "side is missing, side does not have a valid value");
  const byFunds = p.ord_type === "price";
  const placed = book.place({
    clientOrderId: p.identifier ?? `fake-${book.orders.size + 1}`,
    symbol,
    side: side === "bid" ? "buy" : "sell",
    type: p.ord_type === "limit" ? "limit" : "market",
    amount: byFunds ? undefined : Number(p.volume),
    price: p.ord_type === "limit" ? Number(p.price) : undefined,
    funds: byFunds ? Number(p.price) : undefined,
  });
  if ("failure" in placed) return PLACE_ERRORS[placed.failure](side);
  return { status: 201, body: orderJson(placed.order) };
}

function findOrder(request: FakeRequest, book: FakeBook): FakeOrder | undefined {
  const { uuid, identifier } = request.params;
  if (uuid) return book.orders.get(uuid);
  return identifier ? book.orderByClientId(identifier) : undefined;
}

function listOrders(request: FakeRequest, book: FakeBook, states: readonly string[]) {
  const p = request.params;
  const symbol = p.market ? symbolOf(book, upbit, p.market) : undefined;
  const from = p.start_time ? toMs(p.start_time) : Number.NEGATIVE_INFINITY;
  return [...book.orders.values()]
    .map((order) => ({ order, json: orderJson(order) }))
    .filter(
      ({ order, json }) => states.includes(json.state) && (!symbol || order.symbol === symbol) && order.time >= from,
    )
    .sort((a, b) => b.order.time - a.order.time)
    .slice(0, Number(p.limit ?? 100))
    .map(({ json }) => json);
}

function orderJson(order: FakeOrder) {
  const byFunds = order.funds !== undefined;
  // A market buy ends "cancel" when it leaves part of its budget unspent, which it nearly always does.
  const state =
    order.status === "open"
      ? "wait"
      : order.status === "cancelled" || (byFunds && order.cost < order.funds)
        ? "cancel"
        : "done";
  return {
    uuid: order.id,
    side: order.side === "buy" ? "bid" : "ask",
    ord_type: byFunds ? "price" : order.type,
    price: byFunds ? String(order.funds) : order.price === undefined ? null : String(order.price),
    state,
    market: marketIdOf(order.symbol),
    created_at: kst(order.time),
    volume: order.amount === undefined ? null : String(order.amount),
    remaining_volume: order.amount === undefined ? null : String(r8(order.amount - order.filled)),
    reserved_fee: String(order.fee),
    remaining_fee: "0",
    paid_fee: String(order.fee),
    locked: String(order.locked),
    executed_volume: String(order.filled),
    executed_funds: String(order.cost),
    trades_count: order.tradeIds.length,
    identifier: order.clientOrderId,
  };
}

function tradesOf(order: FakeOrder, book: FakeBook): FakeTrade[] {
  return book.trades.filter((t) => t.orderId === order.id);
}

/** Recent Upbit order replies list fills without a per-fill fee; the order's paid_fee has it. */
function tradeJson(trade: FakeTrade) {
  return {
    market: marketIdOf(trade.symbol),
    uuid: `7ade0000-0000-4000-8000-${String(trade.id).padStart(12, "0")}`,
    price: String(trade.price),
    volume: String(trade.amount),
    funds: String(r8(trade.price * trade.amount)),
    trend: null,
    created_at: kst(trade.time, true),
    side: trade.side === "buy" ? "bid" : "ask",
  };
}

function candleRows(request: FakeRequest, book: FakeBook, timeframe: Timeframe | undefined): FakeReply {
  const p = request.params;
  const symbol = symbolOf(book, upbit, p.market);
  if (!symbol || !timeframe) return err(400, "validation_error", "market or unit is invalid");
  const to = p.to ? toMs(p.to) : Number.POSITIVE_INFINITY;
  const count = Math.min(Number(p.count ?? 1), 200);
  const ms = timeframeMs(timeframe);
  // Upbit answers newest first, candles that open before `to`.
  const rows = book
    .candlesOf(symbol, timeframe)
    .filter((c) => c.time < to)
    .slice(-count)
    .reverse()
    .map((c) => ({
      market: p.market,
      candle_date_time_utc: new Date(c.time).toISOString().slice(0, 19),
      candle_date_time_kst: kst(c.time).slice(0, 19),
      opening_price: c.open,
      high_price: c.high,
      low_price: c.low,
      trade_price: c.close,
      timestamp: c.time + ms - 1,
      candle_acc_trade_price: r8(c.volume * c.close),
      candle_acc_trade_volume: c.volume,
      unit: ms / 60_000,
    }));
  return { status: 200, body: rows };
}

/** "BTC/KRW" -> "KRW-BTC" */
function marketIdOf(symbol: string): string {
  return symbol.split("/").reverse().join("-");
}

function timeframeOf(path: string): Timeframe | undefined {
  if (path === "days") return "1d";
  if (path === "weeks") return "1w";
  const unit = Number(path.split("/")[1]);
  const byUnit: Record<number, Timeframe> = { 1: "1m", 3: "3m", 5: "5m", 15: "15m", 30: "30m", 60: "1h", 240: "4h" };
  return byUnit[unit];
}

/** Upbit prints times in Korean time, orders to the second, fills finer: 2024-01-01T09:00:00+09:00. */
function kst(ms: number, fraction = false): string {
  return `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, fraction ? 23 : 19)}+09:00`;
}

function toMs(value: string): number {
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}
