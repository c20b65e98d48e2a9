import { createHash } from "node:crypto";
import { engineCodeHash, VERSION } from "../../version.ts";
import { backtestId, canonicalJson } from "../fingerprint.ts";
import type { BacktestInput } from "../input.ts";
import type { MetricsOptions } from "../metrics/types.ts";
import type { BacktestSettings } from "../types.ts";

/**
 * What a sweep does with the rows of earlier sweeps (sweep_results): "reuse" takes a combination's
 * stored row instead of running it, and stores each row it runs as it finishes; "refresh" runs every
 * combination and stores its row over the old one.
 */
export type StoredRows = "reuse" | "refresh";

/** Where a combination's row is stored (see sweepRowKey), with what the row records beside it. */
export interface SweepRowKey {
  readonly id: string;
  readonly backtestId: string;
  readonly pluginId: string;
}

/**
 * The key of one combination's row. The backtest id covers the plugin (id, version, code hash), the
 * params, the settings, the candles (each series' revision and count) and the engine version: equal
 * ids give byte-identical runs (see fingerprint.ts). The metrics options (risk-free rate, periods)
 * change the metrics of the same run, so they are in the key too, and so is a hash of the engine's
 * sources: the engine version changes only with a release, and a row stored before an edit of the
 * engine (a metric's formula fixed) must not pass for this engine's.
 * @example sweepRowKey(input, job.settings, { breakdowns: false }).id // "9c1e…" (64 hex digits)
 */
export function sweepRowKey(input: BacktestInput, settings: BacktestSettings, metrics: MetricsOptions): SweepRowKey {
  const { id, version, codeHash } = input.plugin;
  const run = backtestId({
    plugin: { id, version, codeHash },
    params: settings.params as BacktestInput["plugin"]["params"],
    settings,
    data: input.data,
    series: input.series,
    engineVersion: VERSION,
  });
  const key = createHash("sha256")
    .update(canonicalJson({ run, metrics, engine: engineCodeHash() }))
    .digest("hex");
  return { id: key, backtestId: run, pluginId: id };
}
