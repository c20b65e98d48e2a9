const DAY_MS = 86_400_000;

/** Where the tracker resumes from after a restart (from the stored equity snapshots). */
export interface EquitySeed {
  readonly peak?: number;
  /** The last equity recorded, and when. */
  readonly last?: { readonly time: number; readonly equity: number };
}

/**
 * The two reference points of the drawdown and daily-loss limits, kept as equity is observed: the
 * highest equity seen, and the equity the UTC day started from (the last one seen before it began).
 * Fed on every candle, so a peak between two orders counts.
 * @example
 * const t = new EquityTracker();
 * t.observe(Date.UTC(2024, 0, 1, 23), 10_000); t.observe(Date.UTC(2024, 0, 2, 1), 9_500);
 * t.dayStartAt(Date.UTC(2024, 0, 2, 2), 9_400) // 10_000
 */
export class EquityTracker {
  private peakValue = Number.NEGATIVE_INFINITY;
  private day = Number.NaN;
  /** The current day's bounds [dayFrom, dayTo) in ms: a time inside them is that day without a division. */
  private dayFrom = Number.NaN;
  private dayTo = Number.NaN;
  private dayStart = Number.NaN;
  // The last equity as a number field with a flag beside it, never `number | undefined`: a field that
  // started as undefined holds each new double in a fresh heap box, one allocation per candle; a
  // field that always held a number is overwritten in place.
  private last = Number.NaN;
  private hasLast = false;

  constructor(seed: EquitySeed = {}) {
    if (seed.peak !== undefined) this.peakValue = seed.peak;
    if (seed.last) {
      this.enter(Math.floor(seed.last.time / DAY_MS));
      this.dayStart = seed.last.equity;
      this.last = seed.last.equity;
      this.hasLast = true;
    }
  }

  /** Called on every candle of a backtest, so the day is found by a comparison, not a division. */
  observe(time: number, equity: number): void {
    if (!(time >= this.dayFrom && time < this.dayTo)) {
      const day = Math.floor(time / DAY_MS);
      if (day !== this.day) {
        this.dayStart = this.hasLast ? this.last : equity;
        this.enter(day);
      }
    }
    this.last = equity;
    this.hasLast = true;
    if (equity > this.peakValue) this.peakValue = equity;
  }

  private enter(day: number): void {
    this.day = day;
    this.dayFrom = day * DAY_MS;
    this.dayTo = (day + 1) * DAY_MS;
  }

  /** Highest equity seen, the current one included. */
  peak(equityNow: number): number {
    return Math.max(this.peakValue, equityNow);
  }

  /** Equity at 00:00 UTC of the day of `time`: the last equity seen before the day began. */
  dayStartAt(time: number, equityNow: number): number {
    if (Math.floor(time / DAY_MS) !== this.day) return this.hasLast ? this.last : equityNow;
    return this.dayStart;
  }
}
