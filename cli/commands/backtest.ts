import type { Command } from "commander";
import type { BacktestChild } from "../../core/backtest/child-process.ts";
import { writeBacktestChart } from "../backtest-chart.ts";
import { addRunOptions, firstLine, pngPath, progressBar, type RunFlags } from "../backtest-flags.ts";
import { type PreparedRun, prepareRun } from "../backtest-prepare.ts";
import { CliError } from "../errors.ts";

/**
 * `quantchat backtest`: one backtest with a progress bar on stderr, the report on stdout (or JSON),
 * the result stored and its id printed, and optionally the chart as a PNG.
 * @example quantchat backtest --plugin sma-cross --symbol BTC/USDT --timeframe 1h --from 2024-01-01 --to 2024-12-31
 */
export function register(program: Command): void {
  addRunOptions(program.command("backtest").description("Backtest a strategy plugin on stored candles"))
    .option("--chart <file.png>", "write a chart: price with entries and exits, equity, drawdown")
    .addHelpText(
      "after",
      "\nRisk limits come from $QUANTCHAT_CONFIG (default strategies.yaml) unless --no-risk.\n" +
        "Environment: DATABASE_URL (default var/quantchat.db), QUANTCHAT_STATE_DIR (candle cache).",
    )
    .action(async (flags: RunFlags & { chart?: string }) => {
      const chart = flags.chart === undefined ? undefined : pngPath("--chart", flags.chart);
      // The backtest's child process loads (about 0.15 s) while the flags, the plugin and the store are
      // checked, instead of after; bad input kills it unused.
      const { startBacktestChild } = await import("../../core/backtest/run.ts");
      const child = startBacktestChild();
      try {
        const prepared = await prepareRun(flags, { validateParams: true });
        try {
          await backtest(prepared, flags, chart, child);
        } finally {
          await prepared.store.close();
        }
      } finally {
        await child.cancel();
      }
    });
}

async function backtest(
  p: PreparedRun,
  flags: RunFlags,
  chart: string | undefined,
  child: BacktestChild,
): Promise<void> {
  const { runBacktest, saveBacktest } = await import("../../core/backtest/index.ts");
  const { computeMetrics, summarise } = await import("../../core/backtest/metrics/index.ts");
  const { jsonReport, stringifyReport, textReport } = await import("../../core/backtest/report/index.ts");
  const { VERSION } = await import("../../core/version.ts");
  const bar = progressBar(
    `${p.pkg.manifest.id} ${p.settings.symbols.join(",")} ${p.settings.timeframe}`,
    "candles",
    flags,
  );
  const run = await runBacktest(p.settings, {
    store: p.store,
    cacheDir: p.cacheDir,
    pluginRoots: p.pluginRoots,
    child,
    onProgress: (done: number, total: number) => bar.update(done, total),
  })
    .catch((error: unknown) => {
      throw new CliError(`the backtest failed: ${firstLine(error)}`);
    })
    .finally(() => bar.finish());
  const metrics = computeMetrics(run, p.metricsOptions);
  const id = await saveBacktest(p.store, run, summarise(metrics));
  if (flags.json) {
    process.stdout.write(`${stringifyReport(jsonReport(run, metrics, { id, engineVersion: VERSION }), 2)}\n`);
  } else {
    process.stdout.write(textReport(run, metrics, { id }));
  }
  // After the report: a chart that cannot be written costs the picture, not the result.
  if (chart) await writeBacktestChart(chart, p, run, metrics);
}
