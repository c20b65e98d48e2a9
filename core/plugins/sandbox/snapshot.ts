import type { Snapshot } from "./protocol.ts";

/**
 * The snapshot as the bootstrap reads it: positions as [quantity, entryPrice] pairs aligned with the
 * instance's symbols, numbers checked here so the isolate never sees NaN where it expects a price.
 * @example snapshotPayload({ cash: 100, allocation: 100 }, ["BTC/USDT"]) // { cash: 100, allocation: 100, positions: [[0, 0]] }
 */
export function snapshotPayload(snapshot: Snapshot, symbols: readonly string[]) {
  const finite = (value: number, what: string) => {
    if (!Number.isFinite(value)) throw new TypeError(`snapshot ${what} must be a finite number, got ${value}`);
    return value;
  };
  return {
    cash: finite(snapshot.cash, "cash"),
    allocation: finite(snapshot.allocation, "allocation"),
    positions: symbols.map((symbol) => {
      const p = snapshot.positions?.[symbol];
      return p ? [finite(p.quantity, `${symbol} quantity`), finite(p.entryPrice, `${symbol} entryPrice`)] : [0, 0];
    }),
  };
}
