import { type Selectable, sql } from "kysely";
import type { BacktestResultsTable } from "../schema.ts";
import { type Db, type ListOptions, touched } from "./common.ts";

/** A backtest's identity and summary: what listing shows, without the trades and equity curve. */
export interface BacktestSummary {
  /** A hash of the inputs below, computed by core/backtest. */
  readonly id: string;
  readonly pluginId: string;
  readonly pluginVersion: string;
  readonly codeHash: string;
  readonly params: unknown;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  readonly from: number;
  readonly to: number;
  readonly settings: unknown;
  readonly engineVersion: string;
  readonly metrics: unknown;
  readonly createdAt: number;
}

/** A complete stored backtest. */
export interface BacktestRecord extends BacktestSummary {
  /** Trades and the equity curve. */
  readonly result: unknown;
}

export interface BacktestFilter extends ListOptions {
  readonly pluginId?: string;
  readonly symbol?: string;
  readonly timeframe?: string;
}

/**
 * Stores a result; false, changing nothing, when one with this id exists: the same inputs give the
 * same result, so the first copy stands.
 * @example await saveBacktestResult(db, { id: hash, pluginId: "sma-cross", …, result: { trades, equity } })
 */
export async function saveBacktestResult(db: Db, record: BacktestRecord): Promise<boolean> {
  const result = await db
    .insertInto("backtest_results")
    .values({
      id: record.id,
      plugin_id: record.pluginId,
      plugin_version: record.pluginVersion,
      code_hash: record.codeHash,
      params_json: JSON.stringify(record.params),
      symbols: record.symbols.join(","),
      timeframe: record.timeframe,
      from_ts: record.from,
      to_ts: record.to,
      settings_json: JSON.stringify(record.settings),
      engine_version: record.engineVersion,
      metrics_json: JSON.stringify(record.metrics),
      result_json: JSON.stringify(record.result),
      created_at: record.createdAt,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return touched(result);
}

/** The whole result, trades and equity included. @example await findBacktestResult(db, id) */
export async function findBacktestResult(db: Db, id: string): Promise<BacktestRecord | undefined> {
  const row = await db.selectFrom("backtest_results").selectAll().where("id", "=", id).executeTakeFirst();
  return row && { ...toSummary(row), result: JSON.parse(row.result_json) as unknown };
}

/**
 * Ids of stored results that start with `prefix` (what `quantchat backtests` prints is the first 12
 * digits), at most `limit`: one is a match, two say the prefix is ambiguous.
 * @example await findBacktestIds(db, "7378ef556995") // ["7378ef5569955a27…"]
 */
export async function findBacktestIds(db: Db, prefix: string, limit = 2): Promise<string[]> {
  const rows = await db
    .selectFrom("backtest_results")
    .select("id")
    .where(sql<boolean>`${sql.ref("id")} like ${`${escapeLike(prefix)}%`} escape '\\'`)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Summaries, newest first by default; the large result column is not read.
 * @example await listBacktestResults(db, { pluginId: "sma-cross", symbol: "BTC/USDT", limit: 20 })
 */
export async function listBacktestResults(db: Db, filter: BacktestFilter = {}): Promise<BacktestSummary[]> {
  let query = db
    .selectFrom("backtest_results")
    .select([
      "id",
      "plugin_id",
      "plugin_version",
      "code_hash",
      "params_json",
      "symbols",
      "timeframe",
      "from_ts",
      "to_ts",
      "settings_json",
      "engine_version",
      "metrics_json",
      "created_at",
    ]);
  if (filter.pluginId !== undefined) query = query.where("plugin_id", "=", filter.pluginId);
  if (filter.timeframe !== undefined) query = query.where("timeframe", "=", filter.timeframe);
  if (filter.symbol !== undefined) {
    // symbols is a comma-separated list: match whole entries only, wherever they stand in it.
    const symbol = filter.symbol;
    const like = (pattern: string) => sql<boolean>`${sql.ref("symbols")} like ${pattern} escape '\\'`;
    const escaped = escapeLike(symbol);
    query = query.where((eb) =>
      eb.or([eb("symbols", "=", symbol), like(`${escaped},%`), like(`%,${escaped}`), like(`%,${escaped},%`)]),
    );
  }
  const order = filter.order ?? "desc";
  query = query.orderBy("created_at", order).orderBy("id", order);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(toSummary);
}

/** Removes a stored result; false when there was none. @example await deleteBacktestResult(db, id) */
export async function deleteBacktestResult(db: Db, id: string): Promise<boolean> {
  return touched(await db.deleteFrom("backtest_results").where("id", "=", id).executeTakeFirst());
}

/** Escapes LIKE's wildcards (and the escape character itself) so a symbol matches only itself. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toSummary(row: Omit<Selectable<BacktestResultsTable>, "result_json">): BacktestSummary {
  return {
    id: row.id,
    pluginId: row.plugin_id,
    pluginVersion: row.plugin_version,
    codeHash: row.code_hash,
    params: JSON.parse(row.params_json) as unknown,
    symbols: row.symbols === "" ? [] : row.symbols.split(","),
    timeframe: row.timeframe,
    from: row.from_ts,
    to: row.to_ts,
    settings: JSON.parse(row.settings_json) as unknown,
    engineVersion: row.engine_version,
    metrics: JSON.parse(row.metrics_json) as unknown,
    createdAt: row.created_at,
  };
}
