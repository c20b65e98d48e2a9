import { computeMetrics } from "./metrics/index.ts";
import type { BacktestMetrics, MetricsOptions, MetricsSummary } from "./metrics/types.ts";
import type { JobOutcome } from "./sweep/pool.ts";
import { type RankMetric, rankRows, type SweepRow } from "./sweep/rank.ts";
import type { SweepJobResult, SweepPlan, SweepPool } from "./sweep/run.ts";
import type { BacktestRun } from "./types.ts";
import type { WalkForwardWindow } from "./walk-forward.ts";
import { stitchRuns } from "./walk-forward-stitch.ts";

/** What one window produced: the params that won on training, and how they did on the test window. */
export interface WindowResult {
  readonly window: WalkForwardWindow;
  /** The best training row, undefined when no combination ran on it. */
  readonly best?: SweepRow;
  readonly test?: MetricsSummary;
  /** Why the window has no test result. */
  readonly error?: string;
}

export interface WalkForwardResult {
  readonly windows: readonly WindowResult[];
  /** The test windows joined (see stitchRuns); undefined when no window produced a test run. */
  readonly outOfSample?: { readonly run: BacktestRun; readonly metrics: BacktestMetrics };
}

/**
 * Walk-forward optimisation: every planned combination runs on every training window; the best by
 * `metric` then runs on the test window that follows, closing what it holds at the window's end (the
 * next window starts flat). All training runs go to the pool at once, then all test runs.
 * @example const wf = await runWalkForward(pool, plan, splitWindows(from, to, spec), "sharpe");
 */
export async function runWalkForward(
  pool: SweepPool,
  plan: SweepPlan,
  windows: readonly WalkForwardWindow[],
  metric: RankMetric,
  options: { readonly metrics?: MetricsOptions; readonly onProgress?: (done: number, total: number) => void } = {},
): Promise<WalkForwardResult> {
  const total = windows.length * plan.jobs.length + windows.length;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);

  const trainJobs = windows.flatMap((w) =>
    plan.jobs.map((job) => ({ settings: { ...job.settings, from: w.trainFrom, to: w.trainTo } })),
  );
  const trained = await pool.evaluate(trainJobs, tick);
  const bests = windows.map((_, w) => {
    const rows = plan.jobs.map((job, j) => {
      const outcome = trained[w * plan.jobs.length + j] as JobOutcome<SweepJobResult>;
      return outcome.ok
        ? { index: job.index, params: job.params, metrics: outcome.result.metrics }
        : { index: job.index, params: job.params, error: outcome.error };
    });
    return rankRows(rows, metric)[0];
  });

  const testable = windows.flatMap((w, i) => {
    const best = bests[i];
    const job = best && plan.jobs.find((j) => j.index === best.index);
    return job ? [{ window: w, best: best as SweepRow, settings: job.settings }] : [];
  });
  const tested = await pool.evaluate(
    testable.map((t) => ({
      settings: { ...t.settings, from: t.window.testFrom, to: t.window.testTo, closeAtEnd: true },
      keepRun: true,
    })),
    tick,
  );
  for (let i = testable.length; i < windows.length; i++) tick();

  const runs: BacktestRun[] = [];
  const results = windows.map((window): WindowResult => {
    const k = testable.findIndex((t) => t.window === window);
    if (k < 0) return { window, error: "no combination ran on the training window" };
    const best = testable[k]?.best;
    const outcome = tested[k] as JobOutcome<SweepJobResult>;
    if (!outcome.ok) return { window, best, error: outcome.error };
    if (outcome.result.run) runs.push(outcome.result.run);
    return { window, best, test: outcome.result.metrics };
  });
  const outOfSample =
    runs.length > 0
      ? (() => {
          const run = stitchRuns(runs);
          return { run, metrics: computeMetrics(run, options.metrics) };
        })()
      : undefined;
  return { windows: results, outOfSample };
}
