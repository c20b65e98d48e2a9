import { CompiledQuery } from "kysely";
import type { CandleColumns, SeriesKey } from "../domain/index.ts";
import type { SqlContext } from "./sql-context.ts";

/** Writes candles of one series; `write` upserts, so writing the same candles twice changes nothing. */
export interface CandleWriter {
  write(columns: CandleColumns): Promise<void>;
}

const INSERT = "INSERT INTO candles (exchange, symbol, timeframe, ts, open, high, low, close, volume) VALUES ";
const UPSERT =
  " ON CONFLICT (exchange, symbol, timeframe, ts) DO UPDATE SET open = excluded.open, high = excluded.high," +
  " low = excluded.low, close = excluded.close, volume = excluded.volume";
// Multi-row statements: binding one 256-row statement costs far less than 256 single-row calls
// (~0.9M vs ~0.6M rows/s measured on better-sqlite3). PostgreSQL caps a statement at 65535 parameters.
const SQLITE_ROWS = 256;
const POSTGRES_ROWS = 1000;

/**
 * A writer for `key` that upserts into `candles` through `ctx` (run it inside `inTransaction` so that
 * a file is stored whole or not at all). SQLite uses prepared statements on the raw handle; PostgreSQL
 * multi-row parameterised inserts.
 * @example const w = createCandleWriter(ctx, key); await w.write(batch)
 */
export function createCandleWriter(ctx: SqlContext, key: SeriesKey): CandleWriter {
  return ctx.sqlite ? sqliteWriter(ctx.sqlite, key) : postgresWriter(ctx, key);
}

function sqliteWriter(sqlite: NonNullable<SqlContext["sqlite"]>, key: SeriesKey): CandleWriter {
  // The series key goes into the statement as quoted literals, prepared once per import, instead of
  // being bound three times per row: binding strings is most of the per-row cost (~1.15M vs ~0.9M rows/s).
  const head = [key.exchange, key.symbol, key.timeframe].map(sqliteLiteral).join(", ");
  const tuple = `(${head}, ?, ?, ?, ?, ?, ?)`;
  const many = sqlite.prepare(INSERT + Array.from({ length: SQLITE_ROWS }, () => tuple).join(", ") + UPSERT);
  const one = sqlite.prepare(INSERT + tuple + UPSERT);
  const params: number[] = new Array(SQLITE_ROWS * 6);
  const single: number[] = new Array(6);
  return {
    async write(c) {
      const n = c.time.length;
      let i = 0;
      for (; i + SQLITE_ROWS <= n; i += SQLITE_ROWS) {
        fillValues(params, c, i, SQLITE_ROWS);
        many.run(params);
      }
      for (; i < n; i++) {
        fillValues(single, c, i, 1);
        one.run(single);
      }
    },
  };
}

/** A SQLite string literal: quotes doubled, which is SQLite's only escape; NUL cannot be quoted at all. */
function sqliteLiteral(text: string): string {
  if (text.includes("\0")) throw new Error(`series names cannot contain NUL: ${JSON.stringify(text)}`);
  return `'${text.replace(/'/g, "''")}'`;
}

function fillValues(params: number[], c: CandleColumns, start: number, rows: number): void {
  let p = 0;
  for (let i = start; i < start + rows; i++) {
    params[p++] = c.time[i] as number;
    params[p++] = c.open[i] as number;
    params[p++] = c.high[i] as number;
    params[p++] = c.low[i] as number;
    params[p++] = c.close[i] as number;
    params[p++] = c.volume[i] as number;
  }
}

function postgresWriter(ctx: SqlContext, key: SeriesKey): CandleWriter {
  const texts = new Map<number, string>();
  return {
    async write(c) {
      const n = c.time.length;
      for (let i = 0; i < n; i += POSTGRES_ROWS) {
        const rows = Math.min(POSTGRES_ROWS, n - i);
        let text = texts.get(rows);
        if (text === undefined) {
          let p = 0;
          text = postgresStatement(rows, () => `$${++p}`);
          texts.set(rows, text);
        }
        const params: unknown[] = new Array(rows * 9);
        fill(params, c, key, i, rows);
        await ctx.db.executeQuery(CompiledQuery.raw(text, params));
      }
    },
  };
}

function postgresStatement(rows: number, placeholder: () => string): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${Array.from({ length: 9 }, placeholder).join(", ")})`);
  return INSERT + tuples.join(", ") + UPSERT;
}

function fill(params: unknown[], c: CandleColumns, key: SeriesKey, start: number, rows: number): void {
  let p = 0;
  for (let i = start; i < start + rows; i++) {
    params[p++] = key.exchange;
    params[p++] = key.symbol;
    params[p++] = key.timeframe;
    params[p++] = c.time[i];
    params[p++] = c.open[i];
    params[p++] = c.high[i];
    params[p++] = c.low[i];
    params[p++] = c.close[i];
    params[p++] = c.volume[i];
  }
}
