import type { Candle, Side } from "../../domain/index.ts";
import { roundPrice } from "../../risk/precision.ts";

/** Fees as exchanges publish them, in percent of the notional: 0.1 = 0.1%. */
export interface PaperFees {
  readonly maker: number;
  readonly taker: number;
}

/**
 * Where a market order fills: the last price moved against the taker by the slippage, rounded to
 * the tick (an exchange never prints a price off its tick).
 * @example marketFillPrice("buy", 100, 10, 0.01) // 100.1
 * @example marketFillPrice("sell", 100, 10, 0.01) // 99.9
 */
export function marketFillPrice(side: Side, last: number, slippageBps: number, tick: number): number {
  const factor = side === "buy" ? 1 + slippageBps / 10_000 : 1 - slippageBps / 10_000;
  return roundPrice(last * factor, tick);
}

/**
 * True when a candle traded through a resting limit: a buy's limit at or above the low, a sell's at
 * or below the high. Touching counts, as it does on the risk side's stop triggers.
 * @example limitCrossed("buy", 99, { low: 98.5, high: 101 }) // true
 */
export function limitCrossed(side: Side, limit: number, candle: Pick<Candle, "low" | "high">): boolean {
  return side === "buy" ? candle.low <= limit : candle.high >= limit;
}

/**
 * True when a limit order would trade at once against the last price: it takes liquidity, like a
 * market order, and pays the taker fee.
 * @example isMarketable("buy", 101, 100) // true
 */
export function isMarketable(side: Side, limit: number, last: number | undefined): boolean {
  if (last === undefined) return false;
  return side === "buy" ? limit >= last : limit <= last;
}

/**
 * How much of a resting order one candle can fill: all of it, or with `volumeShare` set, at most that
 * share of the candle's volume (a big order in a thin market fills over several candles).
 * @example fillableAmount(10, { volume: 20 }, 0.25) // 5
 */
export function fillableAmount(remaining: number, candle: Pick<Candle, "volume">, volumeShare?: number): number {
  if (volumeShare === undefined) return remaining;
  return Math.min(remaining, Math.max(0, candle.volume * volumeShare));
}

/** @example feeOf(1000, 0.1) // 1 */
export function feeOf(notional: number, pct: number): number {
  return (notional * pct) / 100;
}
