import type { OrderIntent } from "../domain/order.ts";
import type { FillEvent, Snapshot } from "./sandbox/protocol.ts";

interface Holding {
  quantity: number;
  entryPrice: number;
}

/**
 * The simplest possible account for evaluating a plugin: market intents fill at once at a given price,
 * with no fees. Sizes: a fraction of the current cash, a quote amount, or a base quantity; a reduce-only
 * intent never goes past flat, and its fraction is of the position (so a close goes flat). Used by evaluatePlugin; the real books live in core/execution.
 * @example
 * const book = new PositionBook(10_000);
 * book.apply({ side: "buy", size: { kind: "fraction", value: 1 }, ... }, 100, 0) // fills 100 units at 100
 */
export class PositionBook {
  private readonly holdings = new Map<string, Holding>();

  constructor(
    private cash: number,
    private readonly allocation = cash,
  ) {}

  snapshot(): Snapshot {
    const positions: Record<string, { quantity: number; entryPrice: number }> = {};
    for (const [symbol, h] of this.holdings) positions[symbol] = { quantity: h.quantity, entryPrice: h.entryPrice };
    return { cash: this.cash, allocation: this.allocation, positions };
  }

  /** The quantity held of `symbol`: 0 when flat, negative when short. */
  quantity(symbol: string): number {
    return this.holdings.get(symbol)?.quantity ?? 0;
  }

  /** Fills `intent` at `price`; undefined when there is nothing to fill (zero size, or reduce-only when flat). */
  apply(intent: OrderIntent, price: number, time: number): FillEvent | undefined {
    const held = this.holdings.get(intent.symbol) ?? { quantity: 0, entryPrice: 0 };
    const direction = intent.side === "buy" ? 1 : -1;
    let amount: number;
    if (intent.reduceOnly) {
      // Reducing means trading against the position, and never past flat; a fraction is of the position
      // (ctx.close() is reduce-only with a fraction of 1: flat).
      if (held.quantity * direction >= 0) return undefined;
      const position = Math.abs(held.quantity);
      amount =
        intent.size.kind === "fraction"
          ? position * intent.size.value
          : Math.min(baseAmount(intent, price, this.cash), position);
    } else {
      amount = baseAmount(intent, price, this.cash);
    }
    if (!(amount > 0) || !Number.isFinite(amount)) return undefined;
    const before = held.quantity;
    const after = before + direction * amount;
    let entryPrice = held.entryPrice; // reducing keeps the entry price
    if (after === 0) entryPrice = 0;
    else if (before === 0 || Math.sign(before) === direction) {
      entryPrice = (before * held.entryPrice + direction * amount * price) / after;
    } else if (Math.sign(after) !== Math.sign(before)) entryPrice = price; // flipped through flat
    this.cash -= direction * amount * price;
    this.holdings.set(intent.symbol, { quantity: after, entryPrice });
    return { symbol: intent.symbol, side: intent.side, amount, price, fee: 0, time };
  }
}

function baseAmount(intent: OrderIntent, price: number, cash: number): number {
  switch (intent.size.kind) {
    case "fraction":
      return (cash * intent.size.value) / price;
    case "quote":
      return intent.size.value / price;
    case "base":
      return intent.size.value;
  }
}
