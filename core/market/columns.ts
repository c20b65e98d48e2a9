import type { CandleColumns } from "../domain/index.ts";

/** A time range of candle open times: `from` inclusive, `to` exclusive, both epoch ms; either may be left out. */
export interface CandleRange {
  readonly from?: number;
  readonly to?: number;
}

const FIELDS = ["time", "open", "high", "low", "close", "volume"] as const;

/**
 * Columns of `length` zeroed candles, to be filled in place.
 * @example const c = allocateColumns(3); c.close[0] = 101.5
 */
export function allocateColumns(length: number): CandleColumns {
  return {
    time: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

/** The number of candles in `columns`. @example columnsLength(allocateColumns(3)) // 3 */
export function columnsLength(columns: CandleColumns): number {
  return columns.time.length;
}

/**
 * Candles `start` (inclusive) to `end` (exclusive) as views over the same memory: no copy, so slicing a
 * million-candle cache costs nothing.
 * @example subColumns(all, 10, 20).time.length // 10
 */
export function subColumns(columns: CandleColumns, start: number, end: number): CandleColumns {
  return {
    time: columns.time.subarray(start, end),
    open: columns.open.subarray(start, end),
    high: columns.high.subarray(start, end),
    low: columns.low.subarray(start, end),
    close: columns.close.subarray(start, end),
    volume: columns.volume.subarray(start, end),
  };
}

/**
 * The candles of `columns` (sorted by time) whose open time lies in `range`, found by binary search and
 * returned as views.
 * @example sliceRange(all, { from: Date.UTC(2024, 0, 1) }) // every candle from 2024 on
 */
export function sliceRange(columns: CandleColumns, range: CandleRange): CandleColumns {
  const [start, end] = rangeBounds(columns, range);
  if (start === 0 && end === columns.time.length) return columns;
  return subColumns(columns, start, end);
}

/**
 * The indexes [start, end) of the candles of `columns` (sorted by time) whose open time lies in `range`.
 * @example rangeBounds(all, { from: all.time[10] }) // [10, all.time.length]
 */
export function rangeBounds(columns: CandleColumns, range: CandleRange): [start: number, end: number] {
  const n = columns.time.length;
  const start = range.from === undefined ? 0 : lowerBound(columns.time, range.from);
  const end = range.to === undefined ? n : lowerBound(columns.time, range.to);
  return [start, Math.max(start, end)];
}

/** Index of the first element >= `value` in a sorted array (its length when there is none). */
export function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Columns that grow as candles are appended, for readers that do not know the count up front
 * (a streamed CSV file). `view()` returns the filled part without copying.
 * @example const b = new ColumnBuilder(); b.push(t, o, h, l, c, v); b.view().time.length // 1
 */
export class ColumnBuilder {
  length = 0;
  private cols: CandleColumns;

  constructor(capacity = 4096) {
    this.cols = allocateColumns(capacity);
  }

  push(time: number, open: number, high: number, low: number, close: number, volume: number): void {
    if (this.length === this.cols.time.length) this.grow();
    const i = this.length++;
    this.cols.time[i] = time;
    this.cols.open[i] = open;
    this.cols.high[i] = high;
    this.cols.low[i] = low;
    this.cols.close[i] = close;
    this.cols.volume[i] = volume;
  }

  /** Forgets the candles but keeps the memory, so a streaming reader reuses one buffer per chunk. */
  clear(): void {
    this.length = 0;
  }

  view(): CandleColumns {
    return subColumns(this.cols, 0, this.length);
  }

  private grow(): void {
    const next = allocateColumns(Math.max(16, this.cols.time.length * 2));
    for (const f of FIELDS) next[f].set(this.cols[f]);
    this.cols = next;
  }
}
