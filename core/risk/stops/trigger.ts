import type { PositionSide, StopCandle } from "./types.ts";

/**
 * Where a protective stop at `level` fills within a candle, or undefined if the candle never reaches
 * it. A long's stop is reached when the low touches it; if the bar OPENED beyond it (a gap), the fill
 * is the open, which is worse than the stop: a stop order becomes a market order once triggered, and
 * assuming the stop price would flatter every backtest that gaps. Mirrored for a short.
 * @example stopFill("long", 95, { open: 100, high: 101, low: 94, close: 96 }) // 95
 * @example stopFill("long", 95, { open: 93, high: 96, low: 92, close: 94 }) // 93
 */
export function stopFill(side: PositionSide, level: number, candle: StopCandle): number | undefined {
  if (side === "long") {
    if (candle.open <= level) return candle.open;
    return candle.low <= level ? level : undefined;
  }
  if (candle.open >= level) return candle.open;
  return candle.high >= level ? level : undefined;
}

/**
 * Where a take-profit at `level` fills, or undefined. Always at the level, even when the bar opened
 * beyond it: a resting limit order may get a better price, but assuming it would be optimistic.
 * @example targetFill("long", 110, { open: 112, high: 115, low: 111, close: 114 }) // 110
 */
export function targetFill(side: PositionSide, level: number, candle: StopCandle): number | undefined {
  const reached = side === "long" ? candle.high >= level : candle.low <= level;
  return reached ? level : undefined;
}

/**
 * True when the candle opened at or beyond `level` in the target's direction, so the target was the
 * first price of the bar to be reached.
 * @example openedThrough("long", 110, { open: 112, ... }) // true
 */
export function openedThrough(side: PositionSide, level: number, candle: StopCandle): boolean {
  return side === "long" ? candle.open >= level : candle.open <= level;
}
