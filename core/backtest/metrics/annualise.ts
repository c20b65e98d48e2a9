import { type Timeframe, timeframeMs } from "../../domain/index.ts";

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/**
 * How many candles of `timeframe` make a year, for annualising.
 *
 * - 365 days (the default): markets that trade around the clock, as crypto does; `365 × 1 day / step`
 *   (8,760 for 1h, 365 for 1d, 365/7 for 1w).
 * - 252 days: exchange-traded markets. Their intraday candles cover only the session (a 1h stock series
 *   has about 7 a day, not 24), so the candles per day are counted from the data: `252 × candles / days
 *   with a candle`. Weekly candles are 52 a year.
 *
 * @example periodsPerYear("1h") // 8760
 * @example periodsPerYear("1d", { daysPerYear: 252, times: [...] }) // 252
 */
export function periodsPerYear(
  timeframe: Timeframe,
  options: { readonly daysPerYear?: 365 | 252; readonly times?: ArrayLike<number> } = {},
): number {
  const step = timeframeMs(timeframe);
  if ((options.daysPerYear ?? 365) === 365) return (365 * DAY) / step;
  if (step >= WEEK) return 52;
  const times = options.times;
  if (!times || times.length === 0) return (252 * DAY) / step;
  return 252 * (times.length / countDays(times));
}

/** Distinct UTC days among sorted times. */
function countDays(times: ArrayLike<number>): number {
  let days = 0;
  let current = Number.NaN;
  for (let i = 0; i < times.length; i++) {
    const day = Math.floor((times[i] as number) / DAY);
    if (day !== current) {
      days++;
      current = day;
    }
  }
  return days;
}
