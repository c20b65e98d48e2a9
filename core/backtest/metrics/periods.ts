import type { PeriodBreakdowns, PeriodReturn } from "./types.ts";

const DAY = 86_400_000;
const WEEK = 7 * DAY;
// 1970-01-01 was a Thursday; ISO weeks start on Monday, four days later.
const MONDAY = 4 * DAY;

/** How a calendar period is found for a time and named. */
interface Calendar {
  /** Where the period holding `time` ends (exclusive). */
  end(time: number): number;
  label(time: number): string;
}

const day: Calendar = {
  end: (time) => (Math.floor(time / DAY) + 1) * DAY,
  label: (time) => new Date(time).toISOString().slice(0, 10),
};

const week: Calendar = {
  end: (time) => Math.floor((time - MONDAY) / WEEK) * WEEK + MONDAY + WEEK,
  label: isoWeek,
};

const month: Calendar = {
  end: (time) => {
    const date = new Date(time);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  },
  label: (time) => new Date(time).toISOString().slice(0, 7),
};

/**
 * The ISO 8601 week (UTC) holding `time`: weeks start on Monday, and week 1 is the one with the year's
 * first Thursday, so 2021-01-01 (a Friday) is in 2020-W53.
 * @example isoWeek(Date.UTC(2024, 0, 1)) // "2024-W01"
 */
export function isoWeek(time: number): string {
  const monday = Math.floor((time - MONDAY) / WEEK) * WEEK + MONDAY;
  const thursday = new Date(monday + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const number = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK) + 1;
  return `${year}-W${String(number).padStart(2, "0")}`;
}

/**
 * Equity returns per UTC day, ISO week and month. A period runs from the equity at the end of the
 * previous one (the starting cash for the first) to its own last point; trades count where they closed.
 * @example breakdowns(100, [t0, t0 + DAY], [110, 99], []).day.map((p) => p.return) // [0.1, -0.1]
 */
export function breakdowns(
  start: number,
  times: ArrayLike<number>,
  equity: ArrayLike<number>,
  exitTimes: readonly number[],
): PeriodBreakdowns {
  return {
    day: breakdown(day, start, times, equity, exitTimes),
    week: breakdown(week, start, times, equity, exitTimes),
    month: breakdown(month, start, times, equity, exitTimes),
  };
}

function breakdown(
  calendar: Calendar,
  start: number,
  times: ArrayLike<number>,
  equity: ArrayLike<number>,
  exitTimes: readonly number[],
): PeriodReturn[] {
  const out: PeriodReturn[] = [];
  const exits = [...exitTimes].sort((a, b) => a - b);
  let e = 0;
  let startEquity = start;
  let i = 0;
  while (i < times.length) {
    const first = times[i] as number;
    // One Date per period, not per point: a million 1m candles make about 700 days.
    const end = calendar.end(first);
    let j = i;
    while (j + 1 < times.length && (times[j + 1] as number) < end) j++;
    const last = times[j] as number;
    const endEquity = equity[j] as number;
    let trades = 0;
    // The last period takes any exit stamped after the last candle (the close of the final bar).
    const until = j + 1 < times.length ? end : Number.POSITIVE_INFINITY;
    while (e < exits.length && (exits[e] as number) < until) {
      trades++;
      e++;
    }
    out.push({
      period: calendar.label(first),
      first,
      last,
      startEquity,
      endEquity,
      pnl: endEquity - startEquity,
      return: startEquity > 0 ? endEquity / startEquity - 1 : 0,
      trades,
    });
    startEquity = endEquity;
    i = j + 1;
  }
  return out;
}
