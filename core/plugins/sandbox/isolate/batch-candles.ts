// Runs inside the isolate: the `candles` argument of onCandles, a batch of consecutive steps as column
// views into the window the host sent (no copies). The bootstrap reads nothing from those arrays once the
// plugin has them, and the runner sends every onCandles batch a window of its own, so a plugin writing
// into them changes only what it reads itself.

import { PluginUsageError } from "./errors.ts";
import type { Market } from "./market.ts";
import { show } from "./orders.ts";

// Typed array prototypes stay unfrozen (harden.ts); take the method now, before any plugin code runs.
const subarray = Float64Array.prototype.subarray;

/** One symbol's columns in a batch: NaN in every field where it has no candle. */
export interface BatchColumns {
  readonly symbol: string;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** What onCandles receives: the first symbol's columns, the times, and `of(symbol)` for the others. */
export interface BatchCandles extends BatchColumns {
  readonly length: number;
  readonly time: Float64Array;
  of(symbol: unknown): BatchColumns;
}

/**
 * Steps [k, k + length) of the loaded window (indices relative to the window's start).
 * @example const candles = batchCandles(market, 0, 100); candles.close[99] // the last close of the batch
 */
export function batchCandles(market: Market, k: number, length: number): BatchCandles {
  const view = (column: Float64Array): Float64Array => Reflect.apply(subarray, column, [k, k + length]);
  const { symbols, columns } = market;
  const bySymbol: (BatchColumns | undefined)[] = [];
  const columnsOf = (s: number): BatchColumns => {
    let out = bySymbol[s];
    if (out === undefined) {
      const c = columns[s]!;
      out = Object.freeze({
        symbol: symbols[s] as string,
        open: view(c.open),
        high: view(c.high),
        low: view(c.low),
        close: view(c.close),
        volume: view(c.volume),
      });
      bySymbol[s] = out;
    }
    return out;
  };
  const primary = columnsOf(0);
  return Object.freeze({
    ...primary,
    length,
    time: view(market.time),
    of(symbol: unknown): BatchColumns {
      const s = typeof symbol === "string" ? symbols.indexOf(symbol) : -1;
      if (s < 0) throw new PluginUsageError(`candles.of: ${show(symbol)} is not one of ${symbols.join(", ")}`);
      return columnsOf(s);
    },
  });
}
