/**
 * The database as Kysely sees it: one interface per table, times as integer epoch milliseconds so the
 * same migrations and queries run on SQLite and PostgreSQL.
 */
export interface Database {
  candles: CandlesTable;
}

export interface CandlesTable {
  exchange: string;
  symbol: string;
  timeframe: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}
