import { type CandleColumns, timeframeMs } from "../../domain/index.ts";
import { lowerBound } from "../../market/columns.ts";
import { mergeTimes } from "../../strategy/timeline.ts";
import type { BacktestInput } from "../input.ts";
import { stepColumns } from "../step-columns.ts";
import type { BacktestRun, BacktestSettings } from "../types.ts";
import { formatTime } from "./format.ts";

const WEEK_MS = 7 * 86_400_000;

/** A stretch of time without candles: `from` inclusive, `to` (the next candle's open, or the range's end) exclusive. */
export interface Stretch {
  readonly from: number;
  readonly to: number;
}

/** Where a run had no candles inside the range it asked for. */
export interface MissingData {
  /** From the range's start to the first candle. */
  readonly before?: Stretch;
  /** The longest hole between two candles, and how many holes there are. */
  readonly hole?: Stretch & { readonly count: number };
  /** From after the last candle to the range's end. */
  readonly after?: Stretch;
}

/**
 * Where a run had no candles inside the range it asked for: before the first stored candle, after the
 * last, and the longest hole in between. A backtest runs on whatever is stored there, so a range that
 * is mostly missing would otherwise pass for a full one. A stretch of a week or of ten candles at most
 * (a weekend, a holiday, a market's closed hours) is not worth saying. Undefined when nothing is.
 * @example missingData(run) // { before: { from: Date.UTC(2023, 0, 1), to: Date.UTC(2023, 2, 16, 22, 15) } }
 */
export function missingData(run: BacktestRun): MissingData | undefined {
  return run.data.candles === 0 ? undefined : missingIn(run.settings, stepColumns(run).time);
}

/** The candles a run of `input` will replay, and what its range lacks: what a sweep says once for all its runs. */
export interface ReplayedData {
  readonly first: number;
  readonly last: number;
  readonly candles: number;
  readonly missing?: MissingData;
}

/**
 * What missingData would say of every run of a prepared input, before any runs: a sweep's combinations
 * share their candles, so it is said once, above the ranking.
 * @example replayedData(input) // { first, last, candles: 4_321, missing: { before: { ... } } }
 */
export function replayedData(input: BacktestInput): ReplayedData {
  // The steps a run will replay: the symbols' times joined, their candles not needed.
  const whole = mergeTimes(input.symbols.map((symbol) => (input.candles[symbol] as CandleColumns).time));
  const times = whole.subarray(lowerBound(whole, input.start));
  if (times.length === 0) return { first: input.start, last: input.start, candles: 0 };
  const data = { first: times[0] as number, last: times[times.length - 1] as number, candles: times.length };
  const missing = missingIn(input.settings, times);
  return missing ? { ...data, missing } : data;
}

function missingIn(
  settings: Pick<BacktestSettings, "from" | "to" | "timeframe">,
  times: Float64Array,
): MissingData | undefined {
  const { from, to, timeframe } = settings;
  const first = times[0] as number;
  const last = times[times.length - 1] as number;
  const step = timeframeMs(timeframe);
  const least = Math.max(WEEK_MS, 10 * step);
  const before = from !== undefined && first - from > least ? { from, to: first } : undefined;
  const hole = longestHole(times, step, least);
  const after = to !== undefined && to - (last + step) > least ? { from: last + step, to } : undefined;
  if (!before && !hole && !after) return undefined;
  return { ...(before && { before }), ...(hole && { hole }), ...(after && { after }) };
}

/**
 * Missing stretches in a line of the text report.
 * @example coverageNote(missingData(run)) // "none stored from 2023-01-01 00:00 to 2023-03-16 22:15"
 */
export function coverageNote(missing: MissingData | undefined): string | undefined {
  if (!missing) return undefined;
  const { before, hole, after } = missing;
  const notes: string[] = [];
  if (before) notes.push(noneStored(before));
  if (hole) {
    const more = hole.count > 1 ? `, the longest of ${hole.count}` : "";
    notes.push(`${noneStored(hole)} (a hole in the series${more}: quantchat candles --gaps)`);
  }
  if (after) notes.push(noneStored(after));
  return notes.join("; ");
}

function noneStored(s: Stretch): string {
  return `none stored from ${formatTime(s.from)} to ${formatTime(s.to)}`;
}

/** The longest of the stretches between steps longer than `least` ms, and how many there are. */
function longestHole(times: Float64Array, step: number, least: number): (Stretch & { count: number }) | undefined {
  let longest: Stretch | undefined;
  let count = 0;
  for (let i = 1; i < times.length; i++) {
    const from = (times[i - 1] as number) + step;
    const to = times[i] as number;
    if (!(to - from > least)) continue;
    count++;
    if (!longest || to - from > longest.to - longest.from) longest = { from, to };
  }
  return longest && { ...longest, count };
}
