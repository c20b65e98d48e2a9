import type { CandleColumns } from "../domain/index.ts";
import type { BacktestError } from "./errors.ts";
import type { BacktestInput } from "./input.ts";
import { type WireRun, wireProblem } from "./wire.ts";

/**
 * The request a backtest child gets. With `input.candleFiles` its candles are left out (`{}`): the
 * child reads them from the cache files, and asks for them (need-candles) only when it cannot.
 */
export interface RunRequest {
  readonly kind: "run";
  readonly input: BacktestInput;
  readonly ledger: "store" | "memory";
  /** With candles left out: what each symbol's rows must be (count, first and last open time). */
  readonly rows?: Readonly<Record<string, CandleRows>>;
}

/** How many candles a symbol's columns hold, and their first and last open times. */
export interface CandleRows {
  readonly count: number;
  readonly first: number;
  readonly last: number;
}

/**
 * `columns` summed up as CandleRows: what a child checks the rows it read against.
 * @example candleRows(columns) // { count: 1000, first: 1606780800000, last: 1607080500000 }
 */
export function candleRows(columns: CandleColumns): CandleRows {
  const count = columns.time.length;
  return {
    count,
    first: count > 0 ? (columns.time[0] as number) : Number.NaN,
    last: count > 0 ? (columns.time[count - 1] as number) : Number.NaN,
  };
}

/** The parent's answer to need-candles: the candles the run request left out. */
export interface CandlesReply {
  readonly kind: "candles";
  readonly candles: BacktestInput["candles"];
}

/** What a backtest child says: ready, progress now and then, then a result or an error, then it exits. */
export type ChildMessage =
  | { readonly kind: "ready" }
  /** The cache files no longer hold the candles the request pointed at (an import since): send them. */
  | { readonly kind: "need-candles"; readonly reason: string }
  | { readonly kind: "progress"; readonly done: number; readonly total: number }
  /** The run as columns (typed arrays and a few strings): cloned at memcpy speed, not object by object. */
  | { readonly kind: "result"; readonly run: WireRun }
  | { readonly kind: "error"; readonly errorKind: BacktestError["kind"]; readonly message: string };

const KINDS: readonly BacktestError["kind"][] = ["settings", "plugin", "data", "plugin-failed", "process"];

/**
 * A child's message, checked for shape before it is believed (the child runs a plugin), or undefined.
 * A result must hold `steps` steps when given (the count of the input sent: see wireProblem).
 * @example asChildMessage({ kind: "progress", done: 10, total: 100 }) // the same
 */
export function asChildMessage(value: unknown, steps?: number): ChildMessage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m.kind === "ready") return { kind: "ready" };
  if (m.kind === "need-candles" && typeof m.reason === "string") return { kind: "need-candles", reason: m.reason };
  if (m.kind === "progress" && typeof m.done === "number" && typeof m.total === "number") return m as ChildMessage;
  if (m.kind === "result" && wireProblem(m.run, steps) === undefined) return m as ChildMessage;
  if (m.kind === "error" && typeof m.message === "string" && KINDS.includes(m.errorKind as BacktestError["kind"])) {
    return m as ChildMessage;
  }
  return undefined;
}
