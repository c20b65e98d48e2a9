import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBacktestInProcess } from "../../../core/backtest/index.ts";
import type { BacktestRun, BacktestSettings } from "../../../core/backtest/types.ts";
import { DEFAULT_RISK_LIMITS } from "../../../core/domain/index.ts";
import { type BacktestWorld, btcHoursWorld, PLUGINS, ROOT, settings } from "../trading/backtest-helpers.ts";

// sma-cross asks for targets from onCandles (one isolate entry per window of candles); the fixture
// sma-cross-per-candle is the same strategy written per candle with ctx.position(), ctx.buy and
// ctx.close (one entry per step with orders). Over real BTC/USDT hours both must trade identically:
// the same fills at the same prices and times, the same trades, the same equity at every step.

const FIXTURES = path.join(ROOT, "test/fixtures/plugins");
const FROM = Date.UTC(2021, 0, 1);
const TO = FROM + 4000 * 3_600_000;
let w: BacktestWorld;

beforeAll(async () => {
  w = await btcHoursWorld("targets-parity");
});
afterAll(async () => {
  await w?.cleanup();
});

const CASES: { name: string; over: Partial<BacktestSettings> }[] = [
  { name: "next open, no risk rules, long only", over: { fill: "next-open", params: { fast: 10, slow: 30 } } },
  {
    name: "close, risk rules, stop-loss and take-profit, a quarter of the allocation",
    over: {
      fill: "close",
      risk: { ...DEFAULT_RISK_LIMITS, maxPositionPct: 30 },
      params: { fast: 8, slow: 21, fraction: 0.25, stopLossPct: 1.5, takeProfitPct: 4 },
    },
  },
  {
    name: "next open, long and short, stop-loss, slippage, fixed fees",
    over: {
      fill: "next-open",
      allowShort: true,
      slippageBps: 3,
      fees: { kind: "fixed", perOrder: 1 },
      params: { fast: 5, slow: 40, allowShort: true, stopLossPct: 2 },
    },
  },
  {
    // 32,777 hours: the target replay asks the runner for several chunks (16,384 candles, then 16,384, …).
    name: "the whole series, across the runner's chunks, long and short with a stop-loss",
    over: {
      from: undefined,
      to: undefined,
      fill: "next-open",
      allowShort: true,
      params: { fast: 12, slow: 26, allowShort: true, stopLossPct: 3 },
    },
  },
];

/** A run without what names the plugin (ids, strategy), which is all the two may differ in. */
function comparable(run: BacktestRun) {
  return {
    fills: run.fills.map(({ id: _i, clientOrderId: _c, strategyId: _s, accountId: _a, ...rest }) => rest),
    trades: run.trades,
    equity: run.equity,
    openAtEnd: run.openAtEnd,
    verdicts: run.verdicts,
  };
}

describe("onCandles targets trade exactly as the per-candle strategy", () => {
  it.each(CASES)("$name", async ({ over }) => {
    const options = { store: w.store, cacheDir: w.cacheDir, pluginRoots: [PLUGINS, FIXTURES] };
    const base = settings({ cash: 10_000, from: FROM, to: TO, closeAtEnd: true, ...over });
    const targets = await runBacktestInProcess(base, options);
    const perCandle = await runBacktestInProcess({ ...base, plugin: "sma-cross-per-candle" }, options);
    expect(targets.fills.length).toBeGreaterThan(40);
    // A case with a stop-loss must see one fire, or it proves nothing about stops.
    if (base.params.stopLossPct !== undefined) {
      expect(targets.trades.some((t) => t.exitReason === "stop-loss")).toBe(true);
    }
    if (over.from === undefined && "from" in over) expect(targets.data.candles).toBeGreaterThan(32_768);
    expect(comparable(targets)).toEqual(comparable(perCandle));
  });
});
