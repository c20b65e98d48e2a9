import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backtestId,
  listBacktests,
  loadBacktest,
  prepareBacktest,
  runBacktestInProcess,
  saveBacktest,
} from "../../../core/backtest/index.ts";
import type { BacktestSettings } from "../../../core/backtest/types.ts";
import { DEFAULT_RISK_LIMITS } from "../../../core/domain/index.ts";
import {
  type BacktestWorld,
  backtestWorld,
  importSample,
  PLUGINS,
  settings,
  storeCandles,
} from "../trading/backtest-helpers.ts";

const KEY = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" as const };
const FROM = Date.UTC(2021, 0, 1);
const TO = FROM + 1500 * 3_600_000;

let w: BacktestWorld;
beforeAll(async () => {
  w = await backtestWorld("repro");
  await importSample(w.store, "binance_BTC-USDT_1h.csv.gz", KEY);
});
afterAll(async () => {
  await w?.cleanup();
});

const options = () => ({ store: w.store, cacheDir: w.cacheDir, pluginRoots: [PLUGINS] });
const base = (over: Partial<BacktestSettings> = {}) =>
  settings({
    params: { fast: 10, slow: 30, stopLossPct: 2, takeProfitPct: 6 },
    cash: 10_000,
    from: FROM,
    to: TO,
    slippageBps: 3,
    fill: "next-open",
    risk: { ...DEFAULT_RISK_LIMITS, maxPositionPct: 40 },
    ...over,
  });

describe("reproducible backtests", () => {
  it("the same inputs give a byte-identical run, whichever ledger the executor writes to", async () => {
    const first = await runBacktestInProcess(base(), { ...options(), ledger: "store" });
    const second = await runBacktestInProcess(base(), { ...options(), ledger: "store" });
    expect(first.fills.length).toBeGreaterThan(10);
    expect(first.trades.some((t) => t.exitReason === "stop-loss" || t.exitReason === "take-profit")).toBe(true);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    // The default ledger is the in-memory one.
    const inMemory = await runBacktestInProcess(base(), options());
    expect(JSON.stringify(inMemory)).toBe(JSON.stringify(first));
  });

  it("the id covers plugin, params, settings, data and engine; defaults spelled out change nothing", async () => {
    const id = (await prepareBacktest(base(), options())).id;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const spelled = base({ params: { fast: 10, slow: 30, stopLossPct: 2, takeProfitPct: 6, fraction: 1 } });
    expect((await prepareBacktest(spelled, options())).id).toBe(id);
    const reordered = { ...base(), fill: "next-open" as const, cash: 10_000 };
    expect((await prepareBacktest(reordered, options())).id).toBe(id);
    for (const other of [
      base({ params: { fast: 11, slow: 30, stopLossPct: 2, takeProfitPct: 6 } }),
      base({ slippageBps: 4 }),
      base({ to: TO + 3_600_000 }),
      base({ risk: null }),
    ]) {
      expect((await prepareBacktest(other, options())).id).not.toBe(id);
    }
    const input = await prepareBacktest(base(), options());
    const parts = {
      plugin: { id: input.plugin.id, version: input.plugin.version, codeHash: input.plugin.codeHash },
      params: input.plugin.params,
      settings: { ...input.settings, params: input.plugin.params },
      data: input.data,
      series: input.series,
    };
    expect(backtestId({ ...parts, engineVersion: "0.1.0" })).toBe(id);
    expect(backtestId({ ...parts, engineVersion: "0.2.0" })).not.toBe(id);
  });

  it("a new import of the series (a new revision) is a new backtest", async () => {
    const t = await backtestWorld("revision");
    try {
      const candles = Array.from({ length: 50 }, (_, i) => ({
        time: FROM + i * 3_600_000,
        open: 100 + i,
        high: 102 + i,
        low: 99 + i,
        close: 101 + i,
        volume: 1,
      }));
      await storeCandles(t.store, KEY, candles);
      const opts = { store: t.store, cacheDir: t.cacheDir, pluginRoots: [PLUGINS] };
      const before = await prepareBacktest(settings(), opts);
      await storeCandles(t.store, KEY, candles);
      const after = await prepareBacktest(settings(), opts);
      expect(after.series[0]?.revision).toBe((before.series[0]?.revision as number) + 1);
      expect(after.id).not.toBe(before.id);
    } finally {
      await t.cleanup();
    }
  });

  it("stores a run compactly, lists it, and loads it back exactly", async () => {
    const run = await runBacktestInProcess(base(), options());
    const id = await saveBacktest(w.store, run, { sharpe: 1.5 }, 1_700_000_000_000);
    expect(id).toBe(run.id);
    expect(await saveBacktest(w.store, run, { sharpe: 9 })).toBe(id);
    const listed = await listBacktests(w.store, { pluginId: "sma-cross" });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, pluginVersion: "1.1.0", symbols: ["BTC/USDT"], metrics: { sharpe: 1.5 } });
    const loaded = await loadBacktest(w.store, id);
    expect(JSON.stringify(loaded?.run)).toBe(JSON.stringify(run));
    const row = await w.store.db
      .selectFrom("backtest_results")
      .select("result_json")
      .where("id", "=", id)
      .executeTakeFirst();
    // Binary columns and fill tuples: well under the run's own JSON.
    expect(row!.result_json.length).toBeLessThan(JSON.stringify(run).length * 0.6);
  });
});
