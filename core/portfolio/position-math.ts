import type { Position, Side } from "../domain/index.ts";
import { feeInQuote, type MarketCurrencies } from "./currencies.ts";

/** One execution as positions see it: what was traded, at what price, and the fee it cost. */
export interface Execution {
  readonly side: Side;
  /** Base amount traded, before any fee taken in the base asset. */
  readonly amount: number;
  readonly price: number;
  readonly fee: number;
  readonly feeCurrency: string;
  readonly time: number;
}

export interface PositionKey {
  readonly accountId: string;
  readonly strategyId: string;
  readonly symbol: string;
}

/** The position after an execution, and whether its side ended (flat) or turned (flip). */
export interface PositionChange {
  readonly position: Position;
  /** True when the position went flat or flipped: stops attached to the old side no longer apply. */
  readonly sideEnded: boolean;
}

/**
 * Applies one execution to a position: signed quantity, average entry, realised PnL net of fees.
 *
 * - Adding to a position (or opening one) moves the entry to the quantity-weighted average.
 * - Reducing realises `closed × (price − entry)` (mirrored for a short) and keeps the entry.
 * - Going through zero closes the old side and opens the rest at the execution price.
 * - Every fee, converted to quote, is subtracted from realised PnL when paid (entry fees included),
 *   and a fee taken in the base asset also shrinks the quantity, as it does the wallet: that way
 *   selling what the wallet holds closes the position exactly.
 *
 * @example
 * const buy = applyExecution(undefined, key, { side: "buy", amount: 2, price: 100, fee: 0.2, feeCurrency: "USDT", time: 1 }, m).position;
 * // quantity 2, entryPrice 100, realizedPnl -0.2, fees 0.2
 * applyExecution(buy, key, { side: "sell", amount: 1, price: 110, fee: 0.11, feeCurrency: "USDT", time: 2 }, m).position;
 * // quantity 1, entryPrice 100, realizedPnl 9.69, fees 0.31
 */
export function applyExecution(
  previous: Position | undefined,
  key: PositionKey,
  execution: Execution,
  market: MarketCurrencies,
): PositionChange {
  const q0 = previous?.quantity ?? 0;
  const e0 = previous?.entryPrice ?? 0;
  const { price, time } = execution;
  const feeQuote = feeInQuote(execution.fee, execution.feeCurrency, price, market);
  const baseFee = execution.feeCurrency === market.base ? execution.fee : 0;
  const delta = (execution.side === "buy" ? execution.amount : -execution.amount) - baseFee;

  let quantity: number;
  let entryPrice: number;
  let realized = -feeQuote;
  let openedAt = previous && q0 !== 0 ? previous.openedAt : time;
  let sideEnded = false;

  if (q0 === 0 || Math.sign(q0) === Math.sign(delta)) {
    quantity = q0 + delta;
    entryPrice = quantity === 0 ? 0 : (Math.abs(q0) * e0 + Math.abs(delta) * price) / Math.abs(quantity);
  } else {
    const closed = Math.min(Math.abs(delta), Math.abs(q0));
    realized += closed * (price - e0) * Math.sign(q0);
    quantity = clean(q0 + delta, Math.max(Math.abs(q0), Math.abs(delta)));
    sideEnded = quantity === 0 || Math.sign(quantity) !== Math.sign(q0);
    if (quantity === 0) entryPrice = 0;
    else if (Math.sign(quantity) !== Math.sign(q0)) {
      entryPrice = price;
      openedAt = time;
    } else entryPrice = e0;
  }

  return {
    sideEnded,
    position: {
      // Spelled out, not `...key`: a literal that opens with a spread builds slowly on Node 20 (~0.5 µs a field).
      accountId: key.accountId,
      strategyId: key.strategyId,
      symbol: key.symbol,
      quantity,
      entryPrice,
      realizedPnl: (previous?.realizedPnl ?? 0) + realized,
      fees: (previous?.fees ?? 0) + feeQuote,
      openedAt,
      updatedAt: time,
    },
  };
}

/** Float dust left by a subtraction that should be zero (0.3 - 0.1 - 0.2) is zero. */
function clean(value: number, scale: number): number {
  return Math.abs(value) <= 1e-9 * scale ? 0 : value;
}
