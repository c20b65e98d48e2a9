import { beforeAll, describe, expect, it } from "vitest";
import { MemoryBus } from "../../../core/bus/index.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import { createPortfolio, groupByDay, riskSnapshotFields } from "../../../core/portfolio/index.ts";
import type { Store } from "../../../core/store/database.ts";
import { listEquity, recordEquity, saveBalances, upsertPosition } from "../../../core/store/index.ts";
import { DIALECTS, useMigratedStore } from "../../helpers/db.ts";

const DAY1 = Date.UTC(2024, 2, 1);
const H = 3_600_000;

describe.each(DIALECTS)("portfolio on %s", (dialect) => {
  const getStore = useMigratedStore(dialect, "portfolio");
  let store: Store;
  const clock = new SimulatedClock(DAY1 + 10 * H);

  beforeAll(async () => {
    store = getStore();
    await saveBalances(store.db, "acct", { USDT: { free: 8_000, used: 500 }, BTC: { free: 0.05, used: 0 } }, DAY1);
    const base = { accountId: "acct", fees: 1, openedAt: DAY1, updatedAt: DAY1 };
    await upsertPosition(store.db, {
      ...base,
      strategyId: "a",
      symbol: "BTC/USDT",
      quantity: 0.05,
      entryPrice: 40_000,
      realizedPnl: 12,
    });
    await upsertPosition(store.db, {
      ...base,
      strategyId: "b",
      symbol: "ETH/USDT",
      quantity: -1,
      entryPrice: 2_000,
      realizedPnl: -3,
    });
    await upsertPosition(store.db, {
      ...base,
      strategyId: "b",
      symbol: "SOL/USDT",
      quantity: 0,
      entryPrice: 0,
      realizedPnl: 7,
    });
  });

  it("snapshot: cash, positions at the marks, equity, PnL per strategy, and the risk manager's fields", async () => {
    const bus = new MemoryBus();
    const portfolio = createPortfolio({ store, clock, bus });
    portfolio.mark("BTC/USDT", 42_000);
    await bus.publish("candle.closed", {
      exchange: "binance",
      symbol: "ETH/USDT",
      timeframe: "1h",
      candle: { time: DAY1, open: 1, high: 1, low: 1, close: 1_900, volume: 1 },
      source: "replay",
    });
    await bus.drain();
    const p = await portfolio.snapshot("acct");
    // 8 500 cash + 0.05 × 42 000 - 1 × 1 900
    expect(p).toMatchObject({ quote: "USDT", cash: 8_000, cashTotal: 8_500, equity: 8_500 + 2_100 - 1_900 });
    expect(p.unrealizedPnl).toBeCloseTo(0.05 * 2_000 + 100, 9);
    expect(p.realizedPnl).toBe(16);
    expect(p.fees).toBe(3);
    expect(p.exposure).toBe(2_100 + 1_900);
    expect(p.positions).toEqual([
      { symbol: "BTC/USDT", strategyId: "a", quantity: 0.05, entryPrice: 40_000, lastPrice: 42_000 },
      { symbol: "ETH/USDT", strategyId: "b", quantity: -1, entryPrice: 2_000, lastPrice: 1_900 },
    ]);
    expect(p.strategies.find((s) => s.strategyId === "b")).toMatchObject({ realizedPnl: 4, unrealizedPnl: 100 });
    // No equity history yet: the day starts, and peaks, at the equity now.
    expect(riskSnapshotFields(p)).toEqual({
      equity: 8_700,
      dayStartEquity: 8_700,
      peakEquity: 8_700,
      cash: 8_000,
      positions: p.positions,
    });
    portfolio.close();
    await bus.close();
  });

  it("equity snapshots are throttled per bucket; forced ones go through; per-strategy curves beside", async () => {
    const portfolio = createPortfolio({ store, clock, equityEveryMs: 60_000, capital: { a: 1_000 } });
    portfolio.mark("BTC/USDT", 42_000);
    portfolio.mark("ETH/USDT", 1_900);
    expect(await portfolio.recordEquity("acct")).toBe(true);
    clock.set(clock.now() + 30_000);
    expect(await portfolio.recordEquity("acct")).toBe(false);
    expect(await portfolio.recordEquity("acct", { force: true })).toBe(true);
    clock.set(clock.now() + 30_000);
    expect(await portfolio.recordEquity("acct")).toBe(true);
    const curve = await listEquity(store.db, { accountId: "acct" });
    expect(curve).toHaveLength(3);
    expect(curve[0]).toMatchObject({ equity: 8_700, cash: 8_500 });
    const a = await listEquity(store.db, { accountId: "acct", strategyId: "a" });
    expect(a[0]).toMatchObject({ equity: 1_000 + 12 + 100, cash: 1_012, unrealizedPnl: 100 });
  });

  it("the day start and the peak come from the recorded curve", async () => {
    await recordEquity(store.db, [
      { accountId: "acct", time: DAY1 - H, equity: 9_000, cash: 9_000, unrealizedPnl: 0 },
      { accountId: "acct", time: DAY1 - 5 * H, equity: 9_500, cash: 9_500, unrealizedPnl: 0 },
    ]);
    const portfolio = createPortfolio({ store, clock });
    portfolio.mark("BTC/USDT", 42_000);
    portfolio.mark("ETH/USDT", 1_900);
    const p = await portfolio.snapshot("acct");
    expect(p.dayStartEquity).toBe(9_000);
    expect(p.peakEquity).toBe(9_500);
  });

  it("daily PnL in UTC days, across midnight", async () => {
    await recordEquity(store.db, [
      { accountId: "daily", time: DAY1 + 22 * H, equity: 100, cash: 0, unrealizedPnl: 0 },
      { accountId: "daily", time: DAY1 + 23 * H + 59 * 60_000, equity: 110, cash: 0, unrealizedPnl: 0 },
      { accountId: "daily", time: DAY1 + 24 * H + 60_000, equity: 111, cash: 0, unrealizedPnl: 0 },
      { accountId: "daily", time: DAY1 + 36 * H, equity: 105, cash: 0, unrealizedPnl: 0 },
      { accountId: "daily", time: DAY1 + 72 * H + 1, equity: 120, cash: 0, unrealizedPnl: 0 },
    ]);
    const portfolio = createPortfolio({ store, clock });
    const days = await portfolio.dailyPnl("daily");
    expect(days.map((d) => [d.day, d.openEquity, d.closeEquity, d.pnl])).toEqual([
      ["2024-03-01", 100, 110, 10],
      ["2024-03-02", 110, 105, -5],
      ["2024-03-04", 105, 120, 15],
    ]);
    expect(days[1]?.pnlPct).toBeCloseTo((-5 / 110) * 100, 12);
    // From day 2 on: the day opens from day 1's close, which lies before the range.
    const fromDay2 = await portfolio.dailyPnl("daily", { from: DAY1 + 24 * H + 5 * H });
    expect(fromDay2[0]).toMatchObject({ day: "2024-03-02", openEquity: 110, pnl: -5 });
  });
});

describe("groupByDay", () => {
  it("a single day without a previous close opens at its first snapshot", () => {
    expect(
      groupByDay(
        [
          { time: DAY1 + H, equity: 50 },
          { time: DAY1 + 2 * H, equity: 45 },
        ],
        undefined,
      ),
    ).toEqual([{ day: "2024-03-01", start: DAY1, openEquity: 50, closeEquity: 45, pnl: -5, pnlPct: -10 }]);
    expect(groupByDay([], 10)).toEqual([]);
  });
});
