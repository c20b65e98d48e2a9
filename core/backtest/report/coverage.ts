import { timeframeMs } from "../../domain/index.ts";
import { stepColumns } from "../step-columns.ts";
import type { BacktestRun } from "../types.ts";
import { formatTime } from "./format.ts";

const WEEK_MS = 7 * 86_400_000;

/**
 * Where a run had no candles inside the range it asked for: before the first stored candle, after the
 * last, and the longest hole in between. A backtest runs on whatever is stored there, so a range that
 * is mostly missing would otherwise pass for a full one. A stretch of a week or of ten candles at most
 * (a weekend, a holiday, a market's closed hours) is not worth saying. Undefined when nothing is.
 * @example coverageNote(run) // "none stored from 2023-01-01 00:00 to 2023-03-16 22:15"
 */
export function coverageNote(run: BacktestRun): string | undefined {
  const { from, to, timeframe } = run.settings;
  const { first, last, candles } = run.data;
  if (candles === 0) return undefined;
  const step = timeframeMs(timeframe);
  const least = Math.max(WEEK_MS, 10 * step);
  const notes: string[] = [];
  if (from !== undefined && first - from > least) notes.push(noneStored(from, first));
  const inside = holes(stepColumns(run).time, step, least);
  if (inside.longest) {
    const more = inside.count > 1 ? `, the longest of ${inside.count}` : "";
    notes.push(
      `${noneStored(inside.longest.from, inside.longest.to)} (a hole in the series${more}: quantchat candles --gaps)`,
    );
  }
  if (to !== undefined && to - (last + step) > least) notes.push(noneStored(last + step, to));
  return notes.length > 0 ? notes.join("; ") : undefined;
}

function noneStored(from: number, to: number): string {
  return `none stored from ${formatTime(from)} to ${formatTime(to)}`;
}

/**
 * The stretches without a step longer than `least` ms: how many, and the longest, from the open after
 * the candle before it to the first candle after it.
 */
function holes(
  times: Float64Array,
  step: number,
  least: number,
): { count: number; longest?: { from: number; to: number } } {
  let longest: { from: number; to: number } | undefined;
  let count = 0;
  for (let i = 1; i < times.length; i++) {
    const from = (times[i - 1] as number) + step;
    const to = times[i] as number;
    if (!(to - from > least)) continue;
    count++;
    if (!longest || to - from > longest.to - longest.from) longest = { from, to };
  }
  return longest ? { count, longest } : { count };
}
