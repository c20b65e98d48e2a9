import type { CandleColumns, SeriesKey } from "../domain/index.ts";
import { allocateColumns, type CandleRange } from "./columns.ts";
import type { SqlContext } from "./sql-context.ts";

const WHERE = "exchange = ? AND symbol = ? AND timeframe = ? AND ts >= ? AND ts < ?";

/**
 * Reads the candles of `key` whose open time lies in `range` from SQL, in time order, as columns. This
 * is the slow path (a row at a time) that the columnar cache exists to avoid. Pass a transaction's
 * context (`inTransaction`): on SQLite the raw statements bypass Kysely's connection lock, and inside a
 * transaction of our own they cannot run in the middle of someone else's (an import in progress).
 * @example const cols = await inTransaction(store, (ctx) => readSeriesColumns(ctx, key, { from: Date.UTC(2024, 0, 1) }))
 */
export async function readSeriesColumns(
  ctx: SqlContext,
  key: SeriesKey,
  range: CandleRange = {},
): Promise<CandleColumns> {
  const from = range.from ?? Number.MIN_SAFE_INTEGER;
  const to = range.to ?? Number.MAX_SAFE_INTEGER;
  if (ctx.sqlite) {
    const args = [key.exchange, key.symbol, key.timeframe, from, to];
    // Count first so the columns are allocated once; raw() rows are arrays, cheaper than objects.
    const count = ctx.sqlite.prepare(`SELECT count(*) FROM candles WHERE ${WHERE}`).pluck().get(args) as number;
    const cols = allocateColumns(count);
    const rows = ctx.sqlite
      .prepare(`SELECT ts, open, high, low, close, volume FROM candles WHERE ${WHERE} ORDER BY ts`)
      .raw()
      .iterate(args) as IterableIterator<number[]>;
    let i = 0;
    for (const r of rows) {
      if (i === count) break; // a writer on another connection added rows since the count
      cols.time[i] = r[0] as number;
      cols.open[i] = r[1] as number;
      cols.high[i] = r[2] as number;
      cols.low[i] = r[3] as number;
      cols.close[i] = r[4] as number;
      cols.volume[i] = r[5] as number;
      i++;
    }
    return i === count ? cols : truncate(cols, i);
  }
  const rows = await ctx.db
    .selectFrom("candles")
    .select(["ts", "open", "high", "low", "close", "volume"])
    .where("exchange", "=", key.exchange)
    .where("symbol", "=", key.symbol)
    .where("timeframe", "=", key.timeframe)
    .where("ts", ">=", from)
    .where("ts", "<", to)
    .orderBy("ts")
    .execute();
  const cols = allocateColumns(rows.length);
  rows.forEach((r, i) => {
    cols.time[i] = Number(r.ts);
    cols.open[i] = Number(r.open);
    cols.high[i] = Number(r.high);
    cols.low[i] = Number(r.low);
    cols.close[i] = Number(r.close);
    cols.volume[i] = Number(r.volume);
  });
  return cols;
}

function truncate(c: CandleColumns, n: number): CandleColumns {
  return {
    time: c.time.slice(0, n),
    open: c.open.slice(0, n),
    high: c.high.slice(0, n),
    low: c.low.slice(0, n),
    close: c.close.slice(0, n),
    volume: c.volume.slice(0, n),
  };
}
