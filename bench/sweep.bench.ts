import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runBacktestInProcess } from "../core/backtest/index.ts";
import { computeMetrics, summarise } from "../core/backtest/metrics/index.ts";
import type { MetricsSummary } from "../core/backtest/metrics/types.ts";
import { expandGrid } from "../core/backtest/sweep/grid.ts";
import { planSweep, runSweep, SweepPool } from "../core/backtest/sweep/run.ts";
import type { BacktestSettings } from "../core/backtest/types.ts";
import { DEFAULT_RISK_LIMITS } from "../core/domain/index.ts";
import { loadCandles } from "../core/market/candle-cache.ts";
import { createCandleWriter } from "../core/market/candle-writer.ts";
import { refreshSeries } from "../core/market/series.ts";
import { inTransaction } from "../core/market/sql-context.ts";
import { loadManifest } from "../core/plugins/manifest.ts";
import { createStore } from "../core/store/database.ts";
import { migrateToLatest } from "../core/store/migrate.ts";
import { sampleCandles } from "./sample-candles.ts";
import type { Benchmark } from "./types.ts";

// Parameter sweep (issue 5): 100 SMA-cross combinations over 1M real 1m candles on 2 worker processes,
// each a full backtest (sandboxed plugin, risk rules, simulated exchange with fees), target < 30 s.
// Reference: the same 100 backtests one after another in this process (the same in-memory ledger the
// workers use); the ratio is the speed-up.
// A third figure puts the speed-up beside what the machine gives a plain CPU loop on as many processes
// (on a shared VM two "cores" rarely give 2x). `--quick` runs the 100 combinations over 50k candles;
// SWEEP_BENCH_CANDLES and SWEEP_BENCH_WORKERS override the size and the number of workers.

const KEY = { exchange: "bench", symbol: "BTC/USDT", timeframe: "1m" } as const;
const PLUGINS = path.resolve(import.meta.dirname, "../plugins");
const FAST = [5, 10, 15, 20, 25];
const SLOW = Array.from({ length: 20 }, (_, i) => 30 + 5 * i); // 30..125: 5 × 20 = 100 combinations

const sweep: Benchmark = async ({ quick }) => {
  const n = Number(process.env.SWEEP_BENCH_CANDLES) || (quick ? 50_000 : 1_000_000);
  const workers = Number(process.env.SWEEP_BENCH_WORKERS) || 2;
  const dir = await mkdtemp(path.join(tmpdir(), "qc-bench-sweep-"));
  const cacheDir = path.join(dir, "cache");
  const store = createStore(path.join(dir, "bench.db"));
  try {
    await migrateToLatest(store);
    await inTransaction(store, async (ctx) => {
      await createCandleWriter(ctx, KEY).write(sampleCandles(n, { startTime: Date.UTC(2020, 0, 1), stitch: true }));
      await refreshSeries(ctx, KEY);
    });
    await loadCandles(store, KEY, {}, cacheDir); // the cache file every run then reads

    const { manifest } = loadManifest(path.join(PLUGINS, "sma-cross"));
    const base: BacktestSettings = {
      plugin: "sma-cross",
      exchange: KEY.exchange,
      symbols: [KEY.symbol],
      timeframe: KEY.timeframe,
      params: {},
      cash: 10_000,
      fees: { kind: "percent", makerPct: 0.1, takerPct: 0.1 },
      slippageBps: 2,
      fill: "next-open",
      allowShort: false,
      risk: DEFAULT_RISK_LIMITS,
      closeAtEnd: true,
    };
    const grid = [
      { name: "fast", values: FAST },
      { name: "slow", values: SLOW },
    ];
    const plan = planSweep(manifest, base, expandGrid(grid));
    if (plan.jobs.length !== 100) throw new Error(`expected 100 combinations, got ${plan.jobs.length}`);

    // Parallel first, so it gets no head start from a JIT warmed by the serial runs. Pool start-up
    // (fork, tsx, isolated-vm) and preparing the input here count: they are part of every sweep.
    const t0 = performance.now();
    const pool = await SweepPool.open(
      { store, cacheDir, pluginRoots: [PLUGINS], metrics: { breakdowns: false } },
      workers,
    );
    let rows: Awaited<ReturnType<typeof runSweep>>;
    try {
      rows = await runSweep(pool, plan);
    } finally {
      await pool.close();
    }
    const parallel = (performance.now() - t0) / 1000;
    const failed = rows.filter((r) => r.error);
    if (failed.length > 0) throw new Error(`${failed.length} combinations failed: ${failed[0]?.error}`);

    const t1 = performance.now();
    const serial: MetricsSummary[] = [];
    for (const job of plan.jobs) {
      const run = await runBacktestInProcess(job.settings, {
        store,
        cacheDir,
        pluginRoots: [PLUGINS],
        ledger: "memory",
      });
      serial.push(summarise(computeMetrics(run, { breakdowns: false })));
    }
    const reference = (performance.now() - t1) / 1000;
    // Same backtests, same numbers: the workers must not change a result.
    rows.forEach((row, i) => {
      if (JSON.stringify(row.metrics) !== JSON.stringify(serial[i])) {
        throw new Error(`combination ${i} differs between the pool and the serial run`);
      }
    });

    const ceiling = await loopSpeedup(workers);
    const size = n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
    return [
      {
        name: `sweep: 100 SMA-cross combinations over ${size} candles, ${workers} worker processes`,
        value: parallel,
        unit: "s",
        reference: "the same 100 backtests serially in one process",
        referenceValue: reference,
        ratio: reference / parallel,
        target: n >= 1_000_000 && workers === 2 ? "< 30 s" : undefined,
      },
      {
        name: `sweep: candles through the engine per second, ${workers} workers`,
        value: (100 * n) / parallel,
        unit: "candles/s",
        reference: "serial in one process",
        referenceValue: (100 * n) / reference,
        ratio: reference / parallel,
      },
      {
        name: `sweep: speed-up on ${workers} processes, beside a plain CPU loop's`,
        value: reference / parallel,
        unit: "x",
        reference: `plain loop on ${workers} processes`,
        referenceValue: ceiling,
        ratio: reference / parallel / ceiling,
      },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

export default sweep;

/** How much faster `workers` processes finish the same busy loops than one process does them all. */
async function loopSpeedup(workers: number): Promise<number> {
  const { spawn } = await import("node:child_process");
  const loop = "let x = 0; for (let i = 0; i < 5e8; i++) x += i % 7; if (x < 0) console.log(x);";
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ["-e", loop], { stdio: "ignore" });
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`busy loop exited with ${code}`))));
      child.once("error", reject);
    });
  // Best of three each: on a shared machine a neighbour's burst should not decide the ceiling.
  let serial = Number.POSITIVE_INFINITY;
  let parallel = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (let i = 0; i < workers; i++) await once();
    serial = Math.min(serial, performance.now() - t0);
    const t1 = performance.now();
    await Promise.all(Array.from({ length: workers }, once));
    parallel = Math.min(parallel, performance.now() - t1);
  }
  return serial / parallel;
}
