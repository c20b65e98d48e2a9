import { existsSync, readFileSync } from "node:fs";
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
import { StrategyRunner } from "../core/strategy/runner.ts";
import { buildTimeline, type Timeline } from "../core/strategy/timeline.ts";
import { sampleCandles } from "./sample-candles.ts";
import type { Benchmark, BenchResult } from "./types.ts";

// Runner throughput (issue 3): SMA cross over 1M real candles with the plugin in its sandbox, against the
// same rules as a plain host loop in the same run. Both fill every market intent at the close with the
// same PositionBook, so the work outside the strategy is the same; the figures are candles per second.
// - "in process": the runner and the isolate in one process, entered synchronously: how a backtest job
//   runs inside a supervised sandbox worker. This is the figure with the target.
// - "via a worker": the isolate in a SandboxPool worker, one IPC round trip per batch: how the engine's
//   main process runs live strategies. Batching makes it one round trip per intent, not per candle.

const here = path.dirname(fileURLToPath(import.meta.url));
const SYMBOL = "BTC/USDT";

const runner: Benchmark = async ({ quick }) => {
  const columns = sampleCandles(quick ? 200_000 : 1_000_000, { startTime: 1_600_000_000_000 });
  const timeline = buildTimeline({ [SYMBOL]: columns });
  const n = timeline.length;
  const { spec, params } = smaCrossPlugin();
  const plainIntents = plainLoop(columns, Number(params.fast), Number(params.slow));

  // Warm both paths up, then time them alternately and keep the best of each.
  await sandboxed(timeline, spec, params, "warm");
  plainLoop(columns, Number(params.fast), Number(params.slow));
  let best = { plain: Number.POSITIVE_INFINITY, sandbox: Number.POSITIVE_INFINITY };
  let checked: { intents: number; entries: number } | undefined;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    plainLoop(columns, Number(params.fast), Number(params.slow));
    const t1 = performance.now();
    const run = await sandboxed(timeline, spec, params, `r${round}`);
    best = { plain: Math.min(best.plain, t1 - t0), sandbox: Math.min(best.sandbox, run.ms) };
    checked = run;
    if (run.intents !== plainIntents)
      throw new Error(`sandbox asked ${run.intents} intents, plain loop ${plainIntents}`);
  }
  let replay = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++)
    replay = Math.min(replay, await warmupReplay(timeline, spec, params, `w${round}`));
  const pool = new SandboxPool({ workers: 1, unref: true });
  let pooled: { ms: number; intents: number; entries: number };
  try {
    pooled = await sandboxed(timeline, spec, params, "pool", pool);
  } finally {
    await pool.dispose();
  }
  if (pooled.intents !== plainIntents)
    throw new Error(`pooled sandbox asked ${pooled.intents} intents, plain ${plainIntents}`);

  const rate = (ms: number) => n / (ms / 1000);
  const plainRate = rate(best.plain);
  const results: BenchResult[] = [
    {
      name: `runner: SMA cross over ${short(n)} candles, sandbox in process (${checked?.intents} intents, ${checked?.entries} entries)`,
      value: rate(best.sandbox),
      unit: "candles/s",
      reference: "plain host loop",
      referenceValue: plainRate,
      ratio: rate(best.sandbox) / plainRate,
      target: ">= 10M candles/s, within 40x of the plain loop (ratio >= 0.025)",
    },
    {
      name: `runner: SMA cross over ${short(n)} candles, sandbox via a worker process (${pooled.entries} round trips)`,
      value: rate(pooled.ms),
      unit: "candles/s",
      reference: "plain host loop",
      referenceValue: plainRate,
      ratio: rate(pooled.ms) / plainRate,
      target: "(live path; IPC per intent)",
    },
    {
      name: `runner: same plugin, ${short(n)} candles as one warm-up replay (batches never stop for intents)`,
      value: rate(replay),
      unit: "candles/s",
      reference: "plain host loop",
      referenceValue: plainRate,
      ratio: rate(replay) / plainRate,
      target: "(per-candle cost alone)",
    },
  ];
  return results;
};

export default runner;

/** Runs the plugin over the timeline with a fresh instance; time excludes creating the isolate. */
async function sandboxed(
  timeline: Timeline,
  base: SandboxSpec,
  params: Readonly<Record<string, number | boolean | string>>,
  tag: string,
  pool?: SandboxPool,
): Promise<{ ms: number; intents: number; entries: number }> {
  const spec = { ...base, instanceId: `${base.instanceId}-${tag}` };
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
    const r = new StrategyRunner({ strategyId: spec.instanceId, symbols: [SYMBOL], params, sandbox: counted });
    const book = new PositionBook(10_000);
    const failed = await r.start({ snapshot: book.snapshot() });
    if (failed) throw new Error(`${failed.cause}: ${failed.message}`);
    let intents = 0;
    let from = 0;
    while (from < timeline.length) {
      const result = await r.processCandles(timeline, { from, snapshot: book.snapshot() });
      if (result.failed) throw new Error(`${result.failed.cause}: ${result.failed.message}`);
      for (const e of result.intents) {
        intents++;
        book.apply(e.intent, e.candle.close, e.candle.time);
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
  base: SandboxSpec,
  params: Readonly<Record<string, number | boolean | string>>,
  tag: string,
): Promise<number> {
  const sandbox = await LocalSandbox.create({ ...base, instanceId: `${base.instanceId}-${tag}` });
  try {
    const r = new StrategyRunner({ strategyId: "replay", symbols: [SYMBOL], params, sandbox, warmup: timeline.length });
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

/** plugins/sma-cross when it is there, else the test fixture with the same rules. */
function smaCrossPlugin(): { spec: SandboxSpec; params: Readonly<Record<string, number | boolean | string>> } {
  const builtIn = path.join(here, "../plugins/sma-cross");
  const dir = existsSync(path.join(builtIn, "plugin.yaml"))
    ? builtIn
    : path.join(here, "../test/fixtures/plugins/sma-cross");
  const { manifest } = loadManifest(dir);
  const applied = validateParams(manifest, {});
  if (!applied.ok) throw new Error("sma-cross defaults do not validate");
  return {
    spec: {
      instanceId: "bench-sma",
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
