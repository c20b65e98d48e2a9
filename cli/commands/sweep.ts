import { availableParallelism } from "node:os";
import type { Command } from "commander";
import type { GridAxis } from "../../core/backtest/sweep/grid.ts";
import type { RankMetric, SweepRow } from "../../core/backtest/sweep/rank.ts";
import type { SweepPlan } from "../../core/backtest/sweep/run.ts";
import type { WalkForwardSpec } from "../../core/backtest/walk-forward.ts";
import { addRunOptions, firstLine, parseNumber, pngPath, progressBar, type RunFlags } from "../backtest-flags.ts";
import { type PreparedRun, prepareRun } from "../backtest-prepare.ts";
import { CliError } from "../errors.ts";

interface SweepFlags extends RunFlags {
  grid?: string[];
  metric: string;
  top: string;
  heatmap?: string;
  workers?: string;
  walkForward?: string;
  fresh?: boolean;
}

/** What the sweep will do, every flag checked. */
export interface SweepInput {
  readonly axes: readonly GridAxis[];
  readonly plan: SweepPlan;
  readonly metric: RankMetric;
  readonly top: number;
  readonly workers: number;
  readonly heatmap?: string;
  readonly walkForward?: WalkForwardSpec;
}

const repeat = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `quantchat sweep`: a backtest per combination of a param grid, on all cores in worker processes,
 * ranked by a metric; a heatmap PNG over two params; optionally walk-forward (optimise on a training
 * window, evaluate on the next).
 * @example quantchat sweep --plugin sma-cross --symbol BTC/USDT --timeframe 1h --grid fast=5..30:5 --grid slow=20..100:10
 */
export function register(program: Command): void {
  addRunOptions(program.command("sweep").description("Backtest every combination of a param grid and rank them"))
    .option("--grid <name=values>", "a swept param: fast=5..30:5 (from..to:step) or fast=5,8,13 (repeatable)", repeat)
    .option("--metric <name>", "rank by: sharpe, sortino, calmar, return, cagr, drawdown, profit-factor, ...", "sharpe")
    .option("--top <n>", "rows of the ranking to print", "20")
    .option("--heatmap <file.png>", "write a heatmap of the metric over the first two swept params")
    .option("--workers <n>", "worker processes (default: one per core)")
    .option("--walk-forward <spec>", "rolling windows, e.g. train=180d,test=30d[,step=30d] (m, h, d, w)")
    .option("--fresh", "run every combination again, not taking the rows earlier sweeps stored")
    .addHelpText(
      "after",
      "\nCombinations the plugin's manifest rejects (out of range, wrong step) are skipped with the reason.\n" +
        "Each combination's metrics are stored as it finishes (sweep_results): run again, a stopped sweep or a\n" +
        "wider grid runs only the combinations not stored yet (same plugin code, candles, settings, engine).\n" +
        "Environment: DATABASE_URL (default var/quantchat.db), QUANTCHAT_STATE_DIR (candle cache).",
    )
    .action(async (flags: SweepFlags) => {
      const heatmap = flags.heatmap === undefined ? undefined : pngPath("--heatmap", flags.heatmap);
      const prepared = await prepareRun(flags, { validateParams: false });
      try {
        const input = await checkSweep(prepared, flags, heatmap);
        await sweep(prepared, input, flags);
      } finally {
        await prepared.store.close();
      }
    });
}

async function checkSweep(p: PreparedRun, flags: SweepFlags, heatmap: string | undefined): Promise<SweepInput> {
  const { expandGrid, parseGridAxis } = await import("../../core/backtest/sweep/grid.ts");
  const { parseMetric } = await import("../../core/backtest/sweep/rank.ts");
  const { planSweep } = await import("../../core/backtest/sweep/run.ts");
  const { SweepInputError } = await import("../../core/backtest/sweep/errors.ts");
  const { parseWalkForward } = await import("../../core/backtest/walk-forward.ts");
  try {
    const grid = flags.grid ?? [];
    if (grid.length === 0) throw new CliError("--grid is required, e.g. --grid fast=5..30:5 --grid slow=20..100:10");
    const axes = grid.map((g) => parseGridAxis(g, p.pkg.manifest.params));
    const plan = planSweep(p.pkg.manifest, p.settings, expandGrid(axes, p.fixedParams));
    if (plan.jobs.length === 0) {
      throw new CliError(`no combination of the grid fits the manifest: ${plan.rows[0]?.error ?? "none"}`);
    }
    if (heatmap && axes.length < 2) throw new CliError("--heatmap needs two swept params (two --grid flags)");
    const metric = parseMetric(flags.metric);
    const top = parseNumber("--top", flags.top, { min: 1, integer: true });
    const workers =
      flags.workers === undefined
        ? availableParallelism()
        : parseNumber("--workers", flags.workers, { min: 1, max: 256, integer: true });
    const walkForward = flags.walkForward === undefined ? undefined : parseWalkForward(flags.walkForward);
    if (walkForward && heatmap) {
      throw new CliError("--heatmap and --walk-forward: a heatmap shows one sweep; run it without --walk-forward");
    }
    return { axes, plan, metric, top, workers, heatmap, walkForward };
  } catch (error) {
    throw error instanceof SweepInputError ? new CliError(error.message) : error;
  }
}

async function sweep(p: PreparedRun, input: SweepInput, flags: SweepFlags): Promise<void> {
  const { SweepPool, runSweep } = await import("../../core/backtest/sweep/run.ts");
  const windows = input.walkForward ? await walkForwardWindows(p, input.walkForward) : undefined;
  const jobs = input.plan.jobs.length;
  const pool = await SweepPool.open(
    {
      store: p.store,
      cacheDir: p.cacheDir,
      pluginRoots: p.pluginRoots,
      metrics: { ...p.metricsOptions, breakdowns: false },
      storedRows: flags.fresh ? "refresh" : "reuse",
    },
    Math.min(input.workers, windows ? jobs * windows.length : jobs),
  ).catch((error: unknown) => {
    throw new CliError(`could not start the sweep workers: ${firstLine(error)}`);
  });
  const bar = progressBar(`sweep ${p.pkg.manifest.id}`, windows ? "runs" : "combinations", flags);
  const stored = windows ? `${jobs * windows.length} training runs` : `${jobs} combinations`;
  const interrupted = () => void stopOnInterrupt(pool, bar, stored, flags.fresh === true);
  process.once("SIGINT", interrupted);
  try {
    if (windows) {
      const { runWalkForward } = await import("../../core/backtest/walk-forward-run.ts");
      const result = await runWalkForward(pool, input.plan, windows, input.metric, {
        metrics: p.metricsOptions,
        onProgress: (done, total) => bar.update(done, total),
      }).finally(() => bar.finish());
      const { printWalkForward } = await import("../sweep-report.ts");
      printWalkForward(p, input, result, flags);
      return;
    }
    const rows = await runSweep(pool, input.plan, (done, total) => bar.update(done, total)).finally(() => bar.finish());
    if (input.heatmap) await writeHeatmap(input, rows);
    const { replayedData } = await import("../../core/backtest/report/index.ts");
    const { printSweep } = await import("../sweep-report.ts");
    // Every combination replays the same candles: what they cover is said once, above the ranking. A
    // range that could not be prepared failed every row with the reason, which the table's skips give.
    const data = await pool
      .prepared((input.plan.jobs[0] as SweepPlan["jobs"][number]).settings)
      .then(replayedData, () => undefined);
    printSweep(p, input, { rows, data }, flags);
  } finally {
    process.off("SIGINT", interrupted);
    await pool.close();
  }
}

/**
 * Ctrl-C: the writes under way finish (rows already stored are committed), the user is told how to go
 * on from there, and the process exits with 130, as a shell gives a process SIGINT
 * ended. The workers exit as their channel to us closes; nothing waits for the sweep to unwind.
 */
async function stopOnInterrupt(
  pool: { keptRows(): Promise<number> },
  bar: { finish(): void },
  of: string,
  fresh: boolean,
) {
  bar.finish();
  const kept = await pool.keptRows();
  // The same command with --fresh would start over: the way on is the command without it.
  const next = fresh
    ? "run it again without --fresh to go on from there"
    : "the same command goes on from there (--fresh starts over)";
  process.stderr.write(`stopped: ${kept} of ${of} are stored; ${next}\n`);
  process.exit(130);
}

async function walkForwardWindows(p: PreparedRun, spec: WalkForwardSpec) {
  const { timeframeMs } = await import("../../core/domain/index.ts");
  const { splitWindows } = await import("../../core/backtest/walk-forward.ts");
  // Without --from/--to the stored range of the series, all of it (the shortest if several symbols).
  const from = p.settings.from ?? Math.max(...p.series.map((s) => s.first));
  const to = p.settings.to ?? Math.min(...p.series.map((s) => s.last)) + timeframeMs(p.settings.timeframe);
  const windows = splitWindows(from, to, spec);
  if (windows.length === 0) {
    const days = (ms: number) => `${Math.round((ms / 86_400_000) * 10) / 10}d`;
    throw new CliError(
      `--walk-forward: the range (${days(to - from)}) is shorter than one training plus test window ` +
        `(${days(spec.train)} + ${days(spec.test)})`,
    );
  }
  return windows;
}

async function writeHeatmap(input: SweepInput, rows: readonly SweepRow[]): Promise<void> {
  const { writeFileSync } = await import("node:fs");
  const { heatmapData } = await import("../../core/backtest/sweep/rank.ts");
  const { heatmapChart } = await import("../../core/charts/index.ts");
  const [x, y] = input.axes as [GridAxis, GridAxis];
  const data = heatmapData(rows, x, y, input.metric);
  const more =
    input.axes.length > 2
      ? ` (best over ${input.axes
          .slice(2)
          .map((a) => a.name)
          .join(", ")})`
      : "";
  const { png } = heatmapChart({
    title: `${input.metric} by ${x.name} and ${y.name}${more}`,
    xName: x.name,
    yName: y.name,
    xValues: data.xs.map(String),
    yValues: data.ys.map(String),
    values: data.values,
    metricName: input.metric,
  });
  const file = input.heatmap as string;
  try {
    writeFileSync(file, png);
  } catch (error) {
    throw new CliError(
      `--heatmap ${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? firstLine(error)})`,
    );
  }
  process.stderr.write(`heatmap written to ${file}\n`);
}
