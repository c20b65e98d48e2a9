// Runs inside the isolate: the candles of the current window and the instance's position snapshot, as
// the host handed them over (copies; nothing here refers to a host object).

import { FIELDS_PER_SYMBOL } from "./limits.ts";

// Typed array prototypes stay unfrozen (harden.ts); take the method now, before any plugin code runs.
const subarray = Float64Array.prototype.subarray;

/** The position snapshot as the host sends it: positions aligned with the instance's symbols. */
export interface SnapshotIn {
  cash: number;
  allocation: number;
  positions: [quantity: number, entryPrice: number][];
}

interface Column {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/**
 * A window of steps: `time[k]` and per symbol five columns, NaN where a symbol has no candle. The host
 * packs it as one Float64Array: time, then per symbol open, high, low, close, volume, each `steps` long.
 */
export class Market {
  start = 0;
  steps = 0;
  time: Float64Array = new Float64Array(0);
  columns: Column[] = [];
  cash = 0;
  allocation = 0;
  quantity: Float64Array;
  entryPrice: Float64Array;
  lastClose: Float64Array;

  constructor(readonly symbols: readonly string[]) {
    this.quantity = new Float64Array(symbols.length);
    this.entryPrice = new Float64Array(symbols.length);
    this.lastClose = new Float64Array(symbols.length);
    for (let s = 0; s < symbols.length; s++) this.lastClose[s] = Number.NaN;
  }

  /** Installs a window; `buffer` was transferred in by the host. */
  load(start: number, steps: number, buffer: unknown): void {
    if (!(buffer instanceof ArrayBuffer)) throw new Error("window data must be an ArrayBuffer");
    const data = new Float64Array(buffer);
    const expected = steps * (1 + FIELDS_PER_SYMBOL * this.symbols.length);
    if (data.length !== expected) throw new Error(`window holds ${data.length} numbers, expected ${expected}`);
    const view = (offset: number): Float64Array =>
      Reflect.apply(subarray, data, [offset * steps, (offset + 1) * steps]);
    this.start = start;
    this.steps = steps;
    this.time = view(0);
    this.columns = this.symbols.map((_, s) => {
      const base = 1 + FIELDS_PER_SYMBOL * s;
      return {
        open: view(base),
        high: view(base + 1),
        low: view(base + 2),
        close: view(base + 3),
        volume: view(base + 4),
      };
    });
  }

  applySnapshot(snapshot: SnapshotIn): void {
    this.cash = snapshot.cash;
    this.allocation = snapshot.allocation;
    for (let s = 0; s < this.symbols.length; s++) {
      const p = snapshot.positions[s];
      this.quantity[s] = p ? p[0] : 0;
      this.entryPrice[s] = p ? p[1] : 0;
    }
  }

  /** Last close seen for symbol `s`, or its entry price before any candle of it arrived. */
  markPrice(s: number): number {
    const close = this.lastClose[s] as number;
    return Number.isNaN(close) ? (this.entryPrice[s] as number) : close;
  }

  /** Cash plus every position marked at its last close: what the instance is worth now. */
  equity(): number {
    let equity = this.cash;
    for (let s = 0; s < this.symbols.length; s++) equity += (this.quantity[s] as number) * this.markPrice(s);
    return equity;
  }
}
