import type { BacktestTrade } from "../types.ts";

/**
 * Share of candles during which some position was open: candle i counts when a trade has
 * entryTime <= time[i] < exitTime (a trade still open at the end has no exit and counts to the end).
 * Overlapping trades (several symbols) count the candle once.
 * @example exposure([0, 1, 2, 3], [{ entryTime: 1, exitTime: 3, ... }]) // 0.5
 */
export function exposure(times: ArrayLike<number>, trades: readonly BacktestTrade[]): number {
  const n = times.length;
  if (n === 0 || trades.length === 0) return 0;
  const intervals = trades
    .map((t) => [t.entryTime, t.exitTime ?? Number.POSITIVE_INFINITY] as const)
    .sort((a, b) => a[0] - b[0]);
  // Merge overlapping intervals, then walk the sorted times and intervals together: O(n + k log k).
  const merged: [number, number][] = [];
  for (const [start, end] of intervals) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  let held = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const time = times[i] as number;
    while (k < merged.length && (merged[k] as [number, number])[1] <= time) k++;
    const interval = merged[k];
    if (interval && interval[0] <= time) held++;
  }
  return held / n;
}
