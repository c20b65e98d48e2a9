import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryBus } from "../../../core/bus/memory-bus.ts";
import type { Candle } from "../../../core/domain/candle.ts";
import { Sma } from "../../../core/indicators/index.ts";
import { STATE_CAP_BYTES } from "../../../core/plugins/host-api.ts";
import { loadManifest } from "../../../core/plugins/manifest.ts";
import { PositionBook } from "../../../core/plugins/position-book.ts";
import type { SandboxHandle } from "../../../core/plugins/sandbox/handle.ts";
import { LocalSandbox } from "../../../core/plugins/sandbox/local.ts";
import type { SandboxSpec } from "../../../core/plugins/sandbox/protocol.ts";
import { type EmittedIntent, StrategyRunner, type StrategyRunnerOptions } from "../../../core/strategy/runner.ts";
import type { EmittedTarget } from "../../../core/strategy/targets.ts";
import { buildTimeline, candleAt, type Timeline } from "../../../core/strategy/timeline.ts";
import { candlesFrom, fixtureSpec, inlineSpec, ROOT, sampleColumns } from "../plugins/helpers.ts";
import { counting, drive, summary } from "./drive.ts";

// The runner with an onCandles plugin (plugins/sma-cross 1.1): targets over whole ranges, however they
// are batched, and resolved into the very intents the per-candle version of the plugin asks for.

const BTC = "BTC/USDT";
const ETH = "ETH/USDT";
const btc = sampleColumns("binance_BTC-USDT_1h.csv.gz", 3000);
const flat = { cash: 10_000, allocation: 10_000 };
const handles: SandboxHandle[] = [];
afterAll(async () => {
  for (const h of handles) await h.dispose();
});

let specs = 0;
/** plugins/sma-cross as shipped. */
function smaCrossSpec(): SandboxSpec {
  const dir = path.join(ROOT, "plugins/sma-cross");
  const { manifest } = loadManifest(dir);
  return {
    instanceId: `sma-cross-${process.pid}-${++specs}`,
    pluginId: manifest.id,
    code: readFileSync(path.join(dir, manifest.entry), "utf8"),
    filename: "sma-cross/strategy.js",
    limits: manifest.limits,
    permissions: manifest.permissions,
    stateCapBytes: STATE_CAP_BYTES,
  };
}

async function runner(spec: SandboxSpec, options: Partial<StrategyRunnerOptions> = {}) {
  const sandbox = counting(await LocalSandbox.create(spec));
  handles.push(sandbox);
  const r = new StrategyRunner({
    strategyId: "btc-sma",
    symbols: [BTC],
    params: { fast: 5, slow: 20, fraction: 1, stopLossPct: 0, takeProfitPct: 0, allowShort: false },
    sandbox,
    ...options,
  });
  expect(await r.start({ snapshot: flat })).toBeUndefined();
  return { runner: r, sandbox };
}

/** Every target of the timeline, one processCandles call. */
async function targetsOf(r: StrategyRunner, timeline: Timeline): Promise<readonly EmittedTarget[]> {
  const result = await r.processCandles(timeline, { snapshot: flat });
  expect(result.failed).toBeUndefined();
  expect(result.reachedIndex).toBe(timeline.length);
  return result.targets ?? [];
}

/** Resolves targets in order against a book that fills at the close, as drive() does for intents. */
async function resolve(r: StrategyRunner, timeline: Timeline, targets: readonly EmittedTarget[]) {
  const book = new PositionBook(10_000);
  const intents: EmittedIntent[] = [];
  for (const t of targets) {
    const candle = candleAt(timeline, timeline.symbols.indexOf(t.target.symbol), t.step);
    for (const e of await r.targetIntents(t, book.quantity(t.target.symbol), candle)) {
      intents.push(e);
      book.apply(e.intent, e.candle.close, e.candle.time);
    }
  }
  return intents;
}

/** The crosses of SMA(5) and SMA(20) of the closes, as a plain loop: where sma-cross must ask. */
function plainCrosses(close: Float64Array): { step: number; side: string }[] {
  const fast = new Sma(5);
  const slow = new Sma(20);
  let previous = Number.NaN;
  const out: { step: number; side: string }[] = [];
  for (let i = 0; i < close.length; i++) {
    fast.update(close[i] as number);
    slow.update(close[i] as number);
    if (!slow.ready) continue;
    const gap = fast.value - slow.value;
    if (previous <= 0 && gap > 0) out.push({ step: i, side: "long" });
    else if (previous >= 0 && gap < 0) out.push({ step: i, side: "flat" });
    previous = gap;
  }
  return out;
}

describe("an onCandles plugin in the runner", () => {
  it("gives the same targets over several windows as step by step, where the plain rules cross", async () => {
    const timeline = buildTimeline({ [BTC]: btc });
    const one = await runner(smaCrossSpec(), { batchSteps: 1 });
    const small = await runner(smaCrossSpec(), { windowBytes: 48 * 100 });
    const adaptive = await runner(smaCrossSpec());
    const expected = await targetsOf(one.runner, timeline);
    expect(await targetsOf(small.runner, timeline)).toEqual(expected);
    expect(await targetsOf(adaptive.runner, timeline)).toEqual(expected);
    expect(expected.map((t) => ({ step: t.step, side: t.target.side }))).toEqual(plainCrosses(btc.close));
    expect(expected.length).toBeGreaterThan(100);
    // One entry per step, one per window of 100 steps, and adaptive: 1024 steps, then about the rest.
    expect([one.sandbox.runs, small.sandbox.runs]).toEqual([3000, 30]);
    expect(adaptive.sandbox.runs).toBeLessThanOrEqual(3);
    expect(one.runner.usesTargets).toBe(true);
  });

  it("resolves its targets into the per-candle plugin's intents, ids included", async () => {
    const params = { fast: 5, slow: 20, fraction: 0.5, stopLossPct: 2, takeProfitPct: 0, allowShort: true };
    const timeline = buildTimeline({ [BTC]: btc });
    const batch = await runner(smaCrossSpec(), { params });
    const intents = await resolve(batch.runner, timeline, await targetsOf(batch.runner, timeline));
    const perCandle = await runner(fixtureSpec("sma-cross-per-candle"), { params });
    expect(perCandle.runner.usesTargets).toBe(false);
    const expected = await drive(perCandle.runner, timeline);
    expect(expected.intents.filter((e) => e.intent.reduceOnly).length).toBeGreaterThan(50);
    expect(summary(intents)).toEqual(summary(expected.intents));
    expect(intents.map((e) => e.intent)).toEqual(expected.intents.map((e) => e.intent));
  });

  it("runs the whole range asked for, whatever the barrier", async () => {
    const { runner: r } = await runner(smaCrossSpec());
    const result = await r.processCandles(buildTimeline({ [BTC]: btc }), {
      from: 100,
      to: 2000,
      barrier: 150,
      snapshot: flat,
    });
    expect(result.reachedIndex).toBe(2000);
    const steps = (result.targets ?? []).map((t) => t.step);
    expect(steps.length).toBeGreaterThan(50);
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...steps)).toBeLessThan(2000);
  });

  it("publishes each resolved intent on the bus with its candle", async () => {
    const bus = new MemoryBus();
    const seen: { id: string; close: number }[] = [];
    bus.subscribe("strategy.intent", ({ intent, candle }) => {
      seen.push({ id: intent.id, close: candle.close });
    });
    const timeline = buildTimeline({ [BTC]: btc });
    const { runner: r } = await runner(smaCrossSpec(), { bus });
    const intents = await resolve(r, timeline, (await targetsOf(r, timeline)).slice(0, 6));
    await bus.drain();
    expect(intents.length).toBeGreaterThan(2);
    expect(seen).toEqual(intents.map((e) => ({ id: e.intent.id, close: btc.close[e.step] })));
    expect(intents[0]?.intent.id).toBe(`btc-sma:${BTC}:${btc.time[intents[0]!.step]}:0`);
  });

  it("live, one candle at a time, gives each step's targets numbered as a batch numbers them", async () => {
    const n = 600;
    const timeline = buildTimeline({ [BTC]: sliceColumns(n) });
    const batch = await targetsOf((await runner(smaCrossSpec())).runner, timeline);
    const { runner: live } = await runner(smaCrossSpec());
    const targets: EmittedTarget[] = [];
    const book = new PositionBook(10_000);
    const candles: Candle[] = [];
    for (let i = 0; i < n; i++) {
      const candle = candleAt(timeline, 0, i) as Candle;
      const r = await live.onCandleEvent(BTC, candle, book.snapshot());
      expect(r.intents).toEqual([]);
      for (const t of r.targets ?? []) {
        targets.push(t);
        // No candle given: the runner knows the step's.
        for (const e of await live.targetIntents(t, book.quantity(BTC))) candles.push(e.candle);
      }
    }
    expect(batch.length).toBeGreaterThan(10);
    expect(targets).toEqual(batch);
    expect(candles.length).toBeGreaterThan(5);
    expect(candles).toEqual(candles.map((c) => candleAt(timeline, 0, btc.time.indexOf(c.time))));
  });
});

describe("targets of a multi-symbol instance", () => {
  // ETH has no candle at steps 0 and 1 (it starts later) nor at step 3 (a gap).
  const btcCandles = candlesFrom([100, 101, 102, 103, 104]);
  const ethCandles = candlesFrom([10, 11, 12, 13, 14]).filter((_, i) => i !== 0 && i !== 1 && i !== 3);
  const series = { [BTC]: btcCandles, [ETH]: ethCandles };

  async function multi(step: number) {
    const code = `export default { onCandles(c, ctx) {
      for (let i = 0; i < c.length; i++) if (c.time[i] === ${btcCandles[step]!.time}) ctx.target(i, "long", { symbol: "${ETH}" });
    } };`;
    const sandbox = await LocalSandbox.create(inlineSpec(code));
    handles.push(sandbox);
    const r = new StrategyRunner({ strategyId: "pair", symbols: [BTC, ETH], params: {}, sandbox });
    await r.start({ snapshot: flat });
    return r;
  }

  it("fails a target for a symbol that has had no candle yet", async () => {
    const result = await (await multi(1)).processCandles(series, { snapshot: flat });
    expect(result.failed).toEqual({ cause: "invalid-output", message: `a target for ${ETH} before any candle of it` });
    expect(result.targets).toEqual([]);
  });

  it("resolves a target in a gap against the symbol's latest candle when the caller has none", async () => {
    const r = await multi(3);
    const result = await r.processCandles(series, { snapshot: flat });
    expect(result.targets?.map((t) => t.step)).toEqual([3]);
    const [entry] = await r.targetIntents(result.targets![0]!, 0);
    expect(entry?.candle).toEqual(ethCandles[0]);
    expect(entry?.intent.id).toBe(`pair:${ETH}:${ethCandles[0]!.time}:0`);
  });
});

function sliceColumns(n: number): typeof btc {
  return {
    time: btc.time.slice(0, n),
    open: btc.open.slice(0, n),
    high: btc.high.slice(0, n),
    low: btc.low.slice(0, n),
    close: btc.close.slice(0, n),
    volume: btc.volume.slice(0, n),
  };
}
