import { fileURLToPath } from "node:url";
import { type Clock, systemClock } from "../../clock.ts";
import type { PluginManifest } from "../../plugins/manifest-schema.ts";
import { validateParams } from "../../plugins/params.ts";
import type { Store } from "../../store/database.ts";
import { findSweepResults, saveSweepResult } from "../../store/repositories/sweep-results.ts";
import type { BacktestInput } from "../input.ts";
import type { MetricsOptions, MetricsSummary } from "../metrics/types.ts";
import { prepareBacktest } from "../prepare.ts";
import type { BacktestRun, BacktestSettings, ParamInput } from "../types.ts";
import { type JobOutcome, ProcessPool } from "./pool.ts";
import type { SweepRow } from "./rank.ts";
import { type StoredRows, type SweepRowKey, sweepRowKey } from "./stored.ts";
import { MEMO_SIZE, rangeKey, type WorkerJob } from "./worker-job.ts";

/** Where a sweep finds candles and plugins (in this process), and how its workers compute metrics. */
export interface SweepEnvironment {
  readonly store: Store;
  readonly cacheDir: string;
  readonly pluginRoots: readonly string[];
  readonly metrics?: MetricsOptions;
  /** Whether rows of earlier sweeps are taken, and rows of this one stored (see StoredRows); neither when unset. */
  readonly storedRows?: StoredRows;
  /** What a stored row's created_at is read from; the system clock by default. */
  readonly clock?: Clock;
}

/**
 * One backtest of a sweep; `keepRun` brings the whole run back (walk-forward's test windows need it).
 * The params must be whole: validated against the manifest with the defaults filled in (planSweep).
 */
export interface SweepJob {
  readonly settings: BacktestSettings;
  readonly keepRun?: boolean;
}

export interface SweepJobResult {
  readonly metrics: MetricsSummary;
  readonly run?: BacktestRun;
  /** Taken from sweep_results, stored by an earlier sweep, instead of run. */
  readonly stored?: true;
}

const JOB_MODULE = fileURLToPath(new URL("./job.ts", import.meta.url));

/**
 * Worker processes for backtests, and the preparing side in this process. Each distinct range is
 * prepared once here (plugin resolved, candles loaded from the cache) and its candles go to each
 * worker once; a job then carries only its settings. The workers get no store, no environment and no
 * plugin folders: they simulate what they are sent, with the plugin's isolate inside, as runBacktest's
 * child does.
 * @example
 * const pool = await SweepPool.open({ store, cacheDir, pluginRoots }, os.availableParallelism());
 * try { const outcomes = await pool.evaluate(jobs); } finally { await pool.close(); }
 */
export class SweepPool {
  private readonly inputs = new Map<string, Promise<BacktestInput>>();
  // Rows are written one after another as runs finish.
  private saving: Promise<void> = Promise.resolve();
  private rowsKept = 0;

  private constructor(
    private readonly env: SweepEnvironment,
    private readonly pool: ProcessPool<WorkerJob, SweepJobResult>,
  ) {}

  static async open(env: SweepEnvironment, workers: number): Promise<SweepPool> {
    const pool = await ProcessPool.start<WorkerJob, SweepJobResult>({
      workers,
      module: JOB_MODULE,
      init: { metrics: env.metrics ?? {} },
      // A million-step run holds its equity curve twice, as in runBacktest's child.
      heapMb: 4096,
      // One worker per core, each CPU-bound: V8's background threads (concurrent GC and compilation)
      // would only compete with the next worker for the cores, and spend more CPU than they save.
      v8Flags: ["--single-threaded"],
    });
    return new SweepPool(env, pool);
  }

  /**
   * Runs the jobs; outcomes in job order. A range that cannot be prepared fails its jobs with the reason.
   * With `storedRows`, a job whose row is stored is answered from the store (`stored: true`), and every
   * job that runs has its row stored as soon as it finishes, so a sweep stopped half way loses only the
   * runs in progress. Jobs that keep their whole run (walk-forward's test windows) always run.
   */
  async evaluate(
    jobs: readonly SweepJob[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<JobOutcome<SweepJobResult>[]> {
    const keys = jobs.map((job) => rangeKey(job.settings));
    const prepared = new Map<string, BacktestInput | string>();
    for (const [i, key] of keys.entries()) {
      if (prepared.has(key)) continue;
      prepared.set(
        key,
        await this.prepare(key, (jobs[i] as SweepJob).settings).catch((error: unknown) =>
          error instanceof Error ? error.message : String(error),
        ),
      );
    }
    const rowKeys = jobs.map((job, i) => this.rowKey(job, prepared.get(keys[i] as string)));
    const stored = await this.storedRows(rowKeys);
    const runnable: { index: number; job: WorkerJob }[] = [];
    const outcomes: JobOutcome<SweepJobResult>[] = new Array(jobs.length);
    jobs.forEach((job, index) => {
      const key = keys[index] as string;
      const input = prepared.get(key);
      const rowKey = rowKeys[index];
      const metrics = rowKey && stored.get(rowKey.id);
      if (typeof input === "string") outcomes[index] = { ok: false, error: input };
      else if (metrics) outcomes[index] = { ok: true, result: { metrics, stored: true } };
      else runnable.push({ index, job: { key, settings: job.settings, keepRun: job.keepRun === true } });
    });
    this.rowsKept += stored.size;
    let done = jobs.length - runnable.length;
    if (done > 0) onProgress?.(done, jobs.length);
    // A failed write fails the sweep once the runs are in.
    let unsaved: unknown;
    const ran = await this.pool.run(
      runnable.map((r) => r.job),
      {
        onSettled: (_done, _total, i, outcome) => {
          onProgress?.(++done, jobs.length);
          const index = (runnable[i] as (typeof runnable)[number]).index;
          const key = rowKeys[index];
          if (!outcome.ok || !key) return;
          this.saving = this.saving
            .then(() => this.saveRow(key, jobs[index] as SweepJob, outcome.result))
            .then(
              () => {
                this.rowsKept++;
              },
              (error: unknown) => {
                unsaved ??= error;
              },
            );
        },
        message: (job, memo) => withInput(job, memo, prepared.get(job.key) as BacktestInput),
      },
    );
    await this.saving;
    if (unsaved !== undefined) {
      const reason = unsaved instanceof Error ? unsaved.message : String(unsaved);
      throw new Error(`could not store the sweep's rows: ${reason}`, { cause: unsaved });
    }
    runnable.forEach((r, i) => {
      outcomes[r.index] = ran[i] as JobOutcome<SweepJobResult>;
    });
    return outcomes;
  }

  /**
   * How many rows this pool has taken from the store or stored, once the writes under way are done:
   * what a sweep stopped now keeps for the next one (0 without `storedRows`).
   * @example process.once("SIGINT", async () => console.error(`${await pool.keptRows()} rows stored`))
   */
  async keptRows(): Promise<number> {
    await this.saving;
    return this.rowsKept;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** The prepared input the runs of `settings`' range share (prepared once, whatever the params). */
  prepared(settings: BacktestSettings): Promise<BacktestInput> {
    return this.prepare(rangeKey(settings), settings);
  }

  /** Where the job's row is stored; undefined when rows are not stored, or the job keeps its whole run. */
  private rowKey(job: SweepJob, input: BacktestInput | string | undefined): SweepRowKey | undefined {
    if (!this.env.storedRows || job.keepRun || input === undefined || typeof input === "string") return undefined;
    return sweepRowKey(input, job.settings, this.env.metrics ?? {});
  }

  /** The stored metrics of those keys that have a row, by row id (none when refreshing). */
  private async storedRows(keys: readonly (SweepRowKey | undefined)[]): Promise<Map<string, MetricsSummary>> {
    if (this.env.storedRows !== "reuse") return new Map();
    const ids = keys.flatMap((key) => (key ? [key.id] : []));
    return (await findSweepResults(this.env.store.db, ids)) as Map<string, MetricsSummary>;
  }

  private async saveRow(key: SweepRowKey, job: SweepJob, result: SweepJobResult): Promise<void> {
    await saveSweepResult(this.env.store.db, {
      id: key.id,
      backtestId: key.backtestId,
      pluginId: key.pluginId,
      params: job.settings.params,
      metrics: result.metrics,
      createdAt: (this.env.clock ?? systemClock).now(),
    });
  }

  private prepare(key: string, settings: BacktestSettings): Promise<BacktestInput> {
    let input = this.inputs.get(key);
    if (!input) {
      const { store, cacheDir, pluginRoots } = this.env;
      input = prepareBacktest(settings, { store, cacheDir, pluginRoots }).then(compactInput);
      this.inputs.set(key, input);
    }
    return input;
  }
}

/**
 * The job as it goes to a worker: with the prepared input the first time that worker sees its range.
 * `memo` mirrors the worker's own cache of inputs (same size, same least-recently-used order), so the
 * input travels exactly when the worker lacks it.
 */
function withInput(job: WorkerJob, memo: Map<string, unknown>, input: BacktestInput): WorkerJob {
  const known = memo.delete(job.key);
  memo.set(job.key, true);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  return known ? job : { ...job, input };
}

/**
 * The input with its candles copied out of the cache file's buffer: a view would drag the whole
 * file's memory across the process boundary with it.
 */
function compactInput(input: BacktestInput): BacktestInput {
  const candles = Object.fromEntries(
    Object.entries(input.candles).map(([symbol, c]) => [
      symbol,
      {
        time: c.time.slice(),
        open: c.open.slice(),
        high: c.high.slice(),
        low: c.low.slice(),
        close: c.close.slice(),
        volume: c.volume.slice(),
      },
    ]),
  );
  return { ...input, candles };
}

/** The combinations of a sweep split into backtests to run and rows the manifest already rejected. */
export interface SweepPlan {
  readonly rows: readonly SweepRow[];
  readonly jobs: readonly {
    readonly index: number;
    readonly params: Record<string, ParamInput>;
    readonly settings: BacktestSettings;
  }[];
}

/**
 * Checks every combination against the manifest (types, ranges, steps) and turns those that pass
 * into settings, defaults filled in; the rest become rows with the manifest's reason.
 * @example planSweep(manifest, settings, expandGrid(axes, fixed)).jobs.length // 48
 */
export function planSweep(
  manifest: Pick<PluginManifest, "params">,
  base: BacktestSettings,
  combos: readonly Record<string, ParamInput>[],
): SweepPlan {
  const rows: SweepRow[] = [];
  const jobs: SweepPlan["jobs"][number][] = [];
  combos.forEach((params, index) => {
    const checked = validateParams(manifest, params);
    if (checked.ok) jobs.push({ index, params, settings: { ...base, params: checked.params } });
    else rows.push({ index, params, error: checked.problems.map((p) => p.text).join("; ") });
  });
  return { rows, jobs };
}

/**
 * Runs the planned backtests and returns one row per combination, in grid order: the metrics, or why
 * it did not run (the manifest, or the plugin itself, as sma-cross does for fast >= slow). N workers
 * give the same rows as one: every run is deterministic and rows are placed by index.
 * @example const rows = await runSweep(pool, planSweep(manifest, settings, combos), (d, t) => bar.update(d, t));
 */
export async function runSweep(
  pool: SweepPool,
  plan: SweepPlan,
  onProgress?: (done: number, total: number) => void,
): Promise<SweepRow[]> {
  const outcomes = await pool.evaluate(
    plan.jobs.map((job) => ({ settings: job.settings })),
    onProgress,
  );
  const ran = plan.jobs.map((job, i) => toRow(job.index, job.params, outcomes[i] as JobOutcome<SweepJobResult>));
  return [...plan.rows, ...ran].sort((a, b) => a.index - b.index);
}

/**
 * The row of a combination from its job's outcome.
 * @example toRow(3, { fast: 10 }, { ok: false, error: "no candles" }) // { index: 3, params: { fast: 10 }, error: "no candles" }
 */
export function toRow(
  index: number,
  params: Record<string, ParamInput>,
  outcome: JobOutcome<SweepJobResult>,
): SweepRow {
  if (!outcome.ok) return { index, params, error: outcome.error };
  const { metrics, stored } = outcome.result;
  return stored ? { index, params, metrics, stored } : { index, params, metrics };
}
