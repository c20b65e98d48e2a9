import { fileURLToPath } from "node:url";
import { cachedEntry, compiledEntry } from "../util/compiled-entry.ts";
import { type BacktestChild, type ChildOptions, forkChild } from "./child-process.ts";
import type { BacktestInput } from "./input.ts";
import { type PrepareOptions, prepareBacktest } from "./prepare.ts";
import type { BacktestRun, BacktestSettings } from "./types.ts";

export interface RunBacktestOptions extends PrepareOptions, ChildOptions {
  /**
   * A child started earlier with startBacktestChild, so that it loads while the caller checks its input
   * (the CLI's flags, the store); runBacktest starts its own otherwise.
   */
  readonly child?: BacktestChild;
}

const SOURCE = fileURLToPath(new URL("./child.ts", import.meta.url));
// The child through tsx, when no compiled bundle of child.ts can be had.
const FALLBACK = fileURLToPath(new URL("./child-entry.js", import.meta.url));

/**
 * Runs a backtest: prepares it here (the store, the candle cache and the plugin folders are here),
 * then simulates it in a child process with the plugin's isolate inside, so that a hostile or broken
 * plugin can at worst take that process down, never the caller. The child is started first and loads
 * while the candles load here; progress and the result come back over IPC; a child silent for
 * `stallMs` is killed. Throws BacktestError (or prepareBacktest's error, the child then killed).
 * @example
 * const run = await runBacktest(
 *   { plugin: "sma-cross", exchange: "binance", symbols: ["BTC/USDT"], timeframe: "1h", params: { fast: 10, slow: 30 },
 *     cash: 10_000, fees: { kind: "percent", makerPct: 0.1, takerPct: 0.1 }, slippageBps: 2, fill: "next-open",
 *     allowShort: false, risk: null, closeAtEnd: true },
 *   { store, cacheDir: "var", pluginRoots: ["plugins"], onProgress: (done, total) => bar.update(done / total) },
 * );
 * run.trades.length // 41
 */
export async function runBacktest(settings: BacktestSettings, options: RunBacktestOptions): Promise<BacktestRun> {
  const child = options.child ?? startChild(options);
  let input: BacktestInput;
  try {
    input = await prepareBacktest(settings, options);
  } catch (error) {
    await child.cancel();
    throw error;
  }
  return child.run(input, options.onProgress);
}

/**
 * Starts a backtest child ahead of its run: it takes about 0.15 s to load, which can overlap the
 * caller's own checks. Give it to runBacktest (`child`), or cancel it when there is nothing to run.
 * @example const child = startBacktestChild(); try { await runBacktest(settings, { ...options, child }) } finally { await child.cancel() }
 */
export function startBacktestChild(options: ChildOptions = {}): BacktestChild {
  return startChild(options);
}

/**
 * Simulates a prepared backtest in a child process (see runBacktest).
 * @example const run = await runInChild(await prepareBacktest(settings, options), { stallMs: 60_000 })
 */
export function runInChild(input: BacktestInput, options: ChildOptions = {}): Promise<BacktestRun> {
  return startChild(options).run(input);
}

/**
 * Forks the child now when child.ts's bundle is cached and fresh (checked synchronously, so the fork
 * comes before the caller's own synchronous work), else once it is built (or with the tsx entry).
 */
function startChild(options: ChildOptions): BacktestChild {
  const { bundleDir: dir, log } = options;
  const ready = cachedEntry(SOURCE, { dir });
  if (ready) return forkChild(ready, options);
  const warn = log ? (message: string) => log.warn(message) : undefined;
  const later = compiledEntry(SOURCE, FALLBACK, { dir, warn }).then((entry) => forkChild(entry, options));
  return {
    run: (input, onProgress) => later.then((c) => c.run(input, onProgress)),
    cancel: () => later.then((c) => c.cancel()),
  };
}
