import type { Position } from "../domain/index.ts";

/** Latest prices by symbol. */
export type Marks = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

/** @example markOf({ "BTC/USDT": 50_000 }, "BTC/USDT") // 50000 */
export function markOf(marks: Marks, symbol: string): number | undefined {
  const price = marks instanceof Map ? marks.get(symbol) : (marks as Readonly<Record<string, number>>)[symbol];
  return price !== undefined && Number.isFinite(price) && price > 0 ? price : undefined;
}

/** What a set of positions is worth at the marks. */
export interface Valuation {
  /** Signed market value: longs add, shorts subtract (what equity counts). */
  readonly value: number;
  readonly unrealizedPnl: number;
  /** Gross notional, |quantity| × mark summed: what exposure limits count. */
  readonly exposure: number;
  /** Symbols without a mark, valued at their entry price (no unrealised PnL) rather than at 0. */
  readonly unpriced: readonly string[];
}

/**
 * Values positions at the marks.
 * @example valuePositions([{ symbol: "BTC/USDT", quantity: 2, entryPrice: 100, ... }], { "BTC/USDT": 120 })
 *   // { value: 240, unrealizedPnl: 40, exposure: 240, unpriced: [] }
 */
export function valuePositions(
  positions: readonly Pick<Position, "symbol" | "quantity" | "entryPrice">[],
  marks: Marks,
): Valuation {
  let value = 0;
  let unrealizedPnl = 0;
  let exposure = 0;
  const unpriced: string[] = [];
  for (const p of positions) {
    if (p.quantity === 0) continue;
    const mark = markOf(marks, p.symbol);
    if (mark === undefined) unpriced.push(p.symbol);
    const price = mark ?? p.entryPrice;
    value += p.quantity * price;
    unrealizedPnl += p.quantity * (price - p.entryPrice);
    exposure += Math.abs(p.quantity * price);
  }
  return { value, unrealizedPnl, exposure, unpriced };
}
