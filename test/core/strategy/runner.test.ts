import { afterAll, describe, expect, it } from "vitest";
import { MemoryBus } from "../../../core/bus/memory-bus.ts";
import { Sma } from "../../../core/indicators/index.ts";
import { PositionBook } from "../../../core/plugins/position-book.ts";
import type { SandboxHandle } from "../../../core/plugins/sandbox/handle.ts";
import { LocalSandbox } from "../../../core/plugins/sandbox/local.ts";
import { SandboxPool } from "../../../core/plugins/sandbox/pool.ts";
import type { SandboxSpec } from "../../../core/plugins/sandbox/protocol.ts";
import { StrategyRunner, type StrategyRunnerOptions } from "../../../core/strategy/runner.ts";
import { buildTimeline } from "../../../core/strategy/timeline.ts";
import { candlesFrom, fixtureSpec, HOUR, inlineSpec, sampleColumns } from "../plugins/helpers.ts";
import { counting, drive, summary } from "./drive.ts";

const BTC = "BTC/USDT";
const ETH = "ETH/USDT";
const btc = sampleColumns("binance_BTC-USDT_1h.csv.gz", 3000);
const smaParams = { fast: 5, slow: 20 };
const flat = { cash: 10_000, allocation: 10_000 };
const handles: SandboxHandle[] = [];
const pool = new SandboxPool({ workers: 1, unref: true });

afterAll(async () => {
  for (const h of handles) await h.dispose();
  await pool.dispose();
});

async function local(spec: SandboxSpec): Promise<LocalSandbox> {
  const sandbox = await LocalSandbox.create(spec);
  handles.push(sandbox);
  return sandbox;
}

async function smaRunner(options: Partial<StrategyRunnerOptions> = {}, sandbox?: SandboxHandle) {
  const runner = new StrategyRunner({
    strategyId: "btc-sma",
    symbols: [BTC],
    params: smaParams,
    sandbox: sandbox ?? (await local(fixtureSpec("sma-cross"))),
    ...options,
  });
  expect(await runner.start({ snapshot: flat })).toBeUndefined();
  return runner;
}

/** The same rules as test/fixtures/plugins/sma-cross, as a plain loop on the host. */
function plainSmaCross(close: Float64Array, fastPeriod: number, slowPeriod: number) {
  const fast = new Sma(fastPeriod);
  const slow = new Sma(slowPeriod);
  let previous = Number.NaN;
  let long = false;
  const out: { step: number; side: string }[] = [];
  for (let i = 0; i < close.length; i++) {
    fast.update(close[i] as number);
    slow.update(close[i] as number);
    if (!slow.ready) continue;
    const gap = fast.value - slow.value;
    const up = previous <= 0 && gap > 0;
    const down = previous >= 0 && gap < 0;
    previous = gap;
    if (up && !long) {
      out.push({ step: i, side: "buy" });
      long = true;
    } else if (down && long) {
      out.push({ step: i, side: "sell" });
      long = false;
    }
  }
  return out;
}

describe("batching is exact", () => {
  it("gives the same intents in batches of 1, 7, adaptive and with small windows, as the plain rules say", async () => {
    const timeline = buildTimeline({ [BTC]: btc });
    const oneSandbox = counting(await local(fixtureSpec("sma-cross")));
    const adaptiveSandbox = counting(await local(fixtureSpec("sma-cross")));
    const one = await drive(await smaRunner({ batchSteps: 1 }, oneSandbox), timeline);
    const seven = await drive(await smaRunner({ batchSteps: 7 }), timeline);
    const adaptive = await drive(await smaRunner({}, adaptiveSandbox), timeline);
    const smallWindows = await drive(await smaRunner({ windowBytes: 48 * 100 }), timeline);
    expect(one.failed).toBeUndefined();
    expect(one.intents.length).toBeGreaterThan(100);
    expect(summary(seven.intents)).toEqual(summary(one.intents));
    expect(summary(adaptive.intents)).toEqual(summary(one.intents));
    expect(summary(smallWindows.intents)).toEqual(summary(one.intents));
    // Batch size 1 enters the isolate for every step; batching enters it about once per intent.
    expect(oneSandbox.runs).toBe(timeline.length);
    expect(adaptiveSandbox.runs).toBeLessThan(one.intents.length + 10);
    const plain = plainSmaCross(btc.close, smaParams.fast, smaParams.slow);
    expect(one.intents.map((e) => ({ step: e.step, side: e.intent.side }))).toEqual(plain);
  });

  it("is exact through a worker process as well", async () => {
    const timeline = buildTimeline({ [BTC]: btc.close.length > 1500 ? sliceColumns(btc, 1500) : btc });
    const pooled = await drive(await smaRunner({}, await pool.createInstance(fixtureSpec("sma-cross"))), timeline);
    const one = await drive(await smaRunner({ batchSteps: 1 }), timeline);
    expect(pooled.intents.length).toBeGreaterThan(20);
    expect(summary(pooled.intents)).toEqual(summary(one.intents));
  });
});

describe("processCandles", () => {
  it("stops at a barrier without running the barrier's step, then resumes there", async () => {
    const timeline = buildTimeline({ [BTC]: btc });
    const first = (await drive(await smaRunner({ batchSteps: 1 }), timeline)).intents[0]!;
    const runner = await smaRunner();
    const before = await runner.processCandles(timeline, { from: 0, barrier: first.step, snapshot: flat });
    expect(before.intents).toEqual([]);
    expect(before.reachedIndex).toBe(first.step);
    const at = await runner.processCandles(timeline, { from: before.reachedIndex, snapshot: flat });
    expect(at.intents.map((e) => e.intent.id)).toEqual([first.intent.id]);
    expect(at.reachedIndex).toBe(first.step + 1);
  });

  it("gives deterministic ids and publishes each intent with the candle that caused it", async () => {
    const bus = new MemoryBus();
    const seen: { id: string; close: number }[] = [];
    bus.subscribe("strategy.intent", ({ intent, candle }) => {
      seen.push({ id: intent.id, close: candle.close });
    });
    const timeline = buildTimeline({ [BTC]: btc });
    const runner = await smaRunner({ bus });
    const r = await runner.processCandles(timeline, { snapshot: flat });
    await bus.drain();
    const e = r.intents[0]!;
    expect(e.intent.id).toBe(`btc-sma:${BTC}:${btc.time[e.step]}:0`);
    expect(e.intent.candleTime).toBe(btc.time[e.step]);
    expect(e.candle.close).toBe(btc.close[e.step]);
    expect(seen).toEqual([{ id: e.intent.id, close: btc.close[e.step] }]);
  });

  it("live, one candle at a time, asks for exactly what a batch asks for", async () => {
    const cols = sliceColumns(btc, 600);
    const batch = await drive(await smaRunner(), buildTimeline({ [BTC]: cols }));
    const live = await smaRunner();
    const book = new PositionBook(10_000);
    const ids: string[] = [];
    for (let i = 0; i < cols.time.length; i++) {
      const candle = {
        time: cols.time[i]!,
        open: cols.open[i]!,
        high: cols.high[i]!,
        low: cols.low[i]!,
        close: cols.close[i]!,
        volume: cols.volume[i]!,
      };
      const r = await live.onCandleEvent(BTC, candle, book.snapshot());
      for (const e of r.intents) {
        ids.push(e.intent.id);
        book.apply(e.intent, e.candle.close, e.candle.time);
      }
    }
    expect(ids.length).toBeGreaterThan(5);
    expect(ids).toEqual(batch.intents.map((e) => e.intent.id));
  });
});

describe("multi-symbol instances", () => {
  const btcCandles = candlesFrom([100, 101, 102, 103]);
  const ethCandles = candlesFrom([10, 11, 12, 13]).filter((_, i) => i !== 1); // ETH has a gap at step 1
  const t = (i: number) => btcCandles[i]!.time;

  async function multiRunner(buyAt: number, logs: string[]) {
    const runner = new StrategyRunner({
      strategyId: "pair",
      symbols: [ETH, BTC],
      params: { buyAt },
      sandbox: await local(fixtureSpec("multi")),
      onLog: (l) => logs.push(l.message),
    });
    await runner.start({ snapshot: flat });
    return runner;
  }

  it("merges by time, calls onCandle in config order (skipping gaps), then onBar once per step", async () => {
    const logs: string[] = [];
    const runner = await multiRunner(-1, logs);
    const r = await runner.processCandles({ [ETH]: ethCandles, [BTC]: btcCandles }, { snapshot: flat });
    expect(r.reachedIndex).toBe(4);
    expect(logs).toEqual([
      `candle ${ETH} ${t(0)} pos=0`,
      `candle ${BTC} ${t(0)} pos=0`,
      `bar ${t(0)} ${ETH}+${BTC}`,
      `candle ${BTC} ${t(1)} pos=0`,
      `bar ${t(1)} ${BTC}`,
      `candle ${ETH} ${t(2)} pos=0`,
      `candle ${BTC} ${t(2)} pos=0`,
      `bar ${t(2)} ${ETH}+${BTC}`,
      `candle ${ETH} ${t(3)} pos=0`,
      `candle ${BTC} ${t(3)} pos=0`,
      `bar ${t(3)} ${ETH}+${BTC}`,
    ]);
  });

  it("attributes an onBar intent to its symbol's candle and shows the fill from the next step on", async () => {
    const logs: string[] = [];
    const runner = await multiRunner(1, logs);
    const series = { [ETH]: ethCandles, [BTC]: btcCandles };
    const book = new PositionBook(10_000);
    const first = await runner.processCandles(series, { snapshot: book.snapshot() });
    expect(first.reachedIndex).toBe(2);
    const e = first.intents[0]!;
    expect(e.intent.symbol).toBe(BTC);
    expect(e.candle).toEqual(btcCandles[1]);
    expect(e.intent.id).toBe(`pair:${BTC}:${t(1)}:0`);
    book.apply(e.intent, e.candle.close, e.candle.time);
    await runner.processCandles(series, { from: first.reachedIndex, snapshot: book.snapshot() });
    expect(logs).toContain(`candle ${BTC} ${t(2)} pos=${100 / 101}`);
  });
});

describe("ctx.state", () => {
  it("is saved through the callback when it changes, and given back on the next start", async () => {
    const saved: string[] = [];
    const spec = fixtureSpec("stateful");
    const candles = candlesFrom([1, 2, 3, 4, 5, 6, 7]);
    const runner = new StrategyRunner({
      strategyId: "counter",
      symbols: [BTC],
      params: { every: 100 },
      sandbox: await local(spec),
      saveState: (id, json) => {
        expect(id).toBe("counter");
        saved.push(json);
      },
    });
    await runner.start({ snapshot: flat });
    await runner.processCandles({ [BTC]: candles }, { snapshot: flat });
    expect(saved.length).toBeGreaterThan(0);
    expect(JSON.parse(saved.at(-1)!)).toEqual({ count: 7 });

    const logs: string[] = [];
    const again = new StrategyRunner({
      strategyId: "counter",
      symbols: [BTC],
      params: { every: 100 },
      sandbox: await local({ ...spec, instanceId: `${spec.instanceId}-again` }),
      state: saved.at(-1)!,
      onLog: (l) => logs.push(l.message),
    });
    await again.start({ snapshot: flat });
    expect(logs).toEqual(["init count=7"]);
  });

  it("is capped: a set past 64 KB fails the instance and nothing over the cap is saved", async () => {
    const saved: string[] = [];
    const runner = new StrategyRunner({
      strategyId: "fat",
      symbols: [BTC],
      params: { every: 100, pad: 70_000 },
      sandbox: await local(fixtureSpec("stateful")),
      saveState: (_, json) => {
        saved.push(json);
      },
    });
    await runner.start({ snapshot: flat });
    const r = await runner.processCandles({ [BTC]: candlesFrom([1, 2]) }, { snapshot: flat });
    expect(r.failed?.cause).toBe("error");
    expect(r.failed?.message).toMatch(/capped at 65536 bytes/);
    expect(saved).toEqual([]);
    expect(runner.status).toBe("failed");
  });
});

describe("warm-up", () => {
  it("replays the last `warmup` candles with ctx.warmup true and drops their intents", async () => {
    const logs: string[] = [];
    const code = `export default {
      onCandle(candle, ctx) { ctx.log.info(candle.close + ":" + ctx.warmup); ctx.buy({ size: { quote: 10 } }); },
    };`;
    const runner = new StrategyRunner({
      strategyId: "warm",
      symbols: [BTC],
      params: {},
      warmup: 3,
      sandbox: await local(inlineSpec(code)),
      onLog: (l) => logs.push(l.message),
    });
    const stored = candlesFrom([1, 2, 3, 4, 5]);
    expect(await runner.start({ snapshot: flat, warmup: { [BTC]: stored } })).toBeUndefined();
    expect(logs).toEqual(["3:true", "4:true", "5:true"]);
    const live = candlesFrom([6], stored[4]!.time + HOUR);
    const r = await runner.processCandles({ [BTC]: live }, { snapshot: flat });
    expect(logs.at(-1)).toBe("6:false");
    expect(r.intents).toHaveLength(1);
  });

  it("asks loadWarmup for the candles when start is not given them", async () => {
    const requests: unknown[] = [];
    const runner = await smaRunner({
      warmup: 30,
      loadWarmup: async (request) => {
        requests.push(request);
        return { [BTC]: sliceColumns(btc, 30) };
      },
    });
    expect(requests).toEqual([{ symbols: [BTC], count: 30, before: undefined }]);
    expect(runner.status).toBe("running");
  });
});

function sliceColumns(c: typeof btc, n: number): typeof btc {
  return {
    time: c.time.slice(0, n),
    open: c.open.slice(0, n),
    high: c.high.slice(0, n),
    low: c.low.slice(0, n),
    close: c.close.slice(0, n),
    volume: c.volume.slice(0, n),
  };
}
