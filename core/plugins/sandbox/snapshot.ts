import type { Snapshot } from "./protocol.ts";

/**
 * The snapshot as the bootstrap reads it: positions as [quantity, entryPrice] pairs aligned with the
 * instance's symbols, numbers checked here so the isolate never sees NaN where it expects a price.
 * @example snapshotPayload({ cash: 100, allocation: 100 }, ["BTC/USDT"]) // { cash: 100, allocation: 100, positions: [[0, 0]] }
 */
export function snapshotPayload(snapshot: Snapshot, symbols: readonly string[]) {
  const cash = finite(snapshot.cash, "cash", "");
  const allocation = finite(snapshot.allocation, "allocation", "");
  const positions: [number, number][] = [];
  for (const symbol of symbols) {
    const p = snapshot.positions?.[symbol];
    positions.push(p ? [finite(p.quantity, symbol, " quantity"), finite(p.entryPrice, symbol, " entryPrice")] : [0, 0]);
  }
  return { cash, allocation, positions };
}

/** The value when finite; the message is only put together for the throw (this runs once per entry). */
function finite(value: number, what: string, field: string): number {
  if (!Number.isFinite(value)) throw new TypeError(`snapshot ${what}${field} must be a finite number, got ${value}`);
  return value;
}
