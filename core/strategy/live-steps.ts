import type { Candle } from "../domain/candle.ts";
import type { Timeline } from "./timeline.ts";

/**
 * Collects live candles of a multi-symbol instance into complete time steps. A step is complete when
 * every symbol has its candle, or when a later candle of any symbol arrived (the missing ones are gaps).
 * Candles at or before the last released step are ignored: a feed may repeat itself after a reconnect.
 * @example const steps = new LiveSteps(["BTC/USDT"]); steps.add("BTC/USDT", candle) // [timeline of one step]
 */
export class LiveSteps {
  private readonly pending = new Map<number, Map<string, Candle>>();
  private released = Number.NEGATIVE_INFINITY;

  constructor(private readonly symbols: readonly string[]) {}

  /** Time of the last step handed out. */
  get lastTime(): number {
    return this.released;
  }

  /** Adds a candle; returns the steps it completed, oldest first, each as a one-step timeline. */
  add(symbol: string, candle: Candle): Timeline[] {
    if (!this.symbols.includes(symbol)) throw new Error(`${symbol} is not traded by this instance`);
    if (candle.time <= this.released) return [];
    let step = this.pending.get(candle.time);
    if (!step) {
      step = new Map();
      this.pending.set(candle.time, step);
    }
    step.set(symbol, candle);
    const times = [...this.pending.keys()].sort((a, b) => a - b);
    const newest = times[times.length - 1] as number;
    const out: Timeline[] = [];
    for (const time of times) {
      const candles = this.pending.get(time) as Map<string, Candle>;
      if (candles.size < this.symbols.length && time === newest) break;
      this.pending.delete(time);
      this.released = time;
      out.push(this.stepTimeline(time, candles));
    }
    return out;
  }

  private stepTimeline(time: number, candles: Map<string, Candle>): Timeline {
    const one = (value: number | undefined) => Float64Array.of(value ?? Number.NaN);
    const t = Float64Array.of(time);
    return {
      symbols: this.symbols,
      length: 1,
      time: t,
      columns: this.symbols.map((symbol) => {
        const c = candles.get(symbol);
        return {
          time: t,
          open: one(c?.open),
          high: one(c?.high),
          low: one(c?.low),
          close: one(c?.close),
          volume: one(c?.volume),
        };
      }),
    };
  }
}
