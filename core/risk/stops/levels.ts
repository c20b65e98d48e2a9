import type { PriceLevel } from "../../domain/index.ts";
import { fmt } from "../format.ts";
import type { PositionSide } from "./types.ts";

/**
 * The stop-loss price of a level: an absolute price as given, a `pct` as that far below the entry for
 * a long (above for a short).
 * @example stopLossPrice({ pct: 2 }, 100, "long") // 98
 * @example stopLossPrice({ price: 103 }, 100, "short") // 103
 */
export function stopLossPrice(level: PriceLevel, entry: number, side: PositionSide): number {
  if ("price" in level) return level.price;
  return side === "long" ? entry * (1 - level.pct / 100) : entry * (1 + level.pct / 100);
}

/**
 * The take-profit price of a level: a `pct` is that far above the entry for a long (below for a short).
 * @example takeProfitPrice({ pct: 5 }, 100, "long") // 105
 */
export function takeProfitPrice(level: PriceLevel, entry: number, side: PositionSide): number {
  if ("price" in level) return level.price;
  return side === "long" ? entry * (1 + level.pct / 100) : entry * (1 - level.pct / 100);
}

/**
 * Why a stop-loss or take-profit cannot work, or undefined: it must be a positive price on the right
 * side of the entry, or it would fire at once (or never protect anything).
 * @example levelProblem("stop-loss", 101, 100, "long") // "a long's stop-loss must be below the entry 100, got 101"
 */
export function levelProblem(
  kind: "stop-loss" | "take-profit",
  price: number,
  entry: number,
  side: PositionSide,
): string | undefined {
  if (!(price > 0) || !Number.isFinite(price)) return `${kind} must be a positive price, got ${fmt(price)}`;
  const below = (kind === "stop-loss") === (side === "long");
  if (below && price >= entry) return `a ${side}'s ${kind} must be below the entry ${fmt(entry)}, got ${fmt(price)}`;
  if (!below && price <= entry) return `a ${side}'s ${kind} must be above the entry ${fmt(entry)}, got ${fmt(price)}`;
  return undefined;
}
