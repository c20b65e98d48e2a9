import { type PrepareOptions, prepareBacktest } from "./prepare.ts";
import { type SimulateOptions, simulate } from "./simulate.ts";
import type { BacktestRun, BacktestSettings } from "./types.ts";

/** Where a backtest finds its candles and plugins, and how it reports. */
export interface BacktestOptions extends PrepareOptions, SimulateOptions {}

/**
 * A backtest in THIS process: prepare, then simulate with the plugin's isolate entered synchronously.
 * For tests and benchmarks that need the speed and trust the plugin; everything else (the CLI, chat,
 * the web panel, sweeps) uses runBacktest, which runs the simulation in a child process.
 * @example const run = await runBacktestInProcess(settings, { store, cacheDir: "var", pluginRoots: ["plugins"] })
 */
export async function runBacktestInProcess(settings: BacktestSettings, options: BacktestOptions): Promise<BacktestRun> {
  return simulate(await prepareBacktest(settings, options), options);
}
