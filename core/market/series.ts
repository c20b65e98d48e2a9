import { sql } from "kysely";
import { isTimeframe, type SeriesKey, type Timeframe, timeframeMs } from "../domain/index.ts";
import type { SqlContext } from "./sql-context.ts";

/**
 * One stored series as `candle_series` records it. `revision` goes up by one with every import into
 * the series; the columnar cache is keyed by it.
 */
export interface SeriesInfo extends SeriesKey {
  readonly first: number;
  readonly last: number;
  readonly count: number;
  /** Number of holes between consecutive candles (see gaps.ts for the holes themselves). */
  readonly gaps: number;
  readonly revision: number;
}

interface SeriesRow {
  exchange: string;
  symbol: string;
  timeframe: string;
  first_ts: number | string;
  last_ts: number | string;
  count: number | string;
  gaps: number | string;
  revision: number | string;
}

/** The figures `candle_series` keeps about a series, apart from its revision. */
export interface SeriesStats {
  readonly count: number;
  readonly first: number;
  readonly last: number;
  readonly gaps: number;
}

/**
 * Recomputes first, last, count and gaps of `key` from `candles` and bumps its revision, creating the
 * `candle_series` row on the first import. Call it in the import's transaction so the bookkeeping and
 * the candles change together. Returns undefined (and writes nothing) when the series has no candles.
 * @example const info = await refreshSeries(ctx, { exchange: "binance", symbol: "BTC/USDT", timeframe: "5m" })
 */
export async function refreshSeries(ctx: SqlContext, key: SeriesKey): Promise<SeriesInfo | undefined> {
  const stats = await seriesStats(ctx, key);
  return stats.count === 0 ? undefined : saveSeries(ctx, key, stats);
}

/**
 * Count, first, last and gaps of `key` computed from `candles`, in one pass in the database with LAG
 * (SQLite >= 3.25 and PostgreSQL) rather than shipping every timestamp here.
 * @example (await seriesStats(ctx, key)).gaps // 9
 */
export async function seriesStats(ctx: SqlContext, key: SeriesKey): Promise<SeriesStats> {
  const result = await sql<{
    n: number | string;
    first_ts: number | null;
    last_ts: number | null;
    gaps: number | null;
  }>`
    SELECT count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts,
      sum(CASE WHEN ts - prev > ${timeframeMs(key.timeframe)} THEN 1 ELSE 0 END) AS gaps
    FROM (
      SELECT ts, lag(ts) OVER (ORDER BY ts) AS prev FROM candles
      WHERE exchange = ${key.exchange} AND symbol = ${key.symbol} AND timeframe = ${key.timeframe}
    ) AS t`.execute(ctx.db);
  const row = result.rows[0];
  return {
    count: Number(row?.n ?? 0),
    first: Number(row?.first_ts ?? Number.NaN),
    last: Number(row?.last_ts ?? Number.NaN),
    gaps: Number(row?.gaps ?? 0),
  };
}

/**
 * How many candles of `key` are stored (the bookkeeping aside).
 * @example await countCandles(ctx, key) // 303862
 */
export async function countCandles(ctx: SqlContext, key: SeriesKey): Promise<number> {
  const result = await sql<{ n: number | string }>`
    SELECT count(*) AS n FROM candles
    WHERE exchange = ${key.exchange} AND symbol = ${key.symbol} AND timeframe = ${key.timeframe}`.execute(ctx.db);
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Stores `stats` as the bookkeeping of `key` and bumps its revision (1 for a new series).
 * @example await saveSeries(ctx, key, { count: 2, first: 0, last: 300_000, gaps: 0 })
 */
export async function saveSeries(ctx: SqlContext, key: SeriesKey, stats: SeriesStats): Promise<SeriesInfo> {
  const result = await sql<SeriesRow>`
    INSERT INTO candle_series (exchange, symbol, timeframe, first_ts, last_ts, count, gaps, revision)
    VALUES (${key.exchange}, ${key.symbol}, ${key.timeframe}, ${stats.first}, ${stats.last}, ${stats.count},
      ${stats.gaps}, 1)
    ON CONFLICT (exchange, symbol, timeframe) DO UPDATE SET
      first_ts = excluded.first_ts, last_ts = excluded.last_ts, count = excluded.count, gaps = excluded.gaps,
      revision = candle_series.revision + 1
    RETURNING exchange, symbol, timeframe, first_ts, last_ts, count, gaps, revision`.execute(ctx.db);
  return toInfo(result.rows[0] as SeriesRow);
}

/**
 * The stats of a series after adding a block of new candles (`added`, itself gap-counted) that lies
 * wholly before or after what was stored (`before`), without rereading the series; undefined when the
 * block overlaps the stored range, which needs a full recount.
 * @example appendStats({ count: 2, first: 0, last: 60_000, gaps: 0 }, { count: 1, first: 180_000, last: 180_000, gaps: 0 }, 60_000)
 * // { count: 3, first: 0, last: 180_000, gaps: 1 }
 */
export function appendStats(before: SeriesStats, added: SeriesStats, step: number): SeriesStats | undefined {
  if (before.count === 0) return added;
  let junction: number;
  if (added.first > before.last) junction = added.first - before.last;
  else if (added.last < before.first) junction = before.first - added.last;
  else return undefined;
  return {
    count: before.count + added.count,
    first: Math.min(before.first, added.first),
    last: Math.max(before.last, added.last),
    gaps: before.gaps + added.gaps + (junction > step ? 1 : 0),
  };
}

/**
 * The bookkeeping of one series, or undefined when nothing was imported into it.
 * @example (await getSeries(store, key))?.revision // 3
 */
export async function getSeries(ctx: Pick<SqlContext, "db">, key: SeriesKey): Promise<SeriesInfo | undefined> {
  const result = await sql<SeriesRow>`
    SELECT exchange, symbol, timeframe, first_ts, last_ts, count, gaps, revision FROM candle_series
    WHERE exchange = ${key.exchange} AND symbol = ${key.symbol} AND timeframe = ${key.timeframe}`.execute(ctx.db);
  const row = result.rows[0];
  return row ? toInfo(row) : undefined;
}

/**
 * Every stored series, by exchange, symbol and timeframe length.
 * @example for (const s of await listSeries(store)) console.log(s.symbol, s.timeframe, s.count)
 */
export async function listSeries(ctx: Pick<SqlContext, "db">): Promise<SeriesInfo[]> {
  const result = await sql<SeriesRow>`
    SELECT exchange, symbol, timeframe, first_ts, last_ts, count, gaps, revision FROM candle_series
    ORDER BY exchange, symbol`.execute(ctx.db);
  return result.rows
    .map(toInfo)
    .sort(
      (a, b) =>
        a.exchange.localeCompare(b.exchange) ||
        a.symbol.localeCompare(b.symbol) ||
        timeframeMs(a.timeframe) - timeframeMs(b.timeframe),
    );
}

function toInfo(row: SeriesRow): SeriesInfo {
  if (!isTimeframe(row.timeframe)) throw new Error(`candle_series holds an unknown timeframe: ${row.timeframe}`);
  return {
    exchange: row.exchange,
    symbol: row.symbol,
    timeframe: row.timeframe as Timeframe,
    first: Number(row.first_ts),
    last: Number(row.last_ts),
    count: Number(row.count),
    gaps: Number(row.gaps),
    revision: Number(row.revision),
  };
}
