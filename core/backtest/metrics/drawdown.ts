/** The deepest drawdown and the longest time under water of an equity series. */
export interface DrawdownStats {
  /** min over t of equity[t] / max(equity[..t]) - 1: a fraction <= 0. */
  readonly maxDrawdown: number;
  /** Longest peak-to-recovery time, ms; a drawdown not recovered by the end runs to the last point. */
  readonly maxDrawdownDuration: number;
}

/**
 * Drawdown statistics of `equity` (at `times`), which starts from `start` at `startTime` before its
 * first point. The running peak includes the start, so losing from the first candle counts.
 * @example drawdownStats(100, 0, [120, 90, 130], [1, 2, 3]) // { maxDrawdown: -0.25, maxDrawdownDuration: 2 }
 */
export function drawdownStats(
  start: number,
  startTime: number,
  equity: ArrayLike<number>,
  times: ArrayLike<number>,
): DrawdownStats {
  let peak = start;
  let peakTime = startTime;
  let maxDrawdown = 0;
  let longest = 0;
  let under = false;
  for (let i = 0; i < equity.length; i++) {
    const value = equity[i] as number;
    const time = times[i] as number;
    if (value >= peak) {
      // Back at (or above) the peak: the spell under water, if any, ends here.
      if (under) longest = Math.max(longest, time - peakTime);
      under = false;
      peak = value;
      peakTime = time;
      continue;
    }
    under = true;
    const drawdown = peak > 0 ? value / peak - 1 : 0;
    if (drawdown < maxDrawdown) maxDrawdown = drawdown;
  }
  const last = equity.length > 0 ? (times[equity.length - 1] as number) : startTime;
  if (under) longest = Math.max(longest, last - peakTime);
  return { maxDrawdown, maxDrawdownDuration: longest };
}
