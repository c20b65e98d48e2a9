import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareBacktest, simulate, sliceTimeline } from "../../../core/backtest/index.ts";
import type { BacktestInput } from "../../../core/backtest/input.ts";
import type { BacktestSettings } from "../../../core/backtest/types.ts";
import { MemoryBus } from "../../../core/bus/index.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import { DEFAULT_RISK_LIMITS, type Fill } from "../../../core/domain/index.ts";
import { createPaperExchange } from "../../../core/execution/paper/index.ts";
import { lowerBound } from "../../../core/market/columns.ts";
import { LocalSandbox } from "../../../core/plugins/sandbox/local.ts";
import { createStore } from "../../../core/store/database.ts";
import { migrateToLatest } from "../../../core/store/migrate.ts";
import { StrategyRunner } from "../../../core/strategy/runner.ts";
import { buildTimeline, candleAt } from "../../../core/strategy/timeline.ts";
import { createTradingAccount, dispatchCandle, type StrategySession } from "../../../core/trading/index.ts";
import { type BacktestWorld, btcHoursWorld, PLUGINS, settings } from "../trading/backtest-helpers.ts";

// The parity test: the same candles replayed through the PAPER ENGINE path (a trading account
// on a stored paper exchange, driven candle by candle as live drives it: dispatchCandle, one runner
// step per candle) give the same fills as the backtest, which batches the runner and skips quiet
// candles. Real BTC/USDT hours, with stops, take-profits, risk rules, fees and slippage.

const FROM = Date.UTC(2021, 0, 1);
const TO = FROM + 1200 * 3_600_000;
let w: BacktestWorld;

beforeAll(async () => {
  w = await btcHoursWorld("parity");
});
afterAll(async () => {
  await w?.cleanup();
});

/** The paper engine path over the input's candles; its fills and final equity. */
async function paperEngine(input: BacktestInput, label: string): Promise<{ fills: Fill[]; equity: number }> {
  const s = input.settings;
  const store = createStore(path.join(w.dir, `${label}.db`));
  await migrateToLatest(store);
  const whole = buildTimeline(input.candles, input.symbols);
  const first = lowerBound(whole.time, input.start);
  const clock = new SimulatedClock(whole.time[first] as number);
  const bus = new MemoryBus();
  const fees = s.fees.kind === "percent" ? { maker: s.fees.makerPct, taker: s.fees.takerPct } : { maker: 0, taker: 0 };
  const paper = await createPaperExchange({
    accountId: "paper",
    clock,
    store,
    balances: { [input.quote]: s.cash },
    fees,
    slippageBps: s.slippageBps,
    shorting: s.allowShort,
  });
  const account = createTradingAccount({
    accountId: "paper",
    exchange: paper,
    store,
    bus,
    clock,
    globalLimits: s.risk,
    fill: s.fill,
    allowShort: s.allowShort,
    costs: { takerPct: fees.taker, slippageBps: s.slippageBps },
    quote: input.quote,
  });
  await account.start();
  const sandbox = await LocalSandbox.create({ ...input.plugin.spec, instanceId: `paper-${label}` });
  try {
    const runner = new StrategyRunner({
      strategyId: input.plugin.id,
      symbols: input.symbols,
      params: input.plugin.params,
      sandbox,
      warmup: input.plugin.warmup,
      bus,
    });
    const session: StrategySession = {
      strategy: { id: input.plugin.id, allocation: { pct: 100 } },
      runner,
      symbols: input.symbols,
    };
    const warm = first > 0 ? sliceTimeline(whole, 0, first) : undefined;
    expect(
      await runner.start({ snapshot: account.snapshotFor(session.strategy), ...(warm && { warmup: warm }) }),
    ).toBeUndefined();
    const fills: Fill[] = [];
    for (let i = first; i < whole.length; i++) {
      clock.set(whole.time[i] as number);
      for (let k = 0; k < input.symbols.length; k++) {
        const candle = candleAt(whole, k, i);
        if (!candle) continue;
        const step = await dispatchCandle(account, [session], input.symbols[k] as string, candle);
        expect(step.failures).toEqual([]);
        fills.push(...step.fills);
      }
    }
    return { fills, equity: account.valuation().equity };
  } finally {
    await sandbox.dispose();
    await account.stop();
    await store.close();
  }
}

const CASES: { name: string; over: Partial<BacktestSettings> }[] = [
  {
    name: "fill at the close, risk rules on, stop-loss and take-profit",
    over: {
      fill: "close",
      risk: { ...DEFAULT_RISK_LIMITS, maxPositionPct: 30 },
      params: { fast: 8, slow: 21, stopLossPct: 1.5, takeProfitPct: 4 },
    },
  },
  {
    name: "fill at the next open, no risk rules, long and short",
    over: {
      fill: "next-open",
      risk: null,
      allowShort: true,
      params: { fast: 8, slow: 21, allowShort: true, stopLossPct: 2 },
    },
  },
  {
    name: "a percent trailing stop, half the equity",
    over: { plugin: "scripted", fill: "close", risk: null, params: { buyAt: 40, fraction: 0.5, trailPct: 3 } },
  },
];

describe("paper engine and backtest give the same fills", () => {
  it.each(CASES)("$name", async ({ name, over }) => {
    const input = await prepareBacktest(settings({ cash: 10_000, slippageBps: 3, from: FROM, to: TO, ...over }), {
      store: w.store,
      cacheDir: w.cacheDir,
      pluginRoots: [PLUGINS, w.pluginDir],
    });
    const backtest = await simulate(input);
    const paper = await paperEngine(input, name.replace(/\W+/g, "-"));
    const comparable = (fills: readonly Fill[]) => fills.map(({ accountId: _a, ...rest }) => rest);
    expect(backtest.fills.length).toBeGreaterThan(input.plugin.id === "scripted" ? 1 : 20);
    expect(backtest.trades.some((t) => t.exitReason === "stop-loss" || t.exitReason === "trailing stop")).toBe(true);
    expect(comparable(paper.fills)).toEqual(comparable(backtest.fills));
    expect(paper.equity).toBeCloseTo(backtest.equity.at(-1)?.equity as number, 6);
  });
});
