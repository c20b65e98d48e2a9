import type { Fill } from "../domain/index.ts";
import { runFromColumns, type StepColumns, stepColumns } from "./step-columns.ts";
import { decodeColumn } from "./step-decoding.ts";
import { type EncodedColumn, encodeColumn } from "./step-encoding.ts";
import type { BacktestRun } from "./types.ts";

/** A fill as a tuple, in Fill's key order: the keys are most of a fill's JSON. */
type FillRow = [string, string, string, string, string, Fill["side"], number, number, number, string, number];

/**
 * How a run's bulk is stored (backtest_results.result_json): the per-step columns encoded
 * (step-encoding.ts: repeats, steps and decimal deltas, exact to the bit), each of its arrays in base64,
 * fills as tuples. Settings and plugin are not repeated: they have columns of their own. A million
 * steps of sma-cross are about 9.5 MB of text instead of 43 in v1, which kept each column's raw bytes.
 */
export type CompactRun = CompactRunV1 | CompactRunV2;

interface CompactBody {
  readonly data: BacktestRun["data"];
  readonly fills: readonly FillRow[];
  readonly trades: BacktestRun["trades"];
  readonly verdicts: BacktestRun["verdicts"];
  readonly openAtEnd: BacktestRun["openAtEnd"];
}

/** Rows stored before the columns were encoded: each one's raw Float64 bytes in base64. Still read. */
export interface CompactRunV1 extends CompactBody, Record<keyof StepColumns, string> {
  readonly v: 1;
}

export interface CompactRunV2 extends CompactBody, Record<keyof StepColumns, StoredColumn> {
  readonly v: 2;
}

/** An EncodedColumn as JSON: its arrays' bytes in base64. */
export interface StoredColumn {
  readonly length: number;
  readonly decimals: number;
  readonly ops: string;
  readonly values: string;
  readonly deltas: string;
  /** Bytes a delta: 2 (Int16Array) or 4 (Int32Array). */
  readonly deltaBytes: 2 | 4;
}

/**
 * The stored form of a run.
 * @example JSON.stringify(compactRun(run)).length // well under JSON.stringify(run).length
 */
export function compactRun(run: BacktestRun): CompactRunV2 {
  const c = stepColumns(run);
  return {
    v: 2,
    data: run.data,
    fills: run.fills.map((f) => [
      f.id,
      f.clientOrderId,
      f.accountId,
      f.strategyId,
      f.symbol,
      f.side,
      f.amount,
      f.price,
      f.fee,
      f.feeCurrency,
      f.time,
    ]),
    trades: run.trades,
    time: storedColumn(c.time),
    equity: storedColumn(c.equity),
    cash: storedColumn(c.cash),
    close: storedColumn(c.close),
    verdicts: run.verdicts,
    openAtEnd: run.openAtEnd,
  };
}

/**
 * A stored run back, with the fields stored elsewhere; the same object, key for key, as was saved.
 * @example expandRun(JSON.parse(row.result_json), { id, settings, plugin })
 */
export function expandRun(c: CompactRun, head: Pick<BacktestRun, "id" | "settings" | "plugin">): BacktestRun {
  return runFromColumns(
    {
      ...head,
      data: c.data,
      fills: c.fills.map(
        ([id, clientOrderId, accountId, strategyId, symbol, side, amount, price, fee, feeCurrency, time]) => ({
          id,
          clientOrderId,
          accountId,
          strategyId,
          symbol,
          side,
          amount,
          price,
          fee,
          feeCurrency,
          time,
        }),
      ),
      trades: c.trades,
      verdicts: c.verdicts,
      openAtEnd: c.openAtEnd,
    },
    c.v === 1 ? rawColumns(c) : decodedColumns(c),
  );
}

function rawColumns(c: CompactRunV1): StepColumns {
  return { time: numbers(c.time), equity: numbers(c.equity), cash: numbers(c.cash), close: numbers(c.close) };
}

/** The columns of a v2 row; a row whose columns do not decode whole, or not to one length, is refused. */
function decodedColumns(c: CompactRunV2): StepColumns {
  const columns = {
    time: decodeColumn(encodedColumn(c.time)),
    equity: decodeColumn(encodedColumn(c.equity)),
    cash: decodeColumn(encodedColumn(c.cash)),
    close: decodeColumn(encodedColumn(c.close)),
  };
  const n = columns.time.length;
  if (columns.equity.length !== n || columns.cash.length !== n || columns.close.length !== n) {
    throw new Error("a stored run whose step columns are not of one length");
  }
  return columns;
}

function storedColumn(column: Float64Array): StoredColumn {
  const { length, decimals, ops, values, deltas } = encodeColumn(column);
  const deltaBytes = deltas instanceof Int16Array ? 2 : 4;
  return { length, decimals, ops: base64(ops), values: base64(values), deltas: base64(deltas), deltaBytes };
}

/** A stored column's arrays back (a base64 text of a length no array has gives a short array: refused). */
function encodedColumn(c: StoredColumn): EncodedColumn {
  return {
    length: c.length,
    decimals: c.decimals,
    ops: typed(c.ops, Uint32Array),
    values: typed(c.values, Float64Array),
    deltas: c.deltaBytes === 2 ? typed(c.deltas, Int16Array) : typed(c.deltas, Int32Array),
  };
}

function base64(column: Float64Array | Uint32Array | Int16Array | Int32Array): string {
  return Buffer.from(column.buffer, column.byteOffset, column.byteLength).toString("base64");
}

function numbers(text: string): Float64Array {
  return typed(text, Float64Array);
}

type TypedArrayOf<T> = { new (length: number): T; readonly BYTES_PER_ELEMENT: number };

/** The array whose bytes `text` holds in base64; throws when they are not a whole number of entries. */
function typed<T extends Float64Array | Uint32Array | Int16Array | Int32Array>(text: string, Kind: TypedArrayOf<T>): T {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % Kind.BYTES_PER_ELEMENT !== 0) throw new Error(`a stored column of ${bytes.length} bytes`);
  // Copied into a fresh buffer: a typed array needs its entries aligned, which a Buffer slice may lack.
  const out = new Kind(bytes.length / Kind.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
