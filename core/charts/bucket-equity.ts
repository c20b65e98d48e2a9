import type { TimeValue } from "./series.ts";

/**
 * Equity and drawdown on the bars of a category axis (`times`: each bar's open time, in order): per bar the
 * last equity known before the next bar opens, and the deepest drawdown reached within the bar, so that
 * aggregated bars still show the worst dip. Bars before the first equity point get null (no line).
 * @example bucketEquity([0, 10], [{ time: 0, value: 100 }, { time: 5, value: 80 }, { time: 12, value: 90 }], dd)
 * // { equity: [80, 90], drawdown: [-20, -10] }
 */
export function bucketEquity(
  times: readonly number[],
  equity: readonly TimeValue[],
  drawdown: readonly TimeValue[],
): { equity: (number | null)[]; drawdown: (number | null)[] } {
  const outEquity: (number | null)[] = [];
  const outDrawdown: (number | null)[] = [];
  let j = 0;
  let value: number | null = null;
  let dd: number | null = null;
  for (let b = 0; b < times.length; b++) {
    const end = b + 1 < times.length ? (times[b + 1] as number) : Number.POSITIVE_INFINITY;
    let deepest: number | null = null;
    for (; j < equity.length && (equity[j] as TimeValue).time < end; j++) {
      value = (equity[j] as TimeValue).value;
      dd = (drawdown[j] as TimeValue).value;
      deepest = deepest === null ? dd : Math.min(deepest, dd);
    }
    outEquity.push(value);
    outDrawdown.push(deepest ?? dd);
  }
  return { equity: outEquity, drawdown: outDrawdown };
}
