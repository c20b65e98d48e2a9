import { cpSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BacktestError, runBacktest, runBacktestInProcess } from "../../../core/backtest/index.ts";
import type { BacktestRun, BacktestSettings } from "../../../core/backtest/types.ts";
import { roundAmount } from "../../../core/risk/precision.ts";
import {
  type BacktestWorld,
  backtestWorld,
  HOUR,
  hourly,
  JAN1,
  PLUGINS,
  ROOT,
  settings,
  storeCandles,
} from "../trading/backtest-helpers.ts";

// A hand-made series for sma-cross with fast 2, slow 4 (worked out below). Opens are the previous close
// plus 0.5, so "close" and "next-open" fills differ.
//   step   0   1   2   3   4     5     6    7      8      9     10    11
//   close 10  10  10  10  12    14    12   9      8      10    13    14
//   SMA2  10  10  10  10  11    13    13   10.5   8.5    9     11.5  13.5
//   SMA4   -   -   -  10  10.5  11.5  12   11.75  10.75  9.75  10    11.25
//   gap                0  +.5  +1.5   +1  -1.25  -2.25  -.75  +1.5  +2.25
// Crosses: up at 4 (buy), down at 7 (close), up at 10 (buy). The first ready gap (step 3) is no cross.
const CLOSES = [10, 10, 10, 10, 12, 14, 12, 9, 8, 10, 13, 14];
const OPEN = (i: number) => (CLOSES[i - 1] as number) + 0.5;
const T = (i: number) => JAN1 + i * HOUR;
const FIXTURES = path.join(ROOT, "test/fixtures/plugins");
const KEY = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" as const };

/** The quote a buy may spend: the 0.1% taker fee (and slippage) set aside, a hair kept back for rounding. */
const spendable = (cash: number, slipBps = 0) => (cash / 1.001 / (1 + slipBps / 10_000)) * (1 - 1e-9);
const step8 = (x: number) => roundAmount(x, 1e-8);

let w: BacktestWorld;
beforeAll(async () => {
  w = await backtestWorld("run");
  await storeCandles(w.store, KEY, hourly(CLOSES));
});
afterAll(async () => {
  await w?.cleanup();
});

const run = (over: Partial<BacktestSettings> = {}) =>
  runBacktestInProcess(settings(over), {
    store: w.store,
    cacheDir: w.cacheDir,
    pluginRoots: [PLUGINS, w.pluginDir, FIXTURES],
  });

const brief = (r: BacktestRun) =>
  r.fills.map((f) => ({ side: f.side, amount: f.amount, price: f.price, fee: f.fee, time: f.time }));

describe("a backtest of sma-cross on a hand-made series", () => {
  it("fills at the close of the signal candle, fees taken, sized to the cash the fee leaves", async () => {
    const r = await run({ fill: "close" });
    const a1 = step8(spendable(1000) / 12);
    const cash2 = 1000 - a1 * 12 - a1 * 12 * 0.001 + a1 * 9 - a1 * 9 * 0.001;
    const a2 = step8(spendable(cash2) / 13);
    expect(brief(r)).toEqual([
      { side: "buy", amount: a1, price: 12, fee: expect.closeTo(a1 * 12 * 0.001, 9), time: T(4) },
      { side: "sell", amount: a1, price: 9, fee: expect.closeTo(a1 * 9 * 0.001, 9), time: T(7) },
      { side: "buy", amount: a2, price: 13, fee: expect.closeTo(a2 * 13 * 0.001, 9), time: T(10) },
    ]);
    expect(r.trades[0]).toMatchObject({
      direction: "long",
      entryPrice: 12,
      exitPrice: 9,
      exitReason: "fast SMA crossed below slow",
    });
    expect(r.trades[0]?.pnl).toBeCloseTo(a1 * (9 - 12) - a1 * 21 * 0.001, 9);
    expect(r.verdicts).toEqual({ approved: 1, resized: 2, rejected: 0 });
    expect(r.equity).toHaveLength(12);
    expect(r.equity[5]?.equity).toBeCloseTo(1000 - a1 * 12 * 1.001 + a1 * 14, 9);
    expect(r.openAtEnd).toEqual([{ symbol: "BTC/USDT", quantity: a2, entryPrice: 13, lastPrice: 14 }]);
    expect(r.trades[1]?.exitTime).toBeUndefined();
    expect(r.data).toEqual({ first: T(0), last: T(11), candles: 12 });
    expect(r.benchmark.map((b) => b.close)).toEqual(CLOSES);
  });

  it("fills at the next candle's open, with slippage against the trader", async () => {
    const r = await run({ fill: "next-open", slippageBps: 10 });
    const buy = (i: number) => OPEN(i) * 1.001;
    const sell = (i: number) => OPEN(i) * 0.999;
    const a1 = step8(spendable(1000, 10) / OPEN(5));
    const cash2 = 1000 - a1 * buy(5) * 1.001 + a1 * sell(8) * 0.999;
    const a2 = step8(spendable(cash2, 10) / OPEN(11));
    expect(brief(r)).toEqual([
      {
        side: "buy",
        amount: a1,
        price: expect.closeTo(buy(5), 9),
        fee: expect.closeTo(a1 * buy(5) * 0.001, 9),
        time: T(5),
      },
      {
        side: "sell",
        amount: a1,
        price: expect.closeTo(sell(8), 9),
        fee: expect.closeTo(a1 * sell(8) * 0.001, 9),
        time: T(8),
      },
      {
        side: "buy",
        amount: a2,
        price: expect.closeTo(buy(11), 9),
        fee: expect.closeTo(a2 * buy(11) * 0.001, 9),
        time: T(11),
      },
    ]);
  });

  it("goes short when the account allows it, and the short sale is refused when it does not", async () => {
    const long = await run({ params: { fast: 2, slow: 4, allowShort: true }, allowShort: false });
    expect(long.fills.map((f) => f.side)).toEqual(["buy", "sell", "buy"]);
    expect(long.verdicts.rejected).toBe(1);

    const both = await run({ params: { fast: 2, slow: 4, allowShort: true }, allowShort: true });
    expect(both.fills.map((f) => f.side)).toEqual(["buy", "sell", "sell", "buy", "buy"]);
    const a1 = both.fills[0]?.amount as number;
    const cash2 = 1000 - a1 * 12 * 1.001 + a1 * 9 * 0.999;
    // The short: the whole equity's worth at 9 (a sale spends no quote), covered at 13.
    expect(both.fills[2]).toMatchObject({ side: "sell", price: 9, amount: step8(cash2 / 9), time: T(7) });
    expect(both.fills[3]).toMatchObject({
      side: "buy",
      price: expect.closeTo(13, 9),
      amount: step8(cash2 / 9),
      time: T(10),
    });
    expect(both.trades.map((t) => t.direction)).toEqual(["long", "short", "long"]);
    const short = both.trades[1];
    expect(short?.pnl).toBeCloseTo(step8(cash2 / 9) * (9 - 13) - step8(cash2 / 9) * 22 * 0.001, 9);
  });

  it("closes what is open at the last close when asked, and the books add up", async () => {
    const r = await run({ closeAtEnd: true });
    expect(r.fills.at(-1)).toMatchObject({ side: "sell", price: 14, time: T(11) });
    expect(r.trades.at(-1)).toMatchObject({ exitPrice: 14, exitReason: "end of backtest" });
    expect(r.openAtEnd).toEqual([]);
    const last = r.equity.at(-1)!;
    expect(last.equity).toBe(last.cash);
    const pnl = r.trades.reduce((sum, t) => sum + t.pnl, 0);
    expect(pnl).toBeCloseTo(last.equity - 1000, 9);
  });
});

describe("order sizing and fees", () => {
  const scripted = (params: Record<string, number | boolean>, over: Partial<BacktestSettings> = {}) =>
    run({ plugin: "scripted", params, ...over });

  it("buys a fixed base quantity (10 units) whatever the cash", async () => {
    const r = await scripted({ buyAt: 2, closeAt: 6, qty: 10 });
    expect(brief(r)).toEqual([
      { side: "buy", amount: 10, price: 10, fee: 0.1, time: T(2) },
      { side: "sell", amount: 10, price: 12, fee: expect.closeTo(0.12, 12), time: T(6) },
    ]);
    expect(r.trades[0]?.pnl).toBeCloseTo(20 - 0.22, 12);
    expect(r.equity.at(-1)?.equity).toBeCloseTo(1019.78, 9);
  });

  it("charges a fixed fee per order", async () => {
    const r = await scripted({ buyAt: 2, closeAt: 6, qty: 10 }, { fees: { kind: "fixed", perOrder: 1 } });
    expect(brief(r).map((f) => [f.price, f.fee])).toEqual([
      [10, 1],
      [12, 1],
    ]);
    expect(r.trades[0]?.pnl).toBeCloseTo(18, 12);
    expect(r.equity.at(-1)).toMatchObject({ equity: 1018, cash: 1018 });
  });

  it("with risk rules on, an entry is cut to the single-position limit", async () => {
    const { DEFAULT_RISK_LIMITS } = await import("../../../core/domain/index.ts");
    const r = await scripted({ buyAt: 2 }, { risk: { ...DEFAULT_RISK_LIMITS, minOrderQuote: 0 } });
    // 10% of the 1000 equity at 10: 10 units.
    expect(r.fills[0]).toMatchObject({ side: "buy", amount: 10, price: 10 });
    expect(r.verdicts).toEqual({ approved: 0, resized: 1, rejected: 0 });
  });
});

describe("stops inside a backtest", () => {
  it("a trailing stop moves with the highs and exits intrabar where it stands", async () => {
    // Entry at the close of step 3 (10), trail 10%: 9. Step 4 (low 9.5) leaves it, its high 13 lifts
    // it to 11.7; step 5 opens at 12.5 and trades down to 11.5, through it.
    const r = await run({ plugin: "scripted", params: { buyAt: 3, qty: 10, trailPct: 10 } });
    expect(brief(r)).toEqual([
      { side: "buy", amount: 10, price: 10, fee: 0.1, time: T(3) },
      { side: "sell", amount: 10, price: expect.closeTo(11.7, 12), fee: expect.closeTo(0.117, 12), time: T(5) },
    ]);
    expect(r.trades[0]?.exitReason).toBe("trailing stop");
  });

  it("a stop-loss below the entry fires on the first low that reaches it", async () => {
    // Entry at 12 (close of step 4), stop 5% below: 11.4. Step 6 opens at 14.5 and its low is 11.
    const r = await run({ plugin: "scripted", params: { buyAt: 4, qty: 10, stopLossPct: 5 } });
    expect(brief(r)[1]).toEqual({
      side: "sell",
      amount: 10,
      price: expect.closeTo(11.4, 12),
      fee: expect.closeTo(0.114, 12),
      time: T(6),
    });
    expect(r.trades[0]?.exitReason).toBe("stop-loss");
  });
});

describe("several symbols", () => {
  it("aligns them by time, a gap in one left out, and trades the one asked for at its own close", async () => {
    const eth = hourly([100, 101, 102, 103, 104, 105]).filter((_, i) => i !== 2); // no ETH candle at step 2
    await storeCandles(w.store, { ...KEY, symbol: "ETH/USDT" }, eth);
    const r = await run({
      plugin: "multi-probe",
      symbols: ["BTC/USDT", "ETH/USDT"],
      params: { buyAt: 3 },
      to: T(6),
    });
    expect(r.data).toEqual({ first: T(0), last: T(5), candles: 6 });
    const amount = step8(100 / 103);
    expect(brief(r)).toEqual([
      { side: "buy", amount, price: 103, fee: expect.closeTo(amount * 0.103, 12), time: T(3) },
    ]);
    expect(r.equity).toHaveLength(6);
    expect(r.equity[5]?.equity).toBeCloseTo(1000 - amount * 103 * 1.001 + amount * 105, 9);
  });
});

describe("errors a trader can act on", () => {
  it("refuses bad settings, unknown plugins, bad params and missing candles", async () => {
    await expect(run({ cash: 0 })).rejects.toThrow(/cash must be greater than 0/);
    await expect(run({ plugin: "nope" })).rejects.toThrow(/no plugin "nope"/);
    await expect(run({ params: { fast: 0 } })).rejects.toThrow(BacktestError);
    await expect(run({ symbols: ["SOL/USDT"] })).rejects.toThrow(/no candles stored for binance SOL\/USDT 1h/);
    await expect(run({ from: T(50) })).rejects.toThrow(/no candles/);
  });

  it("takes a plugin folder by path: absolute, or relative to the working directory, above it too", async () => {
    const folder = path.join(w.dir, "my-sma");
    cpSync(path.join(PLUGINS, "sma-cross"), folder, { recursive: true });
    const above = path.relative(process.cwd(), folder);
    expect(above.startsWith("../")).toBe(true);
    const byId = await run();
    for (const plugin of [folder, above]) expect(brief(await run({ plugin }))).toEqual(brief(byId));
  });
});

describe("runBacktest, in a child process", () => {
  it("gives the same run as in process, with progress", async () => {
    const progress: number[] = [];
    const options = { store: w.store, cacheDir: w.cacheDir, pluginRoots: [PLUGINS, w.pluginDir] };
    const forked = await runBacktest(settings(), { ...options, onProgress: (done) => progress.push(done) });
    const local = await runBacktestInProcess(settings(), options);
    expect(JSON.stringify(forked)).toBe(JSON.stringify(local));
    expect(progress.at(-1)).toBe(12);
  });

  it("reports a plugin that fails", async () => {
    // sma-cross refuses fast >= slow in init.
    await expect(
      runBacktest(settings({ params: { fast: 5, slow: 4 } }), {
        store: w.store,
        cacheDir: w.cacheDir,
        pluginRoots: [PLUGINS],
      }),
    ).rejects.toThrow(/sma-cross failed \(error\).*fast \(5\) must be shorter than slow \(4\)/);
  });
});
