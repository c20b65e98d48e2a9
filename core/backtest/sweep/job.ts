// The job module every sweep worker loads (see pool.ts and SweepPool): it keeps the few prepared
// inputs (candles, plugin code) it was sent, and simulates one backtest per job with the job's own
// settings and params, answering with the metrics (and the whole run when asked).

import { VERSION } from "../../version.ts";
import { backtestId } from "../fingerprint.ts";
import type { BacktestInput } from "../input.ts";
import { computeMetrics, summarise } from "../metrics/index.ts";
import type { MetricsOptions } from "../metrics/types.ts";
import { simulate } from "../simulate.ts";
import type { SweepJobResult } from "./run.ts";
import { MEMO_SIZE, type WorkerJob } from "./worker-job.ts";

let metrics: MetricsOptions = {};
// Least recently used first, as SweepPool's memo of this worker expects.
const inputs = new Map<string, BacktestInput>();

export function setup(init: { metrics: MetricsOptions }): void {
  metrics = init.metrics;
}

export async function run(job: WorkerJob): Promise<SweepJobResult> {
  const base = job.input ?? inputs.get(job.key);
  if (!base) throw new Error("sweep worker: the prepared input for this job was not sent");
  inputs.delete(job.key);
  inputs.set(job.key, base);
  if (inputs.size > MEMO_SIZE) inputs.delete(inputs.keys().next().value as string);

  // The prepared input with this job's settings and params: only they differ between combinations.
  // The params must be whole (validated, defaults filled in, as planSweep gives them): this process
  // has no manifest to fill them from.
  const params = job.settings.params as BacktestInput["plugin"]["params"];
  const missing = Object.keys(base.plugin.params).filter((name) => !Object.hasOwn(params, name));
  if (missing.length > 0) throw new Error(`sweep job without params ${missing.join(", ")} (use planSweep)`);
  const input: BacktestInput = { ...base, settings: job.settings, plugin: { ...base.plugin, params } };
  // The plain in-memory ledger: the same fills as the SQLite one (core/backtest's reproducibility
  // test proves the runs byte-identical) at a quarter less time per run.
  const result = await simulate(input, { ledger: "memory" });
  const summary = summarise(computeMetrics(result, metrics));
  if (!job.keepRun) return { metrics: summary };
  // The id the same backtest run alone would get (prepareBacktest's fingerprint of the same inputs).
  const { id, version, codeHash } = base.plugin;
  const runId = backtestId({
    plugin: { id, version, codeHash },
    params,
    settings: job.settings,
    data: result.data,
    series: base.series,
    engineVersion: VERSION,
  });
  return { metrics: summary, run: { ...result, id: runId } };
}
