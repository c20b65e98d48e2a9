/**
 * Time as the engine sees it. Live and paper get the system clock, backtests a simulated one; nothing
 * outside an adapter reads Date.now() so that a backtest replays exactly.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock the backtester (or a test) moves by hand. */
export class SimulatedClock implements Clock {
  constructor(private time = 0) {}
  now(): number {
    return this.time;
  }
  set(time: number): void {
    if (time < this.time) throw new Error(`simulated clock cannot go back from ${this.time} to ${time}`);
    this.time = time;
  }
}
