import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBacktestInProcess } from "../../../core/backtest/index.ts";
import { computeMetrics, summarise } from "../../../core/backtest/metrics/index.ts";
import type { MetricsOptions } from "../../../core/backtest/metrics/types.ts";
import { expandGrid } from "../../../core/backtest/sweep/grid.ts";
import { rankRows, type SweepRow } from "../../../core/backtest/sweep/rank.ts";
import {
  planSweep,
  runSweep,
  type SweepEnvironment,
  type SweepPlan,
  SweepPool,
} from "../../../core/backtest/sweep/run.ts";
import type { StoredRows } from "../../../core/backtest/sweep/stored.ts";
import type { BacktestSettings } from "../../../core/backtest/types.ts";
import { splitWindows, type WalkForwardWindow } from "../../../core/backtest/walk-forward.ts";
import { runWalkForward } from "../../../core/backtest/walk-forward-run.ts";
import { stitchRuns } from "../../../core/backtest/walk-forward-stitch.ts";
import { importCandleFile } from "../../../core/market/index.ts";
import { loadManifest } from "../../../core/plugins/manifest.ts";
import type { Store } from "../../../core/store/database.ts";
import { openStore, REPO_DIR, shippedLines, tempDir, writeCandleFile } from "../market/helpers.ts";

// Sweeps through real worker processes on 1,500 real BTC/USDT hours, checked against the same
// backtests run alone in this process.

const PLUGINS = path.join(REPO_DIR, "plugins");
const DAY = 86_400_000;
const FROM = Date.UTC(2020, 11, 1);
const TO = Date.UTC(2021, 1, 1);

let dir: string;
let remove: () => void;
let store: Store;
let cacheDir: string;

beforeAll(async () => {
  ({ dir, remove } = tempDir());
  store = await openStore(dir, "sweep.db");
  cacheDir = path.join(dir, "cache");
  const file = writeCandleFile(dir, "btc.csv", shippedLines("binance_BTC-USDT_1h.csv.gz").slice(0, 1500));
  await importCandleFile(store, file, { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" });
});
afterAll(async () => {
  await store?.close();
  remove?.();
});

const base: BacktestSettings = {
  plugin: "sma-cross",
  exchange: "binance",
  symbols: ["BTC/USDT"],
  timeframe: "1h",
  from: FROM,
  to: TO,
  params: {},
  cash: 10_000,
  fees: { kind: "percent", makerPct: 0.1, takerPct: 0.1 },
  slippageBps: 2,
  fill: "next-open",
  allowShort: false,
  risk: null,
  closeAtEnd: false,
};
const { manifest } = loadManifest(path.join(PLUGINS, "sma-cross"));
const grid = [
  { name: "fast", values: [5, 10, 30] }, // fast 30 with slow 30: the plugin itself refuses
  { name: "slow", values: [20, 30] },
];

const alone = async (settings: BacktestSettings) =>
  runBacktestInProcess(settings, { store, cacheDir, pluginRoots: [PLUGINS] });

describe("sweep on worker processes", () => {
  it("two workers give the rows one gives, and each row is the backtest run alone", async () => {
    const plan = planSweep(manifest, base, expandGrid(grid));
    const rowsWith = async (workers: number) => {
      const pool = await SweepPool.open(
        { store, cacheDir, pluginRoots: [PLUGINS], metrics: { breakdowns: false } },
        workers,
      );
      try {
        const progress: number[] = [];
        const rows = await runSweep(pool, plan, (done) => progress.push(done));
        expect(progress.at(-1)).toBe(plan.jobs.length);
        return rows;
      } finally {
        await pool.close();
      }
    };
    const one = await rowsWith(1);
    const two = await rowsWith(2);
    expect(two).toEqual(one);
    expect(one.map((r) => r.error === undefined)).toEqual([true, true, true, true, false, false]);
    expect(one[5]?.error).toContain("fast (30) must be shorter than slow (30)");
    for (const row of one.slice(0, 4)) {
      const job = plan.jobs.find((j) => j.index === row.index);
      const run = await alone(job?.settings as BacktestSettings);
      expect(row.metrics).toEqual(summarise(computeMetrics(run, { breakdowns: false })));
    }
    expect(rankRows(one, "sharpe")).toHaveLength(4);
  });

  it("a run brought back whole is byte-identical to the same backtest alone, id included", async () => {
    const pool = await SweepPool.open({ store, cacheDir, pluginRoots: [PLUGINS] }, 1);
    try {
      const settings = {
        ...base,
        params: { fast: 10, slow: 30, fraction: 1, stopLossPct: 0, takeProfitPct: 0, allowShort: false },
      };
      const [outcome] = await pool.evaluate([{ settings, keepRun: true }]);
      expect(outcome?.ok).toBe(true);
      const run = outcome?.ok ? outcome.result.run : undefined;
      expect(JSON.stringify(run)).toBe(JSON.stringify(await alone(settings)));
    } finally {
      await pool.close();
    }
  });

  it("a range with no candles, or params without their defaults, fail their jobs with the reason, not the sweep", async () => {
    const pool = await SweepPool.open({ store, cacheDir, pluginRoots: [PLUGINS] }, 1);
    try {
      const [job] = planSweep(manifest, base, [{ fast: 5, slow: 20 }]).jobs;
      const settings = job?.settings as BacktestSettings;
      const far = { ...settings, from: Date.UTC(2030, 0, 1), to: Date.UTC(2030, 1, 1) };
      const partial = { ...settings, params: { fast: 5, slow: 20 } };
      const outcomes = await pool.evaluate([{ settings: far }, { settings }, { settings: partial }]);
      expect(outcomes[0]).toEqual({ ok: false, error: expect.stringContaining("no candles") });
      expect(outcomes[1]?.ok).toBe(true);
      expect(outcomes[2]).toEqual({
        ok: false,
        error: "sweep job without params fraction, stopLossPct, takeProfitPct, allowShort (use planSweep)",
      });
    } finally {
      await pool.close();
    }
  });
});

describe("sweep rows stored as they finish (sweep_results)", () => {
  // 3 bps of slippage: settings no other test of this file sweeps, so every row stored is this test's.
  const settings: BacktestSettings = { ...base, slippageBps: 3 };
  const T = Date.UTC(2026, 0, 1);
  const env = (storedRows: StoredRows, metrics: MetricsOptions = { breakdowns: false }, now = T) => ({
    store,
    cacheDir,
    pluginRoots: [PLUGINS],
    metrics,
    storedRows,
    clock: { now: () => now },
  });
  const withPool = async <T>(e: SweepEnvironment, work: (pool: SweepPool) => Promise<T>): Promise<T> => {
    const pool = await SweepPool.open(e, 2);
    try {
      return await work(pool);
    } finally {
      await pool.close();
    }
  };
  const storedRows = async () =>
    store.db.selectFrom("sweep_results").select(["id", "backtest_id", "params_json", "created_at"]).execute();
  const withoutFlag = (rows: readonly SweepRow[]) => rows.map(({ stored: _, ...row }) => row);

  it("a sweep run again takes its stored rows, a wider grid runs only its new ones, refresh runs them all", async () => {
    const before = (await storedRows()).length;
    const plan = planSweep(manifest, settings, expandGrid(grid));
    const first = await withPool(env("reuse"), (pool) => runSweep(pool, plan));
    expect(first.filter((r) => r.stored)).toEqual([]);
    // The four that ran are stored; the two the plugin refused are not (they run again, and fail again).
    const ran = first.filter((r) => r.metrics !== undefined);
    expect(ran).toHaveLength(4);
    expect((await storedRows()).length).toBe(before + 4);

    const progress: number[] = [];
    const again = await withPool(env("reuse"), (pool) => runSweep(pool, plan, (done) => progress.push(done)));
    expect(again.map((r) => r.stored === true)).toEqual(first.map((r) => r.metrics !== undefined));
    expect(withoutFlag(again)).toEqual(first);
    expect(progress[0]).toBe(4); // the stored rows count as done before any run
    expect(progress.at(-1)).toBe(6);

    const wider = planSweep(
      manifest,
      settings,
      expandGrid([
        { name: "fast", values: [5, 10, 15] },
        { name: "slow", values: [20, 30] },
      ]),
    );
    const widened = await withPool(env("reuse"), (pool) => runSweep(pool, wider));
    const key = (r: SweepRow) => `${r.params.fast}/${r.params.slow}`;
    expect(widened.filter((r) => r.stored).map(key)).toEqual(["5/20", "5/30", "10/20", "10/30"]);
    const fresh = await withPool(env("refresh", { breakdowns: false }, T + 1), (pool) => runSweep(pool, wider));
    expect(fresh.filter((r) => r.stored)).toEqual([]);
    expect(withoutFlag(widened)).toEqual(fresh);
    const rows = (await storedRows()).slice(before);
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => Number(r.created_at))).toEqual(Array(6).fill(T + 1));
    expect(new Set(rows.map((r) => r.backtest_id)).size).toBe(6);
  });

  it("other metrics options or settings are other rows, and a run kept whole is neither taken nor stored", async () => {
    const plan = planSweep(manifest, settings, expandGrid(grid));
    await withPool(env("reuse"), (pool) => runSweep(pool, plan));
    const count = (await storedRows()).length;
    const riskFree = await withPool(env("reuse", { breakdowns: false, riskFreeRate: 0.5 }), (pool) =>
      runSweep(pool, plan),
    );
    expect(riskFree.filter((r) => r.stored)).toEqual([]);
    const usual = await withPool(env("reuse"), (pool) => runSweep(pool, plan));
    expect(riskFree.map((r) => r.metrics?.sharpe)).not.toEqual(usual.map((r) => r.metrics?.sharpe));
    const fees = planSweep(manifest, { ...settings, fees: { kind: "percent", makerPct: 0.2, takerPct: 0.2 } }, [
      { fast: 5, slow: 20 },
    ]);
    const [other] = await withPool(env("reuse"), (pool) => runSweep(pool, fees));
    expect(other?.stored).toBeUndefined();
    expect((await storedRows()).length).toBe(count + 4 + 1);

    const whole = await withPool(env("reuse"), (pool) =>
      pool.evaluate([{ settings: plan.jobs[0]?.settings as BacktestSettings, keepRun: true }]),
    );
    const kept = whole[0]?.ok ? whole[0].result : undefined;
    expect(kept?.run?.trades.length).toBeGreaterThan(0);
    expect(kept?.stored).toBeUndefined();
    expect((await storedRows()).length).toBe(count + 5);
  });

  it("a row the store refuses fails the sweep with the reason once the runs are in", async () => {
    const other = await openStore(dir, "unwritable-rows.db");
    try {
      const file = writeCandleFile(dir, "btc-rows.csv", shippedLines("binance_BTC-USDT_1h.csv.gz").slice(0, 1500));
      await importCandleFile(other, file, { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" });
      await other.db.schema.dropTable("sweep_results").execute();
      const plan = planSweep(manifest, settings, [{ fast: 5, slow: 20 }]);
      const progress: number[] = [];
      const failed = await withPool(
        { ...env("refresh"), store: other, cacheDir: path.join(dir, "cache-rows") },
        (pool) =>
          runSweep(pool, plan, (done) => progress.push(done)).then(
            () => "stored",
            (error: Error) => error.message,
          ),
      );
      expect(failed).toMatch(/^could not store the sweep's rows: .*sweep_results/);
      expect(progress).toEqual([1]);
    } finally {
      await other.close();
    }
  });
});

/** A walk-forward by Sharpe on two worker processes. */
async function walkForward(plan: SweepPlan, windows: readonly WalkForwardWindow[]) {
  const pool = await SweepPool.open({ store, cacheDir, pluginRoots: [PLUGINS], metrics: { breakdowns: false } }, 2);
  try {
    return await runWalkForward(pool, plan, windows, "sharpe");
  } finally {
    await pool.close();
  }
}

describe("walk-forward on worker processes", () => {
  it("picks the best training row per window and joins the test runs as the same backtests alone would", async () => {
    const plan = planSweep(manifest, base, expandGrid(grid));
    const windows = splitWindows(FROM, TO, { train: 20 * DAY, test: 10 * DAY, step: 10 * DAY });
    expect(windows).toHaveLength(4); // 62 days: tests [20,30), [30,40), [40,50), [50,60)
    const result = await walkForward(plan, windows);
    const testRuns = [];
    for (const w of result.windows) {
      // The best by Sharpe on the training window, found here without the pool.
      const trained = [];
      for (const job of plan.jobs) {
        const run = await alone({ ...job.settings, from: w.window.trainFrom, to: w.window.trainTo }).catch(
          () => undefined,
        );
        if (run)
          trained.push({
            index: job.index,
            params: job.params,
            metrics: summarise(computeMetrics(run, { breakdowns: false })),
          });
      }
      const best = rankRows(trained, "sharpe")[0];
      expect(w.best?.index).toBe(best?.index);
      const settings = plan.jobs.find((j) => j.index === best?.index)?.settings as BacktestSettings;
      const test = await alone({ ...settings, from: w.window.testFrom, to: w.window.testTo, closeAtEnd: true });
      expect(w.test).toEqual(summarise(computeMetrics(test, { breakdowns: false })));
      testRuns.push(test);
    }
    expect(result.outOfSample?.metrics).toEqual(computeMetrics(stitchRuns(testRuns)));
  });
});

describe("walk-forward over a range the candles only partly cover", () => {
  it("names, per window, what training and test lacked, and why a window did not run", async () => {
    const HOUR = 3_600_000;
    const WEEK = 7 * DAY;
    const stored = shippedLines("binance_BTC-USDT_1h.csv.gz")
      .slice(0, 1500)
      .map((l) => Number(l.split(",")[0]));
    const first = stored[0] as number;
    const last = stored[stored.length - 1] as number;
    // 2020-11-02 to 2021-02-20: the candles run from 2020-12-01 to 2021-02-01, so the first windows
    // start before them and the last end after them.
    const from = Date.UTC(2020, 10, 2);
    const windows = splitWindows(from, Date.UTC(2021, 1, 20), { train: 20 * DAY, test: 10 * DAY, step: 10 * DAY });
    const plan = planSweep(manifest, base, expandGrid([{ name: "fast", values: [5, 10] }]));
    const result = await walkForward(plan, windows);

    // What each window should say, from the stored times alone.
    const within = (a: number, b: number) => stored.filter((t) => t >= a && t < b);
    const lacking = (a: number, b: number) => {
      const times = within(a, b);
      const before = (times[0] as number) - a > WEEK ? { before: { from: a, to: times[0] } } : {};
      const end = (times[times.length - 1] as number) + HOUR;
      const after = b - end > WEEK ? { after: { from: end, to: b } } : {};
      return Object.keys({ ...before, ...after }).length > 0 ? { ...before, ...after } : undefined;
    };
    const NONE = "no candles of BTC/USDT 1h in the range asked for";
    const seen = new Set<string>();
    for (const w of result.windows) {
      const { trainFrom, trainTo, testFrom, testTo } = w.window;
      if (within(trainFrom, trainTo).length === 0) {
        expect(w).toEqual({ window: w.window, error: `training: ${NONE}` });
        seen.add("training: none");
        continue;
      }
      const training = lacking(trainFrom, trainTo);
      const test = within(testFrom, testTo).length === 0 ? undefined : lacking(testFrom, testTo);
      expect(w.missing?.training).toEqual(training);
      expect(w.missing?.test).toEqual(test);
      if (training) seen.add(`training: ${Object.keys(training).join()}`);
      if (test) seen.add(`test: ${Object.keys(test).join()}`);
      if (within(testFrom, testTo).length === 0) {
        expect(w.error).toBe(`test: ${NONE}`);
        seen.add("test: none");
      } else expect(w.test?.trades).toBeGreaterThanOrEqual(0);
    }
    expect(first).toBe(Date.UTC(2020, 11, 1));
    expect(last).toBeLessThan(Date.UTC(2021, 1, 2));
    // Every case above happened at least once.
    expect([...seen].sort()).toEqual([
      "test: after",
      "test: none",
      "training: after",
      "training: before",
      "training: none",
    ]);
  });
});
