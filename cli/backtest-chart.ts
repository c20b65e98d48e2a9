import type { BacktestMetrics } from "../core/backtest/metrics/types.ts";
import type { BacktestRun } from "../core/backtest/types.ts";
import type { Store } from "../core/store/database.ts";
import { firstLine } from "./backtest-flags.ts";
import { CliError } from "./errors.ts";

/**
 * The backtest chart (price with fills, equity, drawdown) of a run's first symbol, as a PNG file: what
 * `backtest --chart` and `backtests show --chart` write. The candles come from the store, as the run had them.
 * @example await writeBacktestChart("out.png", { store, cacheDir }, run, computeMetrics(run))
 */
export async function writeBacktestChart(
  file: string,
  where: { readonly store: Store; readonly cacheDir: string },
  run: BacktestRun,
  metrics: BacktestMetrics,
): Promise<void> {
  const { writeFileSync } = await import("node:fs");
  const { backtestChart } = await import("../core/charts/index.ts");
  const { backtestChartInput } = await import("../core/backtest/report/index.ts");
  const { loadCandles } = await import("../core/market/index.ts");
  const key = {
    exchange: run.settings.exchange,
    symbol: run.settings.symbols[0] as string,
    timeframe: run.settings.timeframe,
  };
  const columns = await loadCandles(where.store, key, { from: run.data.first, to: run.data.last + 1 }, where.cacheDir);
  const { png } = backtestChart(backtestChartInput(run, metrics, columns));
  try {
    writeFileSync(file, png);
  } catch (error) {
    throw new CliError(`--chart ${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? firstLine(error)})`);
  }
  process.stderr.write(`chart written to ${file}\n`);
}
