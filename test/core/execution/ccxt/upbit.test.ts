import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Candle } from "../../../../core/domain/candle.ts";
import {
  ExchangeError,
  InsufficientFundsError,
  InvalidOrderError,
  OrderNotFoundError,
} from "../../../../core/execution/errors.ts";
import { guardNetwork, startVenue, type Venue } from "./helpers.ts";

const network = guardNetwork();
let venue: Venue;
let seq = 0;
const nextId = () => `qc-up-${++seq}`;

beforeAll(async () => {
  venue = await startVenue("upbit");
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

describe("ccxt upbit against the fake Upbit", () => {
  it("loads markets with ccxt's precision and Upbit's published minimum order value", async () => {
    const markets = await venue.adapter.loadMarkets();
    expect(markets.get("BTC/KRW")).toEqual({
      symbol: "BTC/KRW",
      base: "BTC",
      quote: "KRW",
      amountStep: 1e-8,
      priceTick: 1e-8,
      minAmount: 0,
      minNotional: 5000,
      active: true,
    });
    expect([...markets.keys()].sort()).toEqual(["BTC/KRW", "ETH/KRW"]);
  });

  it("places a market buy as a quote-amount order under our identifier and reports it filled", async () => {
    const id = nextId();
    const order = await venue.adapter.createOrder({
      clientOrderId: id,
      symbol: "BTC/KRW",
      side: "buy",
      type: "market",
      amount: 0.001,
      price: 90_000_000,
    });
    const sent = venue.fake.requests.findLast((r) => r.method === "POST" && r.path === "/v1/orders");
    // Upbit buys at market by how much KRW to spend: amount × reference price.
    expect(sent?.params).toMatchObject({
      identifier: id,
      ord_type: "price",
      side: "bid",
      price: "90000",
      market: "KRW-BTC",
    });
    expect(order).toMatchObject({ clientOrderId: id, symbol: "BTC/KRW", side: "buy", type: "market" });
    // Upbit closes a filled market buy as "cancel" (its unspent dust); the adapter reads it as filled.
    const found = await venue.adapter.fetchOrderByClientId("BTC/KRW", id);
    expect(venue.fake.requests.findLast((r) => r.path === "/v1/order")?.params).toEqual({ identifier: id });
    expect(found).toMatchObject({ status: "filled", filled: 0.001, averagePrice: 90_000_000, feeCurrency: "KRW" });
    expect(found?.fee).toBeCloseTo(45, 6);
  });

  it("needs a reference price for a market buy, since Upbit spends a quote amount", async () => {
    const attempt = venue.adapter.createOrder({
      clientOrderId: nextId(),
      symbol: "BTC/KRW",
      side: "buy",
      type: "market",
      amount: 0.001,
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidOrderError);
    expect(venue.fake.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("sells at market by volume", async () => {
    const id = nextId();
    await venue.adapter.createOrder({
      clientOrderId: id,
      symbol: "BTC/KRW",
      side: "sell",
      type: "market",
      amount: 0.002,
    });
    expect(venue.fake.requests.findLast((r) => r.method === "POST")?.params).toMatchObject({
      ord_type: "market",
      volume: "0.002",
      side: "ask",
    });
    expect(await venue.adapter.fetchOrderByClientId("BTC/KRW", id)).toMatchObject({
      status: "filled",
      filled: 0.002,
      side: "sell",
    });
  });

  it("rests a limit order, follows its fills by identifier and lists them as our trades", async () => {
    const id = nextId();
    const since = Date.now() - 1;
    const placed = await venue.adapter.createOrder({
      clientOrderId: id,
      symbol: "BTC/KRW",
      side: "buy",
      type: "limit",
      amount: 0.01,
      price: 89_000_000,
    });
    expect(placed).toMatchObject({ status: "open", price: 89_000_000, amount: 0.01, clientOrderId: id });
    expect((await venue.adapter.fetchOpenOrders("BTC/KRW")).map((o) => o.clientOrderId)).toContain(id);

    venue.fake.fillOrder(id, { amount: 0.004 });
    expect(await venue.adapter.fetchOrderByClientId("BTC/KRW", id)).toMatchObject({
      status: "partially_filled",
      filled: 0.004,
    });
    venue.fake.fillOrder(id);
    expect(await venue.adapter.fetchOrderByClientId("BTC/KRW", id)).toMatchObject({ status: "filled", filled: 0.01 });

    const trades = (await venue.adapter.fetchTrades("BTC/KRW", since)).filter(
      (t) => t.exchangeOrderId === placed.exchangeOrderId,
    );
    expect(trades.map((t) => [t.amount, t.price, t.side, t.clientOrderId, t.feeCurrency])).toEqual([
      [0.004, 89_000_000, "buy", id, "KRW"],
      [0.006, 89_000_000, "buy", id, "KRW"],
    ]);
    // Upbit reports the fee per order; shared over the fills it adds back up to the order's fee.
    expect((trades[0]?.fee ?? 0) + (trades[1]?.fee ?? 0)).toBeCloseTo(0.01 * 89_000_000 * 0.0005, 6);
  });

  it("cancels by identifier; Upbit's reply still says wait, a lookup says cancelled", async () => {
    const id = nextId();
    await venue.adapter.createOrder({
      clientOrderId: id,
      symbol: "BTC/KRW",
      side: "sell",
      type: "limit",
      amount: 0.05,
      price: 95_000_000,
    });
    const reply = await venue.adapter.cancelOrder("BTC/KRW", id);
    expect(reply).toMatchObject({ clientOrderId: id, status: "open" });
    expect(venue.fake.requests.findLast((r) => r.method === "DELETE")?.params).toEqual({ identifier: id });
    expect(await venue.adapter.fetchOrderByClientId("BTC/KRW", id)).toMatchObject({ status: "cancelled", filled: 0 });
    await expect(venue.adapter.cancelOrder("BTC/KRW", id)).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it("answers undefined for an identifier Upbit never saw", async () => {
    expect(await venue.adapter.fetchOrderByClientId("BTC/KRW", "qc-never-sent")).toBeUndefined();
  });

  it("reads balances from accounts", async () => {
    const id = nextId();
    await venue.adapter.createOrder({
      clientOrderId: id,
      symbol: "BTC/KRW",
      side: "buy",
      type: "limit",
      amount: 0.001,
      price: 80_000_000,
    });
    const balances = await venue.adapter.fetchBalance();
    expect(balances.KRW?.used).toBeCloseTo(80_000 * 1.0005, 6);
    expect(balances.BTC?.free).toBeGreaterThan(0);
    await venue.adapter.cancelOrder("BTC/KRW", id);
  });

  it("maps Upbit's own refusals: under the minimum total, and more than the balance", async () => {
    const small = venue.adapter.createOrder({
      clientOrderId: nextId(),
      symbol: "BTC/KRW",
      side: "buy",
      type: "limit",
      amount: 0.00001,
      price: 90_000_000,
    });
    await expect(small).rejects.toBeInstanceOf(InvalidOrderError);
    await expect(small).rejects.toThrow(/under_min_total_bid/);
    const big = venue.adapter.createOrder({
      clientOrderId: nextId(),
      symbol: "BTC/KRW",
      side: "buy",
      type: "limit",
      amount: 100,
      price: 90_000_000,
    });
    await expect(big).rejects.toBeInstanceOf(InsufficientFundsError);
  });

  it("fetches minute candles oldest first though Upbit sends them newest first", async () => {
    const start = Date.UTC(2024, 0, 1);
    const candles: Candle[] = Array.from({ length: 6 }, (_, i) => ({
      time: start + i * 5 * 60_000,
      open: 1000 + i,
      high: 1100 + i,
      low: 900 + i,
      close: 1050 + i,
      volume: 2 + i,
    }));
    venue.fake.setCandles("BTC/KRW", "5m", candles);
    const got = await venue.adapter.fetchCandles("BTC/KRW", "5m", start + 5 * 60_000, 3);
    expect(got).toEqual(candles.slice(1, 4));
    expect(venue.fake.requests.findLast((r) => r.path.startsWith("/v1/candles"))?.path).toBe("/v1/candles/minutes/5");
  });

  it("says plainly when Upbit has no such timeframe instead of asking for it", async () => {
    const before = venue.fake.requests.length;
    await expect(venue.adapter.fetchCandles("BTC/KRW", "2h")).rejects.toBeInstanceOf(ExchangeError);
    expect(venue.fake.requests.length).toBe(before);
  });
});
