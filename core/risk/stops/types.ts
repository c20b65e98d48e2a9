import type { Candle, Side } from "../../domain/index.ts";

/** Which way a position faces. */
export type PositionSide = "long" | "short";

/**
 * The side of the position an entry order opens.
 * @example positionSide("sell") // "short"
 */
export function positionSide(entry: Side): PositionSide {
  return entry === "buy" ? "long" : "short";
}

/** What a stop reads from a closed candle; `atr` is the symbol's ATR at that close, where a mode needs it. */
export type StopCandle = Pick<Candle, "open" | "high" | "low" | "close"> & { readonly atr?: number };

/** What a trailing stop knows when the position opens. */
export interface EntryContext {
  readonly side: PositionSide;
  /** Fill price of the entry. */
  readonly price: number;
  /** The candle the entry filled on: seeds the parabolic SAR. */
  readonly candle?: StopCandle;
  /** ATR at entry: places the first ATR stop. */
  readonly atr?: number;
}

/**
 * The best price a position has seen: the highest high for a long, the lowest low for a short.
 * @example favourable("long", 100, { high: 104, ... }) // 104
 */
export function favourable(side: PositionSide, extreme: number, candle: StopCandle): number {
  return side === "long" ? Math.max(extreme, candle.high) : Math.min(extreme, candle.low);
}

/**
 * A price `pct`% behind `from` on the losing side: below for a long, above for a short.
 * @example behind("long", 200, 3) // 194
 */
export function behind(side: PositionSide, from: number, pct: number): number {
  return side === "long" ? from * (1 - pct / 100) : from * (1 + pct / 100);
}

/**
 * The tighter (closer to the price) of two stop levels; a trailing stop only ever tightens.
 * @example tighter("long", 95, 97) // 97
 */
export function tighter(side: PositionSide, a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return side === "long" ? Math.max(a, b) : Math.min(a, b);
}
