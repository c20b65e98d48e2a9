import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Candle } from "../../../../core/domain/candle.ts";
import { InsufficientFundsError, InvalidOrderError, OrderNotFoundError } from "../../../../core/execution/errors.ts";
import { guardNetwork, startVenue, type Venue } from "./helpers.ts";

const network = guardNetwork();
let venue: Venue;
let seq = 0;
const nextId = () => `qc-bn-${++seq}`;

beforeAll(async () => {
  venue = await startVenue("binance");
});

afterEach(() => {
  expect(venue.fake.problems).toEqual([]);
});

afterAll(async () => {
  await venue.adapter.close();
  await venue.fake.close();
  network.restore();
  expect(network.urls.length).toBeGreaterThan(0);
  for (const url of network.urls) expect(url.startsWith("http://127.0.0.1:")).toBe(true);
});

describe("ccxt binance against the fake Binance", () => {
  it("loads spot markets with tick, step and minimum notional from the exchange filters", async () => {
    const markets = await venue.adapter.loadMarkets();
    expect(markets.get("BTC/USDT")).toEqual({
      symbol: "BTC/USDT",
      base: "BTC",
      quote: "USDT",
      amountStep: 0.00001,
      priceTick: 0.01,
      minAmount: 0.00001,
      minNotional: 5,
      active: true,
    });
    expect(markets.get("ETH/USDT")?.amountStep).toBe(0.0001);
    expect(markets.get("LUNA/USDT")?.active).toBe(false);
    // Spot only: no futures, options or sapi calls on start.
    expect(new Set(venue.fake.requests.map((r) => r.path))).toEqual(new Set(["/api/v3/exchangeInfo"]));
  });

  it("places a market buy under our client order id and reports the fill", async () => {
    const id = nextId();
    const order = await venue.adapter.createOrder({
      clientOrderId: id,
      symbol: "BTC/USDT",
      side: "buy",
      type: "market",
      amount: 0.01,
    });
    expect(order).toMatchObject({
      clientOrderId: id,
      symbol: "BTC/USDT",
      side: "buy",
      type: "market",
      amount: 0.01,
      status: "filled",
      filled: 0.01,
      averagePrice: 50_000,
      feeCurrency: "BTC",
    });
    expect(order.fee).toBeCloseTo(0.00001, 10);
    expect(order.price).toBeUndefined();
    const sent = venue.fake.requests.findLast((r) => r.method === "POST" && r.path === "/api/v3/order");
    expect(sent?.params).toMatchObject({ newClientOrderId: id, quantity: "0.01", type: "MARKET", side: "BUY" });
    // A price on a market order would have become quoteOrderQty, a different order.
    expect(sent?.params.quoteOrderQty).toBeUndefined();
    expect(venue.fake.order(id)?.status).toBe("filled");
  });

  it("rests a limit order, finds it by client id through partial and full fills, and lists its trades", async () => {
    const id = nextId();
    const since = Date.now() - 1;
    const placed = await venue.adapter.createOrder({
      clientOrderId: id,
      symbol: "BTC/USDT",
      side: "buy",
      type: "limit",
      amount: 0.02,
      price: 49_000,
    });
    expect(placed).toMatchObject({ status: "open", filled: 0, price: 49_000, amount: 0.02, clientOrderId: id });
    expect((await venue.adapter.fetchOpenOrders("BTC/USDT")).map((o) => o.clientOrderId)).toContain(id);
    expect((await venue.adapter.fetchOpenOrders()).map((o) => o.clientOrderId)).toContain(id);

    venue.fake.fillOrder(id, { amount: 0.005 });
    const partial = await venue.adapter.fetchOrderByClientId("BTC/USDT", id);
    expect(partial).toMatchObject({
      status: "partially_filled",
      filled: 0.005,
      exchangeOrderId: placed.exchangeOrderId,
    });
    const lookup = venue.fake.requests.findLast((r) => r.method === "GET" && r.path === "/api/v3/order");
    expect(lookup?.params.origClientOrderId).toBe(id);
    expect(lookup?.params.orderId).toBeUndefined();

    venue.fake.fillOrder(id);
    expect(await venue.adapter.fetchOrderByClientId("BTC/USDT", id)).toMatchObject({
      status: "filled",
      filled: 0.02,
      averagePrice: 49_000,
    });

    const trades = (await venue.adapter.fetchTrades("BTC/USDT", since)).filter(
      (t) => t.exchangeOrderId === placed.exchangeOrderId,
    );
    expect(trades.map((t) => [t.amount, t.price, t.side, t.feeCurrency])).toEqual([
      [0.005, 49_000, "buy", "BTC"],
      [0.015, 49_000, "buy", "BTC"],
    ]);
    expect(trades[0]?.fee).toBeCloseTo(0.000005, 10);
  });

  it("cancels by client id, reporting our id rather than the cancel request's", async () => {
    const id = nextId();
    await venue.adapter.createOrder({
      clientOrderId: id,
      symbol: "BTC/USDT",
      side: "sell",
      type: "limit",
      amount: 0.1,
      price: 60_000,
    });
    expect((await venue.adapter.fetchBalance()).BTC?.used).toBeCloseTo(0.1, 10);
    const cancelled = await venue.adapter.cancelOrder("BTC/USDT", id);
    expect(cancelled).toMatchObject({ clientOrderId: id, status: "cancelled", filled: 0 });
    const sent = venue.fake.requests.findLast((r) => r.method === "DELETE");
    expect(sent?.params.origClientOrderId).toBe(id);
    expect((await venue.adapter.fetchOpenOrders("BTC/USDT")).map((o) => o.clientOrderId)).not.toContain(id);
    expect((await venue.adapter.fetchBalance()).BTC?.used ?? 0).toBe(0);
    await expect(venue.adapter.cancelOrder("BTC/USDT", id)).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it("answers undefined for a client id the exchange never saw", async () => {
    expect(await venue.adapter.fetchOrderByClientId("BTC/USDT", "qc-never-sent")).toBeUndefined();
  });

  it("reads balances, free and in orders", async () => {
    const balances = await venue.adapter.fetchBalance();
    expect(balances.USDT?.free).toBeGreaterThan(0);
    expect(balances.BTC?.free).toBeGreaterThan(1);
    expect(Object.keys(balances).every((c) => (balances[c]?.free ?? 0) + (balances[c]?.used ?? 0) > 0)).toBe(true);
  });

  it("refuses an order under the minimum notional with InvalidOrderError, as Binance's NOTIONAL filter does", async () => {
    const attempt = venue.adapter.createOrder({
      clientOrderId: nextId(),
      symbol: "BTC/USDT",
      side: "buy",
      type: "limit",
      amount: 0.00001,
      price: 40_000,
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidOrderError);
    await expect(attempt).rejects.toThrow(/NOTIONAL/);
  });

  it("refuses an order the balance cannot pay with InsufficientFundsError", async () => {
    const attempt = venue.adapter.createOrder({
      clientOrderId: nextId(),
      symbol: "BTC/USDT",
      side: "buy",
      type: "limit",
      amount: 10,
      price: 50_000,
    });
    await expect(attempt).rejects.toBeInstanceOf(InsufficientFundsError);
  });

  it("fetches candles oldest first from klines", async () => {
    const start = Date.UTC(2024, 0, 1);
    const candles: Candle[] = Array.from({ length: 5 }, (_, i) => ({
      time: start + i * 60_000,
      open: 100 + i,
      high: 110 + i,
      low: 90 + i,
      close: 105 + i,
      volume: 1 + i,
    }));
    venue.fake.setCandles("BTC/USDT", "1m", candles);
    const got = await venue.adapter.fetchCandles("BTC/USDT", "1m", start + 60_000, 3);
    expect(got).toEqual(candles.slice(1, 4));
    const sent = venue.fake.requests.findLast((r) => r.path === "/api/v3/klines");
    expect(sent?.params).toMatchObject({
      symbol: "BTCUSDT",
      interval: "1m",
      startTime: String(start + 60_000),
      limit: "3",
    });
  });
});
