import type { Fill } from "../domain/index.ts";
import { runFromColumns, stepColumns } from "./step-columns.ts";
import type { BacktestRun } from "./types.ts";

/** A fill as a tuple, in Fill's key order: the keys are most of a fill's JSON. */
type FillRow = [string, string, string, string, string, Fill["side"], number, number, number, string, number];

/**
 * How a run's bulk is stored (backtest_results.result_json): the per-step columns in base64 (exact to
 * the bit, NaN included, about 11 characters a number instead of 18 to 20 as JSON text), fills as
 * tuples. Settings and plugin are not repeated: they have columns of their own.
 */
export interface CompactRun {
  readonly v: 1;
  readonly data: BacktestRun["data"];
  readonly fills: readonly FillRow[];
  readonly trades: BacktestRun["trades"];
  readonly time: string;
  readonly equity: string;
  readonly cash: string;
  readonly close: string;
  readonly verdicts: BacktestRun["verdicts"];
  readonly openAtEnd: BacktestRun["openAtEnd"];
}

/**
 * The stored form of a run.
 * @example JSON.stringify(compactRun(run)).length // well under JSON.stringify(run).length
 */
export function compactRun(run: BacktestRun): CompactRun {
  const c = stepColumns(run);
  return {
    v: 1,
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
    time: base64(c.time),
    equity: base64(c.equity),
    cash: base64(c.cash),
    close: base64(c.close),
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
    { time: numbers(c.time), equity: numbers(c.equity), cash: numbers(c.cash), close: numbers(c.close) },
  );
}

function base64(column: Float64Array): string {
  return Buffer.from(column.buffer, column.byteOffset, column.byteLength).toString("base64");
}

function numbers(text: string): Float64Array {
  const bytes = Buffer.from(text, "base64");
  // Copied into a fresh buffer: Float64Array needs 8-byte alignment, which a Buffer slice may lack.
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
