import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BacktestError, runBacktestInProcess } from "../../../core/backtest/index.ts";
import {
  type BacktestWorld,
  backtestWorld,
  hourly,
  PLUGINS,
  ROOT,
  settings,
  storeCandles,
} from "../trading/backtest-helpers.ts";

// A backtest enters a per-candle plugin on its own thread, synchronously, over ranges of thousands of
// candles (it stops at the plugin's first order). A plugin that hangs deep in such a range must still be
// stopped by its time limit, and the run must say which plugin and why.

const KEY = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" as const };
const CANDLES = 6000;
const FIXTURES = path.join(ROOT, "test/fixtures/plugins");

let w: BacktestWorld;
beforeAll(async () => {
  w = await backtestWorld("hostile-plugin");
  const closes = Array.from({ length: CANDLES }, (_, i) => 100 + Math.sin(i / 50) * 10);
  await storeCandles(w.store, KEY, hourly(closes));
});
afterAll(async () => {
  await w?.cleanup();
});

describe("a per-candle plugin that misbehaves deep in a backtest", () => {
  const run = (attack: string, at: number) =>
    runBacktestInProcess(settings({ plugin: "hostile", params: { attack, at } }), {
      store: w.store,
      cacheDir: w.cacheDir,
      pluginRoots: [PLUGINS, FIXTURES],
    });

  it("runs all 6000 candles when it attacks nothing, so the failures below come from the attacks", async () => {
    const done = await run("none", 5000);
    expect(done.equity.length).toBe(CANDLES);
  });

  it("loops forever at candle 5000: stopped by its time limit, the run fails naming it", async () => {
    const failing = run("loop", 5000);
    await expect(failing).rejects.toThrow(BacktestError);
    await expect(failing).rejects.toMatchObject({ kind: "plugin-failed" });
    await expect(failing).rejects.toThrow(/hostile failed \(timeout\): .*still running/);
  });

  it("grows its memory without end at candle 5000: stopped by its memory limit", async () => {
    await expect(run("memory-array", 5000)).rejects.toThrow(/hostile failed \(memory\)/);
  });
});
