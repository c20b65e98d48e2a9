import type { Candle } from "../domain/candle.ts";
import type { EmittedTarget } from "./targets.ts";
import { candleAt, type Timeline } from "./timeline.ts";

/**
 * Live and paper targets of an onCandles plugin: each numbered as the runner counts live steps and tied
 * to the candle its orders refer to (its symbol's candle of that step, or the latest before it, which a
 * multi-symbol step with a gap needs), since a live step's one-step timeline is gone by the time the
 * caller resolves the target.
 * @example const t = live.number(target, stepTimeline, 7); live.remember(stepTimeline); live.candleOf(t)
 */
export class LiveTargets {
  private readonly candles = new WeakMap<EmittedTarget, Candle>();
  private readonly latest = new Map<string, Candle>();

  /** The target of a one-step timeline, as live step `step`. */
  number(t: EmittedTarget, stepTimeline: Timeline, step: number): EmittedTarget {
    const numbered = { target: t.target, step };
    const s = stepTimeline.symbols.indexOf(t.target.symbol);
    const candle = candleAt(stepTimeline, s, 0) ?? this.latest.get(t.target.symbol);
    if (candle) this.candles.set(numbered, candle);
    return numbered;
  }

  /** A live step ran: its candles are the latest of their symbols. */
  remember(stepTimeline: Timeline): void {
    stepTimeline.symbols.forEach((symbol, s) => {
      const candle = candleAt(stepTimeline, s, 0);
      if (candle) this.latest.set(symbol, candle);
    });
  }

  /** True when a live candle of `symbol` arrived before. */
  seen(symbol: string): boolean {
    return this.latest.has(symbol);
  }

  /** The candle of a target numbered here, or the latest live candle of its symbol. */
  candleOf(t: EmittedTarget): Candle | undefined {
    return this.candles.get(t) ?? this.latest.get(t.target.symbol);
  }
}
