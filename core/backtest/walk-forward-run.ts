import { computeMetrics } from "./metrics/index.ts";
import type { BacktestMetrics, MetricsOptions, MetricsSummary } from "./metrics/types.ts";
import { type MissingData, replayedData } from "./report/coverage.ts";
import type { JobOutcome } from "./sweep/pool.ts";
import { type RankMetric, rankRows, type SweepRow } from "./sweep/rank.ts";
import { type SweepJobResult, type SweepPlan, type SweepPool, toRow } from "./sweep/run.ts";
import type { BacktestRun, BacktestSettings } from "./types.ts";
import type { WalkForwardWindow } from "./walk-forward.ts";
import { stitchRuns } from "./walk-forward-stitch.ts";

/** What one window produced: the params that won on training, and how they did on the test window. */
export interface WindowResult {
  readonly window: WalkForwardWindow;
  /** The best training row, undefined when no combination ran on it. */
  readonly best?: SweepRow;
  readonly test?: MetricsSummary;
  /** Why the window has no test result: "training: …" when no combination ran on it, else "test: …". */
  readonly error?: string;
  /** What the training and the test window lacked of their candles (see missingData), when they lacked any. */
  readonly missing?: { readonly training?: MissingData; readonly test?: MissingData };
}

export interface WalkForwardResult {
  readonly windows: readonly WindowResult[];
  /** The test windows joined (see stitchRuns); undefined when no window produced a test run. */
  readonly outOfSample?: { readonly run: BacktestRun; readonly metrics: BacktestMetrics };
  /** Training runs taken from rows earlier sweeps stored (see SweepEnvironment.storedRows), not run again. */
  readonly storedRuns: number;
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
  const trainingRows = windows.map((_, w) =>
    plan.jobs.map((job, j) =>
      toRow(job.index, job.params, trained[w * plan.jobs.length + j] as JobOutcome<SweepJobResult>),
    ),
  );
  const bests = trainingRows.map((rows) => rankRows(rows, metric)[0]);

  const testable = windows.flatMap((w, i) => {
    const best = bests[i];
    const job = best && plan.jobs.find((j) => j.index === best.index);
    return job ? [{ window: w, best: best as SweepRow, settings: job.settings }] : [];
  });
  const tested = await pool.evaluate(
    testable.map((t) => ({ settings: testSettings(t.settings, t.window), keepRun: true })),
    tick,
  );
  for (let i = testable.length; i < windows.length; i++) tick();

  // A window that ran on part of its range ran on less than it says: what its candles left out.
  const missingIn = (settings: BacktestSettings) =>
    pool.prepared(settings).then(
      (input) => replayedData(input).missing,
      () => undefined,
    );
  const runs: BacktestRun[] = [];
  const results: WindowResult[] = [];
  for (const [w, window] of windows.entries()) {
    const k = testable.findIndex((t) => t.window === window);
    if (k < 0) {
      results.push({ window, error: `training: ${commonestError(trainingRows[w] ?? [])}` });
      continue;
    }
    const { best, settings } = testable[k] as (typeof testable)[number];
    const training = await missingIn(trainJobs[w * plan.jobs.length]?.settings as BacktestSettings);
    const test = await missingIn(testSettings(settings, window));
    const missing = training || test ? { missing: { ...(training && { training }), ...(test && { test }) } } : {};
    const outcome = tested[k] as JobOutcome<SweepJobResult>;
    if (!outcome.ok) {
      results.push({ window, best, error: `test: ${outcome.error}`, ...missing });
      continue;
    }
    if (outcome.result.run) runs.push(outcome.result.run);
    results.push({ window, best, test: outcome.result.metrics, ...missing });
  }
  const outOfSample =
    runs.length > 0
      ? (() => {
          const run = stitchRuns(runs);
          return { run, metrics: computeMetrics(run, options.metrics) };
        })()
      : undefined;
  const storedRuns = trainingRows.reduce((n, rows) => n + rows.filter((r) => r.stored).length, 0);
  return { windows: results, outOfSample, storedRuns };
}

/** Why no combination ran: the reason most of them gave (a window without candles fails them all alike). */
function commonestError(rows: readonly SweepRow[]): string {
  const counts = new Map<string, number>();
  for (const { error } of rows) if (error !== undefined) counts.set(error, (counts.get(error) ?? 0) + 1);
  const [reason, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ["no combination ran", 0];
  return n < rows.length && n > 0
    ? `${reason} (${n} of ${rows.length} combinations; the rest for other reasons)`
    : reason;
}

/** A test window's run: the window's range, closing what it holds at its end (the next window starts flat). */
function testSettings(settings: BacktestSettings, window: WalkForwardWindow): BacktestSettings {
  return { ...settings, from: window.testFrom, to: window.testTo, closeAtEnd: true };
}
