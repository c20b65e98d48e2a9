import type { Fill } from "../domain/index.ts";
import { runFromColumns, type StepColumns, stepColumns } from "./step-columns.ts";
import { decodeColumn, encodedColumnProblem } from "./step-decoding.ts";
import { type EncodedColumn, encodeColumn } from "./step-encoding.ts";
import type { BacktestRun, BacktestTrade } from "./types.ts";
import { type FillColumns, fillColumns, fillColumnsProblem, fillsOf } from "./wire-fills.ts";
import { type TradeColumns, tradeColumns, tradeColumnsProblem, tradesOf } from "./wire-trades.ts";

/**
 * A run as a backtest child sends it over IPC (a structured clone): the per-step series, the fills and
 * the trades as columns, a few dozen typed arrays and strings that the clone copies whole, in place of
 * two million step objects and 60 000 fills and trades that it would walk key by key on both sides.
 * The step columns go encoded (step-encoding.ts): a million steps are about 7 MB instead of 32.
 */
export interface WireRun extends Record<keyof StepColumns, EncodedColumn> {
  readonly head: Omit<BacktestRun, "equity" | "benchmark" | "fills" | "trades">;
  /** Columns; or the objects themselves when one of them is not shaped as the engine writes it. */
  readonly fills: FillColumns | readonly Fill[];
  readonly trades: TradeColumns | readonly BacktestTrade[];
}

/**
 * The run as a child sends it. Fills and trades go as columns when every one of them is a plain object
 * with the keys, key order and value types the engine writes, else as they are: the same JSON either way.
 * @example const wire = toWire(run); JSON.stringify(fromWire(structuredClone(wire))) === JSON.stringify(run) // true
 */
export function toWire(run: BacktestRun): WireRun {
  const { time, equity, cash, close } = stepColumns(run);
  const head = {
    ...(run.id !== undefined && { id: run.id }),
    settings: run.settings,
    plugin: run.plugin,
    data: run.data,
    verdicts: run.verdicts,
    openAtEnd: run.openAtEnd,
  };
  const fills = fillColumns(run.fills) ?? run.fills;
  const trades = tradeColumns(run.trades) ?? run.trades;
  return {
    head,
    fills,
    trades,
    time: encodeColumn(time),
    equity: encodeColumn(equity),
    cash: encodeColumn(cash),
    close: encodeColumn(close),
  };
}

/**
 * The run back (checked with wireProblem), its keys and those of every fill and trade in the order
 * buildRun writes them, so that its JSON is the child's byte for byte.
 * @example const run = fromWire(message.run); run.trades.length // 20141
 */
export function fromWire(w: WireRun): BacktestRun {
  const { head } = w;
  return runFromColumns(
    {
      ...(head.id !== undefined && { id: head.id }),
      settings: head.settings,
      plugin: head.plugin,
      data: head.data,
      fills: isList(w.fills) ? w.fills : fillsOf(w.fills),
      trades: isList(w.trades) ? w.trades : tradesOf(w.trades),
      verdicts: head.verdicts,
      openAtEnd: head.openAtEnd,
    },
    // Checked by wireProblem.
    {
      time: decodeColumn(w.time, true),
      equity: decodeColumn(w.equity, true),
      cash: decodeColumn(w.cash, true),
      close: decodeColumn(w.close, true),
    },
  );
}

/** The most steps a child's run may claim when the parent does not say how many it expects. */
export const MAX_WIRE_STEPS = 2 ** 26;

/**
 * What is wrong with a WireRun from a child (which runs a plugin), or undefined: every column of its
 * type and length, every run of a step column inside its column, every index and cut inside its table
 * or text, so that fromWire reads it whole. `steps`, the count the parent asked for, is what every step
 * column must hold; without it, the time column's count, up to MAX_WIRE_STEPS (a few bytes of runs can
 * claim any count, and the parent would allocate it).
 * @example wireProblem(toWire(run), run.data.candles) // undefined
 */
export function wireProblem(value: unknown, steps?: number): string | undefined {
  if (typeof value !== "object" || value === null) return "not an object";
  const w = value as Record<string, unknown>;
  if (typeof w.head !== "object" || w.head === null) return "no head";
  const time = encodedColumnProblem(w.time, steps ?? MAX_WIRE_STEPS);
  if (time) return `time: ${time}`;
  const expected = steps ?? (w.time as EncodedColumn).length;
  for (const key of ["time", "equity", "cash", "close"]) {
    const problem = key === "time" ? undefined : encodedColumnProblem(w[key], expected);
    if (problem) return `${key}: ${problem}`;
    const { length } = w[key] as EncodedColumn;
    if (length !== expected) return `${key}: ${length} values, not the ${expected} steps`;
  }
  const fills = Array.isArray(w.fills) ? undefined : fillColumnsProblem(w.fills);
  if (fills) return `fills: ${fills}`;
  const trades = Array.isArray(w.trades) ? undefined : tradeColumnsProblem(w.trades);
  return trades && `trades: ${trades}`;
}

/** Array.isArray, which does not narrow a union with a readonly array. */
function isList(value: object): value is readonly unknown[] {
  return Array.isArray(value);
}
