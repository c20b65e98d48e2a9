/**
 * Argument checks shared by the constructors. A plugin passes whatever it likes, so a bad period fails loudly
 * at construction instead of producing NaN forever.
 *
 * @example
 * const period = checkPeriod("Sma", "period", 20); // 20
 */
export function checkPeriod(indicator: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_PERIOD) {
    throw new RangeError(`${indicator}: ${name} must be an integer from 1 to ${MAX_PERIOD}, got ${String(value)}`);
  }
  return value;
}

/**
 * A positive finite number, such as a band multiplier or a SAR step.
 *
 * @example
 * checkPositive("Bollinger", "multiplier", 2); // 2
 */
export function checkPositive(indicator: string, name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${indicator}: ${name} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

/** Buffers are preallocated per period; this keeps a hostile or mistaken period from allocating gigabytes. */
export const MAX_PERIOD = 100_000;

/**
 * Running sums (SMA, WMA) drift as rounding errors accumulate over millions of add/subtract pairs. Every
 * `RESUM_WINDOWS` full windows they are recomputed from the ring buffer: O(period) work every
 * RESUM_WINDOWS * period updates, so 1/RESUM_WINDOWS extra additions per update whatever the period, and
 * the drift stays a few ulps of the sum.
 */
export const RESUM_WINDOWS = 64;
