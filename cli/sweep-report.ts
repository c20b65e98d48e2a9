import type { BacktestMetrics, MetricsSummary } from "../core/backtest/metrics/types.ts";
import {
  coverageNote,
  describeRange,
  describeSettings,
  formatPct,
  formatRatio,
  type ReplayedData,
  stringifyReport,
  textReport,
} from "../core/backtest/report/index.ts";
import { type RankMetric, rankRows, type SweepRow } from "../core/backtest/sweep/rank.ts";
import type { BacktestRun } from "../core/backtest/types.ts";
import type { WalkForwardResult, WindowResult } from "../core/backtest/walk-forward-run.ts";
import type { PreparedRun } from "./backtest-prepare.ts";
import type { SweepInput } from "./commands/sweep.ts";
import { textTable } from "./table.ts";

// What `quantchat sweep` prints: the ranking of a sweep, or the windows and out-of-sample report of a
// walk-forward; as aligned tables, or JSON with --json.

/** The ranking, best first by the metric, under the range, data and settings every combination shared. */
export function printSweep(
  p: PreparedRun,
  input: SweepInput,
  { rows, data }: { rows: readonly SweepRow[]; data: ReplayedData | undefined },
  flags: { json?: boolean },
): void {
  const ranked = rankRows(rows, input.metric);
  const failed = rows.filter((r) => r.error !== undefined);
  if (flags.json) {
    const doc = {
      ...jsonHead(p, input),
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
  const note = coverageNote(data?.missing);
  const heading = [
    `${p.pkg.manifest.id} ${p.pkg.manifest.version}  ${p.settings.symbols.join(", ")} ${p.settings.timeframe}  ` +
      `${rows.length} combinations, ${ranked.length} ran, ranked by ${input.metric}`,
    ...(data ? [describeRange(data)] : []),
    ...(note ? [`data      ${note}`] : []),
    `settings  ${describeSettings(p.settings)}`,
    ...storedLine(rows.filter((r) => r.stored).length, input.plan.jobs.length, "combinations"),
  ];
  process.stdout.write(`${heading.join("\n")}\n\n`);
  process.stdout.write(textTable(header, body, { right: new Set(header.map((_, i) => i)) }));
  if (ranked.length > input.top) process.stdout.write(`(${ranked.length - input.top} more; --top or --json)\n`);
  if (failed.length > 0) process.stdout.write(`\n${skipped(failed)}`);
}

/** A row per window (its note says what its candles lacked, or why it did not run), then the joined test runs. */
export function printWalkForward(
  p: PreparedRun,
  input: SweepInput,
  result: WalkForwardResult,
  flags: { json?: boolean },
): void {
  if (flags.json) {
    const doc = {
      ...jsonHead(p, input),
      windows: result.windows,
      storedRuns: result.storedRuns,
      outOfSample: result.outOfSample && outOfSampleJson(result.outOfSample.run, result.outOfSample.metrics),
    };
    process.stdout.write(`${stringifyReport(doc, 2)}\n`);
    return;
  }
  const names = input.axes.map((a) => a.name);
  const missing = (w: WindowResult, part: "training" | "test") => {
    const note = coverageNote(w.missing?.[part]);
    return note && `${part}: ${note}`;
  };
  // In the order things happened: training, then the test (an error is the one that stopped the window).
  const notes = result.windows.map((w) =>
    [missing(w, "training"), w.error, missing(w, "test")].filter((n) => n !== undefined).join("; "),
  );
  const noted = notes.some((n) => n !== "");
  const header = [
    "window",
    "train",
    "test",
    ...names,
    `train ${input.metric}`,
    "test return",
    "test sharpe",
    "trades",
    ...(noted ? ["note"] : []),
  ];
  const body = result.windows.map((w, i) => {
    const best = w.best;
    return [
      String(w.window.index + 1),
      span(w.window.trainFrom, w.window.trainTo),
      span(w.window.testFrom, w.window.testTo),
      ...names.map((n) => (best ? String(best.params[n]) : "-")),
      best?.metrics ? formatMetric(best.metrics, input.metric) : "-",
      w.test ? formatPct(w.test.totalReturn, { signed: true }) : "-",
      w.test ? formatRatio(w.test.sharpe) : "-",
      w.test ? String(w.test.trades) : "-",
      ...(noted ? [notes[i] as string] : []),
    ];
  });
  process.stdout.write(
    `walk-forward ${p.pkg.manifest.id} ${p.settings.symbols.join(", ")} ${p.settings.timeframe}: ` +
      `${result.windows.length} windows, ${input.plan.jobs.length} combinations each, optimised for ${input.metric}\n` +
      `settings  ${describeSettings(p.settings)}\n` +
      storedLine(result.storedRuns, result.windows.length * input.plan.jobs.length, "training runs")
        .map((line) => `${line}\n`)
        .join("") +
      "\n",
  );
  process.stdout.write(
    textTable(header, body, {
      right: new Set([0, 3 + names.length, 4 + names.length, 5 + names.length, 6 + names.length]),
    }),
  );
  if (!result.outOfSample) {
    process.stdout.write("\nno test window produced a result\n");
    return;
  }
  const oos = textReport(result.outOfSample.run, result.outOfSample.metrics).split("\n\n").slice(1).join("\n\n");
  process.stdout.write(`\nOut of sample (the test windows joined, each with the params its training chose)\n\n${oos}`);
}

/** The line that says how many runs were taken from earlier sweeps' rows; none when none were. */
function storedLine(stored: number, of: number, what: string): string[] {
  if (stored === 0) return [];
  return [`stored    ${stored} of ${of} ${what} from earlier sweeps (the same inputs; --fresh runs them again)`];
}

/** What every --json of a sweep starts with: the plugin, the settings, the grid and the metric. */
function jsonHead(p: PreparedRun, input: SweepInput) {
  return {
    plugin: { id: p.pkg.manifest.id, version: p.pkg.manifest.version, codeHash: p.pkg.sha256 },
    settings: p.settings,
    grid: input.axes,
    metric: input.metric,
  };
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
