import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidOrderError } from "../../../../core/execution/errors.ts";
import { guardNetwork, startVenue, type Venue } from "./helpers.ts";

const network = guardNetwork();
let binance: Venue;
let upbit: Venue;

beforeAll(async () => {
  binance = await startVenue("binance", { balances: { USDT: 10_000, BTC: 1 }, prices: { "BTC/USDT": 50_000 } });
  upbit = await startVenue("upbit");
});

afterAll(async () => {
  for (const venue of [binance, upbit]) {
    await venue.adapter.close();
    await venue.fake.close();
  }
  network.restore();
});

describe("stop orders through ccxt", () => {
  it("places a Binance STOP_LOSS that rests with its trigger and fills when the price trades through it", async () => {
    expect(binance.adapter.stopOrders).toBe(true);
    const placed = await binance.adapter.createOrder({
      clientOrderId: "qc-stop-1",
      symbol: "BTC/USDT",
      side: "sell",
      type: "stop",
      amount: 0.5,
      price: 48_000,
    });
    expect(placed).toMatchObject({ type: "stop", status: "open", price: 48_000, amount: 0.5, filled: 0 });
    const sent = binance.fake.requests.find((r) => r.method === "POST" && r.path === "/api/v3/order");
    expect(sent?.params).toMatchObject({ type: "STOP_LOSS", stopPrice: "48000", side: "SELL", quantity: "0.5" });
    // The exchange holds the base it would sell: a second sell of it is refused, as on Binance.
    expect((await binance.adapter.fetchBalance()).BTC?.free).toBeCloseTo(0.5, 8);

    binance.fake.setPrice("BTC/USDT", 48_500);
    expect((await binance.adapter.fetchOrderByClientId("BTC/USDT", "qc-stop-1"))?.status).toBe("open");
    binance.fake.setPrice("BTC/USDT", 47_900);
    const filled = await binance.adapter.fetchOrderByClientId("BTC/USDT", "qc-stop-1");
    expect(filled).toMatchObject({ type: "stop", status: "filled", filled: 0.5, averagePrice: 47_900 });
  });

  it("cancels a resting stop and releases what it held", async () => {
    binance.fake.setPrice("BTC/USDT", 50_000);
    await binance.adapter.createOrder({
      clientOrderId: "qc-stop-2",
      symbol: "BTC/USDT",
      side: "sell",
      type: "stop",
      amount: 0.2,
      price: 45_000,
    });
    const cancelled = await binance.adapter.cancelOrder("BTC/USDT", "qc-stop-2");
    expect(cancelled.status).toBe("cancelled");
    expect((await binance.adapter.fetchBalance()).BTC?.free).toBeCloseTo(0.5, 8);
  });

  it("says Upbit takes none, and refuses one rather than sending a different order", async () => {
    expect(upbit.adapter.stopOrders).toBe(false);
    await expect(
      upbit.adapter.createOrder({
        clientOrderId: "qc-stop-3",
        symbol: "BTC/KRW",
        side: "sell",
        type: "stop",
        amount: 0.1,
        price: 80_000_000,
      }),
    ).rejects.toBeInstanceOf(InvalidOrderError);
    expect(upbit.fake.requests.filter((r) => r.method === "POST")).toEqual([]);
  });
});
