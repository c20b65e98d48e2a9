import type { Fill } from "../domain/index.ts";
import { runFromColumns, type StepColumns, stepColumns } from "./step-columns.ts";
import type { BacktestRun, BacktestTrade } from "./types.ts";
import { numbersProblem } from "./wire-columns.ts";
import { type FillColumns, fillColumns, fillColumnsProblem, fillsOf } from "./wire-fills.ts";
import { type TradeColumns, tradeColumns, tradeColumnsProblem, tradesOf } from "./wire-trades.ts";

/**
 * A run as a backtest child sends it over IPC (a structured clone): the per-step series, the fills and
 * the trades as columns, a few dozen typed arrays and strings that the clone copies whole, in place of
 * two million step objects and 60 000 fills and trades that it would walk key by key on both sides.
 */
export interface WireRun extends StepColumns {
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
  return { head, fills, trades, time, equity, cash, close };
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
    // The step columns alone: the run keeps what it is built from, and the fill columns are spent.
    { time: w.time, equity: w.equity, cash: w.cash, close: w.close },
  );
}

/**
 * What is wrong with a WireRun from a child (which runs a plugin), or undefined: every column of its
 * type and length, every index and cut inside its table or text, so that fromWire reads it whole.
 * @example wireProblem(toWire(run)) // undefined
 */
export function wireProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "not an object";
  const w = value as Record<string, unknown>;
  if (typeof w.head !== "object" || w.head === null) return "no head";
  const steps = w.time instanceof Float64Array ? w.time.length : -1;
  for (const key of ["time", "equity", "cash", "close"]) {
    const problem = numbersProblem(w[key], steps);
    if (problem) return `${key}: ${problem}`;
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
