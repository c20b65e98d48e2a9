import type { CandleColumns } from "../domain/candle.ts";
import { Atr } from "../indicators/atr.ts";

/** Candles kept per symbol to seed an ATR of a period asked for the first time. */
const RING = 256;

interface SymbolAtr {
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** Candles seen; the ring holds the last min(seen, RING). */
  seen: number;
  readonly byPeriod: Map<number, Atr>;
  /** The same ATRs as a list: every candle updates them all, without an iterator. */
  readonly all: Atr[];
}

/**
 * The host's ATR per symbol, for the volatility rule and ATR trailing stops. Periods come from risk
 * limits and stop specs, known only when an intent arrives, so each symbol keeps its last 256 candles:
 * an ATR of a new period is seeded from them, then updated O(1) per candle like the others. Live and
 * backtest feed the same candles in the same order, so they compute the same values.
 * @example
 * const atr = new AtrBook(); atr.add("BTC/USDT", high, low, close);
 * atr.value("BTC/USDT", 14) // undefined until 15 candles were added
 */
export class AtrBook {
  private readonly symbols = new Map<string, SymbolAtr>();
  /** The symbol looked up last: a backtest adds one symbol's candles a million times in a row. */
  private lastSymbol: string | undefined;
  private lastState: SymbolAtr | undefined;

  add(symbol: string, high: number, low: number, close: number): void {
    const s = this.symbolOf(symbol);
    const at = s.seen % RING;
    s.high[at] = high;
    s.low[at] = low;
    s.close[at] = close;
    s.seen++;
    const all = s.all;
    for (let i = 0; i < all.length; i++) (all[i] as Atr).update(high, low, close);
  }

  /**
   * add() for candles [from, to) of one symbol's columns (a row with a NaN open is a gap, skipped): the
   * backtest's quiet stretches, with the symbol looked up once.
   */
  addColumns(symbol: string, candles: CandleColumns, from: number, to: number): void {
    const s = this.symbolOf(symbol);
    const { open, high, low, close } = candles;
    const all = s.all;
    for (let i = from; i < to; i++) {
      if (Number.isNaN(open[i] as number)) continue;
      const h = high[i] as number;
      const l = low[i] as number;
      const c = close[i] as number;
      const at = s.seen % RING;
      s.high[at] = h;
      s.low[at] = l;
      s.close[at] = c;
      s.seen++;
      for (let k = 0; k < all.length; k++) (all[k] as Atr).update(h, l, c);
    }
  }

  /** ATR(period) after the last candle added, or undefined while it is warming up. */
  value(symbol: string, period: number): number | undefined {
    const s = this.symbolOf(symbol);
    let atr = s.byPeriod.get(period);
    if (!atr) {
      atr = new Atr(period);
      const first = Math.max(0, s.seen - RING);
      for (let i = first; i < s.seen; i++) {
        const at = i % RING;
        atr.update(s.high[at] as number, s.low[at] as number, s.close[at] as number);
      }
      s.byPeriod.set(period, atr);
      s.all.push(atr);
    }
    return atr.ready ? atr.value : undefined;
  }

  private symbolOf(symbol: string): SymbolAtr {
    if (this.lastSymbol === symbol) return this.lastState as SymbolAtr;
    let s = this.symbols.get(symbol);
    if (!s) {
      s = {
        high: new Float64Array(RING),
        low: new Float64Array(RING),
        close: new Float64Array(RING),
        seen: 0,
        byPeriod: new Map(),
        all: [],
      };
      this.symbols.set(symbol, s);
    }
    this.lastSymbol = symbol;
    this.lastState = s;
    return s;
  }
}
