import type { Position } from "../domain/index.ts";
import { splitSymbol } from "../portfolio/currencies.ts";

/** Map key of a strategy's holding of a symbol. */
export function positionKey(strategyId: string, symbol: string): string {
  return `${strategyId}\u0000${symbol}`;
}

/** A position's place in the book: the position itself is replaced on every fill. */
interface Slot {
  position: Position;
}

/**
 * An account's positions in memory, mirrored from what the executor's ledger commits (loaded from the
 * store at start, then one `apply` per recorded fill). Reads are synchronous: the risk snapshot, the
 * runner's snapshot and the backtester's equity read them on every step. Looked up by strategy, then
 * symbol: no key string is built (and hashed) for each of the several reads an intent makes.
 * @example
 * const positions = new AccountPositions(await listPositions(store.db, { accountId: "paper" }));
 * positions.apply(applied.position).sideEnded // true when it went flat or flipped
 */
export class AccountPositions {
  private readonly byStrategy = new Map<string, Map<string, Slot>>();
  /** Every slot, in the order its (strategy, symbol) was first seen. */
  private readonly slots: Slot[] = [];
  /** Open positions in a quote currency, cached until the next apply: equity reads them every candle. */
  private cached: { quote: string; list: Position[] } | undefined;
  /** Every open position, sorted, cached until the next apply: the runner's snapshot reads them every batch. */
  private sorted: readonly Position[] | undefined;
  /** The quote currency of each symbol seen: openIn runs after every fill, splitSymbol allocates. */
  private readonly quotes = new Map<string, string>();

  constructor(initial: readonly Position[] = []) {
    for (const p of initial) this.apply(p);
  }

  get(strategyId: string, symbol: string): Position | undefined {
    return this.byStrategy.get(strategyId)?.get(symbol)?.position;
  }

  /** Signed quantity held (0 when flat or unknown). */
  quantity(strategyId: string, symbol: string): number {
    return this.get(strategyId, symbol)?.quantity ?? 0;
  }

  /** Stores a position the ledger wrote; says whether the side that was held ended (flat or flipped). */
  apply(position: Position): { readonly sideEnded: boolean; readonly previous?: Position } {
    let symbols = this.byStrategy.get(position.strategyId);
    if (!symbols) {
      symbols = new Map();
      this.byStrategy.set(position.strategyId, symbols);
    }
    const slot = symbols.get(position.symbol);
    const previous = slot?.position;
    if (slot) slot.position = position;
    else {
      const fresh = { position };
      symbols.set(position.symbol, fresh);
      this.slots.push(fresh);
    }
    this.cached = undefined;
    this.sorted = undefined;
    const q0 = previous?.quantity ?? 0;
    const sideEnded = q0 !== 0 && (position.quantity === 0 || Math.sign(position.quantity) !== Math.sign(q0));
    return previous ? { sideEnded, previous } : { sideEnded };
  }

  /** Every position with a quantity, in a stable order (strategy, then symbol). */
  open(): readonly Position[] {
    if (this.sorted) return this.sorted;
    let count = 0;
    let only: Position | undefined;
    for (const { position } of this.slots)
      if (position.quantity !== 0) {
        count++;
        only = position;
      }
    // A literal for one position (the usual case): pushing to an empty array reserves 17 slots.
    if (count < 2) {
      this.sorted = only ? [only] : [];
      return this.sorted;
    }
    const open: Position[] = [];
    for (const { position } of this.slots) if (position.quantity !== 0) open.push(position);
    if (open.length > 1) open.sort((a, b) => compare(a.strategyId, b.strategyId) || compare(a.symbol, b.symbol));
    this.sorted = open;
    return open;
  }

  /** Open positions quoted in `quote`: the ones an equity in that currency counts. */
  openIn(quote: string): readonly Position[] {
    if (this.cached?.quote !== quote) {
      const open = this.open();
      let inQuote = 0;
      for (const p of open) if (this.quoteOf(p.symbol) === quote) inQuote++;
      // Every open position in that quote (the usual case): the same list, not a copy of it.
      const list =
        inQuote === open.length ? (open as Position[]) : open.filter((p) => this.quoteOf(p.symbol) === quote);
      this.cached = { quote, list };
    }
    return this.cached.list;
  }

  private quoteOf(symbol: string): string {
    let quote = this.quotes.get(symbol);
    if (quote === undefined) {
      quote = splitSymbol(symbol).quote;
      this.quotes.set(symbol, quote);
    }
    return quote;
  }

  /** Every position ever held, flat ones included (their realised PnL still counts). */
  all(): Position[] {
    return this.slots.map((s) => s.position);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
