import { systemClock } from "../clock.ts";
import type { Store } from "../store/database.ts";
import {
  type BacktestFilter,
  type BacktestSummary,
  findBacktestResult,
  listBacktestResults,
  saveBacktestResult,
} from "../store/repositories/backtests.ts";
import { VERSION } from "../version.ts";
import { type CompactRun, compactRun, expandRun } from "./compact.ts";
import type { BacktestRun } from "./types.ts";

/**
 * Stores a run (backtest_results) under its id, with the metrics the caller computed, and returns the
 * id. A run with that id stored before is kept as it is: the same inputs gave the same result.
 * @example const id = await saveBacktest(store, run, summarise(computeMetrics(run))) // "3f9a…"
 */
export async function saveBacktest(
  store: Store,
  run: BacktestRun,
  metrics: unknown = {},
  createdAt: number = systemClock.now(),
): Promise<string> {
  if (run.id === undefined) throw new Error("a run without an id (prepareBacktest gives one) cannot be stored");
  await saveBacktestResult(store.db, {
    id: run.id,
    pluginId: run.plugin.id,
    pluginVersion: run.plugin.version,
    codeHash: run.plugin.codeHash,
    params: run.settings.params,
    symbols: run.settings.symbols,
    timeframe: run.settings.timeframe,
    from: run.data.first,
    to: run.data.last,
    settings: run.settings,
    engineVersion: VERSION,
    metrics,
    result: compactRun(run),
    createdAt,
  });
  return run.id;
}

/**
 * A stored run, rebuilt exactly as it was saved, with its summary (metrics included).
 * @example const loaded = await loadBacktest(store, id); JSON.stringify(loaded?.run) === JSON.stringify(run) // true
 */
export async function loadBacktest(
  store: Store,
  id: string,
): Promise<{ readonly summary: BacktestSummary; readonly run: BacktestRun } | undefined> {
  const record = await findBacktestResult(store.db, id);
  if (!record) return undefined;
  const { result, ...summary } = record;
  const run = expandRun(result as CompactRun, {
    id: summary.id,
    settings: summary.settings as BacktestRun["settings"],
    plugin: { id: summary.pluginId, version: summary.pluginVersion, codeHash: summary.codeHash },
  });
  return { summary, run };
}

/**
 * Stored runs, newest first, without their bulk.
 * @example await listBacktests(store, { pluginId: "sma-cross", limit: 20 })
 */
export function listBacktests(store: Store, filter: BacktestFilter = {}): Promise<BacktestSummary[]> {
  return listBacktestResults(store.db, filter);
}
