import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CandleColumns } from "../core/domain/candle.ts";
import { Sma } from "../core/indicators/index.ts";
import { STATE_CAP_BYTES } from "../core/plugins/host-api.ts";
import { loadManifest } from "../core/plugins/manifest.ts";
import { validateParams } from "../core/plugins/params.ts";
import { PositionBook } from "../core/plugins/position-book.ts";
import type { SandboxHandle } from "../core/plugins/sandbox/handle.ts";
import { LocalSandbox } from "../core/plugins/sandbox/local.ts";
import { SandboxPool } from "../core/plugins/sandbox/pool.ts";
import type { SandboxSpec } from "../core/plugins/sandbox/protocol.ts";
import type { EmittedIntent } from "../core/strategy/runner.ts";
import { StrategyRunner } from "../core/strategy/runner.ts";
import { buildTimeline, type Timeline } from "../core/strategy/timeline.ts";
import { sampleCandles } from "./sample-candles.ts";
import type { Benchmark, BenchResult } from "./types.ts";

// Runner throughput (issues 3 and 5): SMA cross over 1M real candles with the plugin in its sandbox, against
// the same rules as a plain host loop in the same run. Every path fills each market intent at the close
// with the same PositionBook, so the work outside the strategy is the same; the figures are candles per
// second, and every path must ask for exactly the plain loop's orders.
// - "onCandles": plugins/sma-cross as shipped (1.1): one isolate entry per window of candles, the targets
//   resolved into orders by the runner against the book's position. The figure with issue 3's target, and
//   the runner's share of issue 5's end-to-end backtest (bench/backtest.bench.ts).
// - "per candle": the same rules written with onCandle + ctx.position() (the sma-cross-per-candle fixture,
//   which is sma-cross 1.0): one entry per step with orders, since each must see the fills before it.
// - "in process": the runner and the isolate in one process, entered synchronously: how a backtest job
//   runs inside a supervised sandbox worker. "via a worker": the isolate in a SandboxPool worker, one IPC
//   round trip per entry: how the engine's main process runs live strategies.

const here = path.dirname(fileURLToPath(import.meta.url));
const SYMBOL = "BTC/USDT";
type Params = Readonly<Record<string, number | boolean | string>>;
interface Run {
  readonly ms: number;
  readonly intents: number;
  readonly entries: number;
}

const runner: Benchmark = async ({ quick }) => {
  const columns = sampleCandles(quick ? 200_000 : 1_000_000, { startTime: 1_600_000_000_000 });
  const timeline = buildTimeline({ [SYMBOL]: columns });
  const n = timeline.length;
  const batch = plugin(path.join(here, "../plugins/sma-cross"));
  const perCandle = plugin(path.join(here, "../test/fixtures/plugins/sma-cross-per-candle"));
  const fast = Number(batch.params.fast);
  const slow = Number(batch.params.slow);
  const plainIntents = plainLoop(columns, fast, slow);
  const check = (what: string, run: Run) => {
    if (run.intents !== plainIntents)
      throw new Error(`${what} asked ${run.intents} intents, plain loop ${plainIntents}`);
    return run;
  };

  // Warm every path up, then time them in turn and keep the best of each.
  await sandboxed(timeline, batch, "warm-b");
  await sandboxed(timeline, perCandle, "warm-p");
  plainLoop(columns, fast, slow);
  const best = {
    plain: Number.POSITIVE_INFINITY,
    batch: Number.POSITIVE_INFINITY,
    perCandle: Number.POSITIVE_INFINITY,
  };
  let checked: { batch?: Run; perCandle?: Run } = {};
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    plainLoop(columns, fast, slow);
    best.plain = Math.min(best.plain, performance.now() - t0);
    const b = check("onCandles", await sandboxed(timeline, batch, `b${round}`));
    const p = check("per candle", await sandboxed(timeline, perCandle, `p${round}`));
    best.batch = Math.min(best.batch, b.ms);
    best.perCandle = Math.min(best.perCandle, p.ms);
    checked = { batch: b, perCandle: p };
  }
  let replay = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++)
    replay = Math.min(replay, await warmupReplay(timeline, perCandle, `w${round}`));
  const pool = new SandboxPool({ workers: 1, unref: true });
  let pooled: { batch: Run; perCandle: Run };
  try {
    pooled = {
      batch: check("onCandles via a worker", await sandboxed(timeline, batch, "pool-b", pool)),
      perCandle: check("per candle via a worker", await sandboxed(timeline, perCandle, "pool-p", pool)),
    };
  } finally {
    await pool.dispose();
  }

  const rate = (ms: number) => n / (ms / 1000);
  const plainRate = rate(best.plain);
  const figure = (name: string, ms: number, target: string): BenchResult => ({
    name: `runner: ${name}`,
    value: rate(ms),
    unit: "candles/s",
    reference: "plain host loop",
    referenceValue: plainRate,
    ratio: rate(ms) / plainRate,
    target,
  });
  const size = short(n);
  return [
    figure(
      `SMA cross over ${size} candles, onCandles, sandbox in process (${checked.batch?.intents} intents, ${checked.batch?.entries} entries)`,
      best.batch,
      ">= 10M candles/s, within 40x of the plain loop (ratio >= 0.025)",
    ),
    figure(
      `SMA cross over ${size} candles, per candle, sandbox in process (${checked.perCandle?.intents} intents, ${checked.perCandle?.entries} entries)`,
      best.perCandle,
      "(one entry per step with orders)",
    ),
    figure(
      `SMA cross over ${size} candles, onCandles, sandbox via a worker process (${pooled.batch.entries} round trips)`,
      pooled.batch.ms,
      "(IPC per window)",
    ),
    figure(
      `SMA cross over ${size} candles, per candle, sandbox via a worker process (${pooled.perCandle.entries} round trips)`,
      pooled.perCandle.ms,
      "(live path; IPC per intent)",
    ),
    figure(
      `per-candle plugin, ${size} candles as one warm-up replay (batches never stop for intents)`,
      replay,
      "(per-candle cost alone)",
    ),
  ];
};

export default runner;

/**
 * Runs the plugin over the timeline with a fresh instance, filling at the close; time excludes creating
 * the isolate. An onCandles plugin's targets become orders at their step against the book's position.
 */
async function sandboxed(
  timeline: Timeline,
  base: { spec: SandboxSpec; params: Params },
  tag: string,
  pool?: SandboxPool,
): Promise<Run> {
  const spec = { ...base.spec, instanceId: `${base.spec.instanceId}-${tag}` };
  const sandbox: SandboxHandle = pool
    ? await pool.createInstance(spec, { restart: false })
    : await LocalSandbox.create(spec);
  let entries = 0;
  const counted = Object.create(sandbox) as SandboxHandle;
  counted.run = (request) => {
    entries++;
    return sandbox.run(request);
  };
  try {
    const t0 = performance.now();
    const r = new StrategyRunner({
      strategyId: spec.instanceId,
      symbols: [SYMBOL],
      params: base.params,
      sandbox: counted,
    });
    const book = new PositionBook(10_000);
    const failed = await r.start({ snapshot: book.snapshot() });
    if (failed) throw new Error(`${failed.cause}: ${failed.message}`);
    let intents = 0;
    const fill = (emitted: readonly EmittedIntent[]) => {
      for (const e of emitted) {
        intents++;
        book.apply(e.intent, e.candle.close, e.candle.time);
      }
    };
    const close = timeline.columns[0]?.close as Float64Array;
    let from = 0;
    while (from < timeline.length) {
      const result = await r.processCandles(timeline, { from, snapshot: book.snapshot() });
      if (result.failed) throw new Error(`${result.failed.cause}: ${result.failed.message}`);
      fill(result.intents);
      for (const t of result.targets ?? []) {
        const candle = {
          time: timeline.time[t.step] as number,
          open: close[t.step] as number,
          high: close[t.step] as number,
          low: close[t.step] as number,
          close: close[t.step] as number,
          volume: 0,
        };
        fill(await r.targetIntents(t, book.quantity(SYMBOL), candle));
      }
      from = result.reachedIndex;
    }
    return { ms: performance.now() - t0, intents, entries };
  } finally {
    await sandbox.dispose();
  }
}

/** Time of replaying every candle as warm-up: full windows, hooks run, intents dropped, no early return. */
async function warmupReplay(
  timeline: Timeline,
  base: { spec: SandboxSpec; params: Params },
  tag: string,
): Promise<number> {
  const sandbox = await LocalSandbox.create({ ...base.spec, instanceId: `${base.spec.instanceId}-${tag}` });
  try {
    const r = new StrategyRunner({
      strategyId: "replay",
      symbols: [SYMBOL],
      params: base.params,
      sandbox,
      warmup: timeline.length,
    });
    const t0 = performance.now();
    const failed = await r.start({ snapshot: { cash: 10_000, allocation: 10_000 }, warmup: timeline });
    if (failed) throw new Error(`${failed.cause}: ${failed.message}`);
    return performance.now() - t0;
  } finally {
    await sandbox.dispose();
  }
}

/** The same rules as plugins/sma-cross with its defaults (long only, whole allocation), on the host. */
function plainLoop(c: CandleColumns, fastPeriod: number, slowPeriod: number): number {
  const fast = new Sma(fastPeriod);
  const slow = new Sma(slowPeriod);
  const book = new PositionBook(10_000);
  let previous = Number.NaN;
  let intents = 0;
  let held = 0;
  for (let i = 0; i < c.close.length; i++) {
    const close = c.close[i] as number;
    fast.update(close);
    slow.update(close);
    if (!slow.ready) continue;
    const gap = fast.value - slow.value;
    const up = previous <= 0 && gap > 0;
    const down = previous >= 0 && gap < 0;
    previous = gap;
    if (up && held <= 0) {
      intents++;
      const intent = { side: "buy", reduceOnly: false, size: { kind: "fraction", value: 1 } } as const;
      held +=
        book.apply({ ...intent, id: "", strategyId: "", symbol: SYMBOL, type: "market", candleTime: 0 }, close, 0)
          ?.amount ?? 0;
    } else if (down && held > 0) {
      intents++;
      const intent = { side: "sell", reduceOnly: true, size: { kind: "fraction", value: 1 } } as const;
      book.apply({ ...intent, id: "", strategyId: "", symbol: SYMBOL, type: "market", candleTime: 0 }, close, 0);
      held = 0;
    }
  }
  return intents;
}

/** A plugin folder's spec and default params. */
function plugin(dir: string): { spec: SandboxSpec; params: Params } {
  const { manifest } = loadManifest(dir);
  const applied = validateParams(manifest, {});
  if (!applied.ok) throw new Error(`${manifest.id} defaults do not validate`);
  return {
    spec: {
      instanceId: `bench-${manifest.id}`,
      pluginId: manifest.id,
      code: readFileSync(path.join(dir, manifest.entry), "utf8"),
      filename: `${manifest.id}/${manifest.entry}`,
      limits: manifest.limits,
      permissions: manifest.permissions,
      stateCapBytes: STATE_CAP_BYTES,
    },
    params: applied.params,
  };
}

function short(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
}
