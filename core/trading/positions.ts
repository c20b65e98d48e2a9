import type { Position } from "../domain/index.ts";
import { splitSymbol } from "../portfolio/currencies.ts";

/** Map key of a strategy's holding of a symbol. */
export function positionKey(strategyId: string, symbol: string): string {
  return `${strategyId}\u0000${symbol}`;
}

/**
 * An account's positions in memory, mirrored from what the executor's ledger commits (loaded from the
 * store at start, then one `apply` per recorded fill). Reads are synchronous: the risk snapshot, the
 * runner's snapshot and the backtester's equity read them on every step.
 * @example
 * const positions = new AccountPositions(await listPositions(store.db, { accountId: "paper" }));
 * positions.apply(applied.position).sideEnded // true when it went flat or flipped
 */
export class AccountPositions {
  private readonly byKey = new Map<string, Position>();
  /** Open positions in a quote currency, cached until the next apply: equity reads them every candle. */
  private cached: { quote: string; list: Position[] } | undefined;
  /** Every open position, sorted, cached until the next apply: the runner's snapshot reads them every batch. */
  private sorted: readonly Position[] | undefined;

  constructor(initial: readonly Position[] = []) {
    for (const p of initial) this.byKey.set(positionKey(p.strategyId, p.symbol), p);
  }

  get(strategyId: string, symbol: string): Position | undefined {
    return this.byKey.get(positionKey(strategyId, symbol));
  }

  /** Signed quantity held (0 when flat or unknown). */
  quantity(strategyId: string, symbol: string): number {
    return this.get(strategyId, symbol)?.quantity ?? 0;
  }

  /** Stores a position the ledger wrote; says whether the side that was held ended (flat or flipped). */
  apply(position: Position): { readonly sideEnded: boolean; readonly previous?: Position } {
    const key = positionKey(position.strategyId, position.symbol);
    const previous = this.byKey.get(key);
    this.byKey.set(key, position);
    this.cached = undefined;
    this.sorted = undefined;
    const q0 = previous?.quantity ?? 0;
    const sideEnded = q0 !== 0 && (position.quantity === 0 || Math.sign(position.quantity) !== Math.sign(q0));
    return previous ? { sideEnded, previous } : { sideEnded };
  }

  /** Every position with a quantity, in a stable order (strategy, then symbol). */
  open(): readonly Position[] {
    this.sorted ??= [...this.byKey.values()]
      .filter((p) => p.quantity !== 0)
      .sort((a, b) => compare(a.strategyId, b.strategyId) || compare(a.symbol, b.symbol));
    return this.sorted;
  }

  /** Open positions quoted in `quote`: the ones an equity in that currency counts. */
  openIn(quote: string): readonly Position[] {
    if (this.cached?.quote !== quote) {
      this.cached = { quote, list: this.open().filter((p) => splitSymbol(p.symbol).quote === quote) };
    }
    return this.cached.list;
  }

  /** Every position ever held, flat ones included (their realised PnL still counts). */
  all(): Position[] {
    return [...this.byKey.values()];
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
