import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBacktestInProcess } from "../../../core/backtest/index.ts";
import type { BacktestRun, BacktestSettings } from "../../../core/backtest/types.ts";
import { DEFAULT_RISK_LIMITS } from "../../../core/domain/index.ts";
import { type BacktestWorld, btcHoursWorld, PLUGINS, settings } from "../trading/backtest-helpers.ts";

// sma-cross 10/30 over 3000 real BTC/USDT hours (shipped in data/), through risk rules, fees, slippage.
const FROM = Date.UTC(2020, 11, 15);
const TO = FROM + 3000 * 3_600_000;

let w: BacktestWorld;
beforeAll(async () => {
  w = await btcHoursWorld("real");
});
afterAll(async () => {
  await w?.cleanup();
});

const run = (over: Partial<BacktestSettings>) =>
  runBacktestInProcess(
    settings({ params: { fast: 10, slow: 30 }, cash: 10_000, from: FROM, to: TO, slippageBps: 2, ...over }),
    { store: w.store, cacheDir: w.cacheDir, pluginRoots: [PLUGINS] },
  );

/** Cash plus the position replayed from the fills, at each step's close, against the equity curve. */
function checkBooks(r: BacktestRun, closes: Map<number, number>): void {
  let held = 0;
  let f = 0;
  for (const point of r.equity) {
    while (f < r.fills.length && (r.fills[f]?.time as number) <= point.time) {
      const fill = r.fills[f++]!;
      held += fill.side === "buy" ? fill.amount : -fill.amount;
    }
    const close = closes.get(point.time) as number;
    expect(point.equity - point.cash).toBeCloseTo(held * close, 6);
  }
}

describe("sma-cross on 3000 hours of real BTC/USDT", () => {
  it("ends with consistent books: cash + positions = equity at every step; trade PnL adds up to the equity change", async () => {
    const r = await run({ risk: { ...DEFAULT_RISK_LIMITS, maxPositionPct: 50 }, closeAtEnd: true });
    expect(r.data.candles).toBe(2994); // 3000 hours, six of them missing on the exchange
    expect(r.equity).toHaveLength(r.data.candles);
    expect(r.trades.length).toBeGreaterThan(20);
    expect(r.verdicts.resized).toBeGreaterThan(0);
    const closes = new Map(r.benchmark.map((b) => [b.time, b.close]));
    checkBooks(r, closes);
    expect(r.openAtEnd).toEqual([]);
    const last = r.equity.at(-1)!;
    expect(last.equity).toBeCloseTo(last.cash, 9);
    const pnl = r.trades.reduce((sum, t) => sum + t.pnl, 0);
    expect(pnl).toBeCloseTo(last.equity - 10_000, 6);
    const fees = r.fills.reduce((sum, f) => sum + f.fee, 0);
    expect(r.trades.reduce((sum, t) => sum + t.fees, 0)).toBeCloseTo(fees, 6);
    for (const t of r.trades) expect(t.exitReason).toMatch(/crossed|end of backtest/);
  });

  it("without closing at the end, the open position is valued at the last close", async () => {
    const r = await run({
      risk: null,
      fill: "next-open",
      allowShort: true,
      params: { fast: 10, slow: 30, allowShort: true },
    });
    expect(r.trades.some((t) => t.direction === "short")).toBe(true);
    const closes = new Map(r.benchmark.map((b) => [b.time, b.close]));
    checkBooks(r, closes);
    const last = r.equity.at(-1)!;
    const open = r.openAtEnd.reduce((sum, p) => sum + p.quantity * p.lastPrice, 0);
    expect(last.cash + open).toBeCloseTo(last.equity, 6);
    const pnl = r.trades.reduce((sum, t) => sum + t.pnl, 0);
    expect(pnl).toBeCloseTo(last.equity - 10_000, 6);
  });
});
