import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryBus } from "../../../../core/bus/index.ts";
import { SimulatedClock } from "../../../../core/clock.ts";
import type { Candle } from "../../../../core/domain/index.ts";
import { InsufficientFundsError, InvalidOrderError, OrderNotFoundError } from "../../../../core/execution/errors.ts";
import type { CreateOrderRequest } from "../../../../core/execution/exchange.ts";
import { createExecutor } from "../../../../core/execution/executor/index.ts";
import {
  balancesFromFills,
  createPaperExchange,
  type PaperExchangeOptions,
} from "../../../../core/execution/paper/index.ts";
import type { Store } from "../../../../core/store/database.ts";
import { findOrder, loadBalances, saveBalances } from "../../../../core/store/index.ts";
import { migrateToLatest } from "../../../../core/store/migrate.ts";
import { openTestStore, type TestStore } from "../../../helpers/db.ts";

const T0 = Date.UTC(2024, 0, 1);
const BAR: Candle = { time: T0, open: 100, high: 101, low: 99, close: 100, volume: 50 };
const buy = (id: string, amount: number, over: Partial<CreateOrderRequest> = {}): CreateOrderRequest => ({
  clientOrderId: id,
  symbol: "ETH/USDT",
  side: "buy",
  type: "market",
  amount,
  ...over,
});

async function paper(over: Partial<PaperExchangeOptions> = {}) {
  const exchange = await createPaperExchange({
    accountId: "p",
    clock: new SimulatedClock(T0),
    balances: { USDT: 1_000 },
    fees: { maker: 0.1, taker: 0.2 },
    slippageBps: 10,
    markets: { "ETH/USDT": { amountStep: 0.001, priceTick: 0.01, minNotional: 5, minAmount: 0.001 } },
    ...over,
  });
  await exchange.onCandle("ETH/USDT", BAR);
  return exchange;
}

describe("paper exchange", () => {
  it("a market buy fills at the slipped last price, taker fee in quote; balances move", async () => {
    const ex = await paper();
    const order = await ex.createOrder(buy("a", 2));
    expect(order).toMatchObject({ status: "filled", filled: 2, averagePrice: 100.1, feeCurrency: "USDT" });
    expect(order.fee).toBeCloseTo(0.4004, 12);
    const balances = await ex.fetchBalance();
    expect(balances.ETH).toEqual({ free: 2, used: 0 });
    expect(balances.USDT?.free).toBeCloseTo(1_000 - 200.2 - 0.4004, 9);
    const trades = await ex.fetchTrades("ETH/USDT");
    expect(trades).toEqual([
      expect.objectContaining({ id: "P-a@2", exchangeOrderId: "P-a", clientOrderId: "a", amount: 2, price: 100.1 }),
    ]);
  });

  it("a market order's price is the caller's reference, not a cap: slippage still applies", async () => {
    const ex = await paper();
    // Last 100, 10 bps against the buyer: 100.1, even though the caller sized at 100.
    const order = await ex.createOrder(buy("ref", 1, { price: 100 }));
    expect(order.averagePrice).toBe(100.1);
  });

  it("a market sell needs the base it sells (spot), unless the account may short", async () => {
    const ex = await paper();
    await expect(ex.createOrder(buy("s", 1, { side: "sell" }))).rejects.toBeInstanceOf(InsufficientFundsError);
    const short = await paper({ shorting: true });
    const order = await short.createOrder(buy("s", 1, { side: "sell" }));
    expect(order).toMatchObject({ status: "filled", averagePrice: 99.9 });
    expect((await short.fetchBalance()).ETH?.free).toBe(-1);
  });

  it("refuses what an exchange would: no money, no price, too small, duplicate id", async () => {
    const ex = await paper();
    await expect(ex.createOrder(buy("big", 10))).rejects.toThrow(
      /insufficient USDT: the order needs 1003.002, 1000 free/,
    );
    await expect(ex.createOrder(buy("x", 1, { symbol: "SOL/USDT" }))).rejects.toThrow(/no price for SOL\/USDT yet/);
    await expect(ex.createOrder(buy("tiny", 0.01))).rejects.toBeInstanceOf(InvalidOrderError);
    await ex.createOrder(buy("dup", 0.1));
    await expect(ex.createOrder(buy("dup", 0.1))).rejects.toThrow(/duplicate client order id/);
    await expect(ex.cancelOrder("ETH/USDT", "nope")).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it("a limit order rests with its funds reserved, fills at its limit (maker fee) when crossed", async () => {
    const ex = await paper();
    const placed = await ex.createOrder(buy("l", 3, { type: "limit", price: 98 }));
    expect(placed).toMatchObject({ status: "open", filled: 0, price: 98 });
    // 3 × 98 = 294 plus the 0.1% maker fee is held
    expect((await ex.fetchBalance()).USDT).toEqual({ free: 1_000 - 294.294, used: 294.294 });
    expect(await ex.onCandle("ETH/USDT", { ...BAR, time: T0 + 60_000, low: 98.5 })).toEqual([]);
    const [filled] = await ex.onCandle("ETH/USDT", { ...BAR, time: T0 + 120_000, low: 97.5 });
    expect(filled).toMatchObject({ status: "filled", filled: 3, averagePrice: 98 });
    expect(filled?.fee).toBeCloseTo(0.294, 12);
    const balances = await ex.fetchBalance();
    expect(balances.USDT?.used).toBe(0);
    expect(balances.USDT?.free).toBeCloseTo(1_000 - 294.294, 9);
    expect(balances.ETH?.free).toBe(3);
  });

  it("a marketable limit takes at once as taker, never beyond its limit", async () => {
    const ex = await paper();
    const order = await ex.createOrder(buy("m", 1, { type: "limit", price: 100.05 }));
    expect(order).toMatchObject({ status: "filled", averagePrice: 100.05 });
    expect(order.fee).toBeCloseTo(0.2001, 12);
  });

  it("cancelling releases what the order still holds", async () => {
    const ex = await paper({ volumeShare: 0.02 });
    await ex.createOrder(buy("c", 3, { type: "limit", price: 98 }));
    await ex.onCandle("ETH/USDT", { ...BAR, low: 97, volume: 50 });
    const cancelled = await ex.cancelOrder("ETH/USDT", "c");
    expect(cancelled).toMatchObject({ status: "cancelled", filled: 1 });
    const balances = await ex.fetchBalance();
    expect(balances.USDT?.used).toBe(0);
    expect(balances.USDT?.free).toBeCloseTo(1_000 - 98.098, 9);
    expect(await ex.fetchOpenOrders()).toEqual([]);
  });

  it("is deterministic: the same inputs give the same fills and balances", async () => {
    const run = async () => {
      const ex = await paper({ volumeShare: 0.05 });
      await ex.createOrder(buy("1", 2));
      await ex.createOrder(buy("2", 4, { type: "limit", price: 99.5 }));
      await ex.createOrder(buy("3", 1, { side: "sell", type: "limit", price: 101 }));
      for (let i = 1; i <= 3; i++) {
        await ex.onCandle("ETH/USDT", { ...BAR, time: T0 + i * 60_000, low: 99, high: 101.5, volume: 40 });
      }
      return { trades: await ex.fetchTrades("ETH/USDT"), balances: await ex.fetchBalance() };
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    // the market buy, the limit buy in two candles (5% of 40 = 2 each), the limit sell
    expect(a.trades.map((t) => t.clientOrderId)).toEqual(["1", "2", "3", "2"]);
  });

  it("balances derive from recorded fills", () => {
    const fills = [
      { side: "buy", symbol: "BTC/USDT", amount: 0.01, price: 50_000, fee: 0.5, feeCurrency: "USDT" },
      { side: "sell", symbol: "BTC/USDT", amount: 0.004, price: 51_000, fee: 0.204, feeCurrency: "USDT" },
    ] as const;
    const out = balancesFromFills(
      { USDT: 1000 },
      fills.map((f, i) => ({ ...f, id: `${i}`, clientOrderId: "c", accountId: "a", strategyId: "s", time: 0 })),
    );
    expect(out.USDT).toBeCloseTo(1000 - 500 - 0.5 + 204 - 0.204, 9);
    expect(out.BTC).toBeCloseTo(0.006, 12);
  });
});

describe("paper exchange with a store: balances persist, a restart resumes", () => {
  let opened: TestStore;
  let store: Store;
  const clock = new SimulatedClock(T0);
  const options = (): PaperExchangeOptions => ({
    accountId: "paper",
    clock,
    store,
    balances: { USDT: 10_000 },
    fees: { maker: 0.1, taker: 0.1 },
  });

  beforeEach(async () => {
    opened = await openTestStore("sqlite", "paper-restart");
    store = opened.store;
    await migrateToLatest(store);
  });
  afterEach(() => opened.cleanup());

  it("a restart keeps the cash and the resting orders; the restored order still fills", async () => {
    const bus = new MemoryBus();
    const first = await createPaperExchange(options());
    first.setPrice("ETH/USDT", 100);
    const executor = createExecutor({ accountId: "paper", exchange: first, store, bus, clock });
    const intent = {
      strategyId: "s",
      symbol: "ETH/USDT",
      reduceOnly: false,
      candleTime: T0,
      size: { kind: "base", value: 1 },
    } as const;
    await executor.submit({ ...intent, id: "i1", side: "buy", type: "market" }, approveAmount(10));
    const resting = await executor.submit(
      { ...intent, id: "i2", side: "buy", type: "limit", limitPrice: 90 },
      approveAmount(5),
    );
    await first.close();
    const mirror = await loadBalances(store.db, "paper");
    expect(mirror.USDT).toEqual({ free: 10_000 - 1_001 - 450.45, used: 450.45 });
    expect(mirror.ETH).toEqual({ free: 10, used: 0 });

    const second = await createPaperExchange(options());
    expect(await second.fetchBalance()).toEqual({
      USDT: { free: 10_000 - 1_001 - 450.45, used: 450.45 },
      ETH: { free: 10, used: 0 },
    });
    const id = (resting as { order: { clientOrderId: string } }).order.clientOrderId;
    expect((await second.fetchOpenOrders()).map((o) => o.clientOrderId)).toEqual([id]);
    await second.onCandle("ETH/USDT", { ...BAR, low: 89 });
    const restarted = createExecutor({ accountId: "paper", exchange: second, store, bus, clock });
    const report = await restarted.reconcile();
    expect(report.updated.map((o) => o.clientOrderId)).toEqual([id]);
    expect(await findOrder(store.db, id)).toMatchObject({ status: "filled", filled: 5, averagePrice: 90 });
    expect((await second.fetchBalance()).ETH?.free).toBe(15);
    await second.close();
    await bus.close();
  });

  it("balances come from the recorded fills, not from a mirror a crash left behind", async () => {
    await saveBalances(store.db, "paper", { USDT: { free: 123, used: 0 } }, T0);
    const warnings: unknown[] = [];
    const log = { warn: (fields: unknown) => warnings.push(fields) } as unknown as NonNullable<
      PaperExchangeOptions["log"]
    >;
    const ex = await createPaperExchange({ ...options(), log });
    expect((await ex.fetchBalance()).USDT).toEqual({ free: 10_000, used: 0 });
    expect(warnings).toHaveLength(1);
    await ex.close();
    expect((await loadBalances(store.db, "paper")).USDT).toEqual({ free: 10_000, used: 0 });
  });
});

function approveAmount(amount: number) {
  return { decision: "approve", amount, rules: [], warnings: [] } as const;
}

describe("paper exchange memory", () => {
  it("forgets the oldest final orders and trades beyond `retain`, never an open one", async () => {
    const ex = await createPaperExchange({
      accountId: "m",
      clock: new SimulatedClock(T0),
      balances: { USDT: 1e9 },
      retain: 3,
    });
    ex.setPrice("ETH/USDT", 100);
    const resting = await ex.createOrder(buy("rest", 1, { type: "limit", price: 50 }));
    for (let i = 0; i < 8; i++) await ex.createOrder(buy(`m${i}`, 1));
    expect(await ex.fetchOrderByClientId("ETH/USDT", "m0")).toBeUndefined();
    expect((await ex.fetchOrderByClientId("ETH/USDT", "m7"))?.status).toBe("filled");
    expect((await ex.fetchOrderByClientId("ETH/USDT", "rest"))?.status).toBe(resting.status);
    // Kept between `retain` and twice that: the newest are always there.
    const trades = await ex.fetchTrades("ETH/USDT");
    expect(trades.length).toBeLessThan(6);
    expect(trades.at(-1)?.clientOrderId).toBe("m7");
  });
});
