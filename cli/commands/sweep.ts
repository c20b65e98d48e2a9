import { availableParallelism } from "node:os";
import type { Command } from "commander";
import type { BacktestMetrics, MetricsSummary } from "../../core/backtest/metrics/types.ts";
import type { ReplayedData } from "../../core/backtest/report/coverage.ts";
import { formatPct, formatRatio } from "../../core/backtest/report/format.ts";
import type { GridAxis } from "../../core/backtest/sweep/grid.ts";
import type { RankMetric, SweepRow } from "../../core/backtest/sweep/rank.ts";
import type { SweepPlan } from "../../core/backtest/sweep/run.ts";
import type { BacktestRun } from "../../core/backtest/types.ts";
import type { WalkForwardSpec } from "../../core/backtest/walk-forward.ts";
import type { WalkForwardResult } from "../../core/backtest/walk-forward-run.ts";
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
}

/** What the sweep will do, every flag checked. */
interface SweepInput {
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
    .addHelpText(
      "after",
      "\nCombinations the plugin's manifest rejects (out of range, wrong step) are skipped with the reason.\n" +
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
    },
    Math.min(input.workers, windows ? jobs * windows.length : jobs),
  ).catch((error: unknown) => {
    throw new CliError(`could not start the sweep workers: ${firstLine(error)}`);
  });
  try {
    const bar = progressBar(`sweep ${p.pkg.manifest.id}`, windows ? "runs" : "combinations", flags);
    if (windows) {
      const { runWalkForward } = await import("../../core/backtest/walk-forward-run.ts");
      const result = await runWalkForward(pool, input.plan, windows, input.metric, {
        metrics: p.metricsOptions,
        onProgress: (done, total) => bar.update(done, total),
      }).finally(() => bar.finish());
      await printWalkForward(p, input, result, flags);
      return;
    }
    const rows = await runSweep(pool, input.plan, (done, total) => bar.update(done, total)).finally(() => bar.finish());
    if (input.heatmap) await writeHeatmap(input, rows);
    const { replayedData } = await import("../../core/backtest/report/index.ts");
    // Every combination replays the same candles: what they cover is said once, above the ranking.
    const data = replayedData(await pool.prepared((input.plan.jobs[0] as SweepPlan["jobs"][number]).settings));
    await printSweep(p, input, { rows, data }, flags);
  } finally {
    await pool.close();
  }
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

async function printSweep(
  p: PreparedRun,
  input: SweepInput,
  { rows, data }: { rows: readonly SweepRow[]; data: ReplayedData },
  flags: SweepFlags,
): Promise<void> {
  const { rankRows } = await import("../../core/backtest/sweep/rank.ts");
  const { coverageNote, describeRange, describeSettings, stringifyReport } = await import(
    "../../core/backtest/report/index.ts"
  );
  const ranked = rankRows(rows, input.metric);
  const failed = rows.filter((r) => r.error !== undefined);
  if (flags.json) {
    const doc = {
      plugin: { id: p.pkg.manifest.id, version: p.pkg.manifest.version, codeHash: p.pkg.sha256 },
      settings: p.settings,
      grid: input.axes,
      metric: input.metric,
      data,
      ranking: ranked.map((r) => r.index),
      rows,
    };
    process.stdout.write(`${stringifyReport(doc, 2)}\n`);
    return;
  }
  const names = input.axes.map((a) => a.name);
  const header = ["#", ...names, ...columnsFor(input.metric).map((c) => c.title)];
  const body = ranked
    .slice(0, input.top)
    .map((r, i) => [
      String(i + 1),
      ...names.map((n) => String(r.params[n])),
      ...columnsFor(input.metric).map((c) => formatMetric(r.metrics as MetricsSummary, c.key)),
    ]);
  const note = coverageNote(data.missing);
  const heading = [
    `${p.pkg.manifest.id} ${p.pkg.manifest.version}  ${p.settings.symbols.join(", ")} ${p.settings.timeframe}  ` +
      `${rows.length} combinations, ${ranked.length} ran, ranked by ${input.metric}`,
    describeRange(data),
    ...(note ? [`data      ${note}`] : []),
    `settings  ${describeSettings(p.settings)}`,
  ];
  process.stdout.write(`${heading.join("\n")}\n\n`);
  process.stdout.write(table(header, body, new Set(header.map((_, i) => i))));
  if (ranked.length > input.top) process.stdout.write(`(${ranked.length - input.top} more; --top or --json)\n`);
  if (failed.length > 0) process.stdout.write(`\n${skipped(failed)}`);
}

async function printWalkForward(
  p: PreparedRun,
  input: SweepInput,
  result: WalkForwardResult,
  flags: SweepFlags,
): Promise<void> {
  const { stringifyReport, textReport } = await import("../../core/backtest/report/index.ts");
  if (flags.json) {
    const doc = {
      plugin: { id: p.pkg.manifest.id, version: p.pkg.manifest.version, codeHash: p.pkg.sha256 },
      settings: p.settings,
      grid: input.axes,
      metric: input.metric,
      windows: result.windows,
      outOfSample: result.outOfSample && outOfSampleJson(result.outOfSample.run, result.outOfSample.metrics),
    };
    process.stdout.write(`${stringifyReport(doc, 2)}\n`);
    return;
  }
  const names = input.axes.map((a) => a.name);
  const header = ["window", "train", "test", ...names, `train ${input.metric}`, "test return", "test sharpe", "trades"];
  const body = result.windows.map((w) => {
    const best = w.best;
    return [
      String(w.window.index + 1),
      span(w.window.trainFrom, w.window.trainTo),
      span(w.window.testFrom, w.window.testTo),
      ...names.map((n) => (best ? String(best.params[n]) : "-")),
      best?.metrics ? formatMetric(best.metrics, input.metric) : "-",
      w.test ? formatPct(w.test.totalReturn, { signed: true }) : (w.error ?? "-"),
      w.test ? formatRatio(w.test.sharpe) : "",
      w.test ? String(w.test.trades) : "",
    ];
  });
  process.stdout.write(
    `walk-forward ${p.pkg.manifest.id} ${p.settings.symbols.join(", ")} ${p.settings.timeframe}: ` +
      `${result.windows.length} windows, ${input.plan.jobs.length} combinations each, optimised for ${input.metric}\n\n`,
  );
  process.stdout.write(
    table(header, body, new Set([0, 3 + names.length, 4 + names.length, 5 + names.length, 6 + names.length])),
  );
  if (!result.outOfSample) {
    process.stdout.write("\nno test window produced a result\n");
    return;
  }
  const oos = textReport(result.outOfSample.run, result.outOfSample.metrics).split("\n\n").slice(1).join("\n\n");
  process.stdout.write(`\nOut of sample (the test windows joined, each with the params its training chose)\n\n${oos}`);
}

function outOfSampleJson(run: BacktestRun, m: BacktestMetrics) {
  const { periods, ...summary } = m;
  return { metrics: summary, breakdowns: periods, trades: run.trades, equity: run.equity };
}

/** The columns of the ranking: the chosen metric first, then a fixed set a trader reads a result by. */
function columnsFor(metric: RankMetric): { key: RankMetric; title: string }[] {
  const standard: { key: RankMetric; title: string }[] = [
    { key: "totalReturn", title: "return" },
    { key: "sharpe", title: "sharpe" },
    { key: "maxDrawdown", title: "max dd" },
    { key: "winRate", title: "win rate" },
    { key: "trades", title: "trades" },
  ];
  const chosen = standard.find((c) => c.key === metric) ?? { key: metric, title: metric };
  return [chosen, ...standard.filter((c) => c.key !== metric)];
}

const FRACTIONS = new Set<RankMetric>(["totalReturn", "cagr", "maxDrawdown", "volatility", "winRate", "exposure"]);

function formatMetric(m: MetricsSummary, key: RankMetric): string {
  const value = m[key] as number | null;
  if (key === "trades") return String(value);
  return FRACTIONS.has(key)
    ? formatPct(value, { signed: key === "totalReturn" || key === "cagr" })
    : formatRatio(value);
}

/** Skipped combinations grouped by reason, most common first. */
function skipped(failed: readonly SweepRow[]): string {
  const counts = new Map<string, number>();
  for (const row of failed) counts.set(row.error as string, (counts.get(row.error as string) ?? 0) + 1);
  const reasons = [...counts].sort((a, b) => b[1] - a[1]);
  const lines = reasons.slice(0, 5).map(([reason, n]) => `  ${n} × ${reason}`);
  if (reasons.length > 5) lines.push(`  (${reasons.length - 5} other reasons; see --json)`);
  return `skipped ${failed.length} combination${failed.length === 1 ? "" : "s"}:\n${lines.join("\n")}\n`;
}

function span(from: number, to: number): string {
  const d = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `${d(from)}..${d(to - 1)}`;
}

function table(header: string[], rows: string[][], right: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")}\n`;
}
