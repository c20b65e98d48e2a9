/**
 * Wilder's true range: the bar's range widened to include a gap from the previous close.
 *
 * @example
 * trueRange(105, 100, 95); // 10: the gap up from 95 counts
 */
export function trueRange(high: number, low: number, previousClose: number): number {
  return Math.max(high - low, Math.abs(high - previousClose), Math.abs(low - previousClose));
}
