import type { Db } from "./common.ts";

/** One stored combination of a sweep. */
export interface SweepResultRecord {
  /** A hash of the combination's backtest id, the metrics options and the engine's sources (core/backtest's sweepRowKey). */
  readonly id: string;
  readonly backtestId: string;
  readonly pluginId: string;
  readonly params: unknown;
  readonly metrics: unknown;
  readonly createdAt: number;
}

// SQLite allows 32,766 bound values per statement and PostgreSQL 65,535: a grid can exceed neither.
const IDS_PER_QUERY = 1_000;

/**
 * The stored metrics of those of `ids` that are stored, by id.
 * @example (await findSweepResults(db, ids)).get(ids[0]) // { sharpe: 1.2, … }
 */
export async function findSweepResults(db: Db, ids: readonly string[]): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom("sweep_results")
      .select(["id", "metrics_json"])
      .where("id", "in", ids.slice(i, i + IDS_PER_QUERY))
      .execute();
    for (const row of rows) found.set(row.id, JSON.parse(row.metrics_json) as unknown);
  }
  return found;
}

/**
 * Stores a combination's metrics, replacing what was stored under its id: `--fresh` reruns a
 * combination to replace a row, and equal ids otherwise mean equal metrics.
 * @example await saveSweepResult(db, { id, backtestId, pluginId: "sma-cross", params, metrics, createdAt })
 */
export async function saveSweepResult(db: Db, record: SweepResultRecord): Promise<void> {
  const values = {
    backtest_id: record.backtestId,
    plugin_id: record.pluginId,
    params_json: JSON.stringify(record.params),
    metrics_json: JSON.stringify(record.metrics),
    created_at: record.createdAt,
  };
  await db
    .insertInto("sweep_results")
    .values({ id: record.id, ...values })
    .onConflict((oc) => oc.column("id").doUpdateSet(values))
    .execute();
}
