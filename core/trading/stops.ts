import type { Candle, CandleColumns, OrderIntent } from "../domain/index.ts";
import {
  attachStops,
  firstFixedTrigger,
  type RestingStop,
  type StopState,
  type StopTrigger,
  updateStop,
} from "../risk/stops/position-stops.ts";
import type { EntryContext, StopCandle } from "../risk/stops/types.ts";

/** The stops of one position. */
interface Entry {
  readonly strategyId: string;
  readonly symbol: string;
  state: StopState;
  /** Changed since it was last written to the store. */
  dirty: boolean;
  /** What the last scan of these stops found, for the next scan to start from. */
  scanned?: Scanned;
}

/**
 * A scan of fixed stops over candles [from, to): the first index where they fired, `to` when they did
 * not. A backtest asks again after every intent, from a later index, with the same stops.
 */
interface Scanned {
  readonly state: StopState;
  readonly candles: CandleColumns;
  readonly from: number;
  readonly to: number;
  readonly hit: number;
}

/** A stop that fired on a candle: the position to exit, and where and why. */
export interface StopHit {
  readonly strategyId: string;
  readonly symbol: string;
  readonly state: StopState;
  readonly trigger: StopTrigger;
}

/** ATR(period) of a symbol now, for ATR trailing stops. */
export type AtrOf = (symbol: string, period: number) => number | undefined;

/**
 * The engine-managed stops of an account's positions: attached on entry fills, moved or fired by each
 * closed candle (core/risk's `updateStop`, with its conservative intrabar rule), written to the store
 * whenever they change so that they survive a restart. Pure bookkeeping: the account sends the exits.
 * @example
 * stops.attach("sma", "BTC/USDT", intent, { side: "long", price: 100 });
 * stops.onCandle("BTC/USDT", candle, atrOf) // [{ strategyId: "sma", trigger: { kind: "stop-loss", price: 98, ... } }]
 */
export class StopBook {
  /** By symbol, then strategy: a candle asks for one symbol's stops. */
  private readonly bySymbol = new Map<string, Map<string, Entry>>();
  /** Each symbol's entries sorted by strategy, until one is added or removed. */
  private readonly sorted = new Map<string, readonly Entry[]>();
  /** Some entry may be dirty: set with every dirty mark, cleared by takeDirty (an account asks before every operation). */
  private dirty = false;

  /** A stop state as stored (at start). */
  load(strategyId: string, symbol: string, state: StopState): void {
    this.put({ strategyId, symbol, state, dirty: false });
  }

  /** Stops from an entry intent's stop-loss, take-profit and trailing stop, at the position's entry. */
  attach(
    strategyId: string,
    symbol: string,
    intent: Pick<OrderIntent, "side" | "stopLoss" | "takeProfit" | "trailingStop">,
    entry: Omit<EntryContext, "side">,
  ): StopState {
    const fresh = attachStops(intent, entry);
    // A position added to keeps its resting exchange stop until the stop is moved to the new amount.
    const resting = this.entry(strategyId, symbol)?.state.onExchange;
    const state = resting ? { ...fresh, onExchange: resting } : fresh;
    this.put({ strategyId, symbol, state, dirty: true });
    this.dirty = true;
    return state;
  }

  /** Records the stop order now resting on the exchange for a position (undefined: none). */
  setResting(strategyId: string, symbol: string, resting: RestingStop | undefined): void {
    const e = this.entry(strategyId, symbol);
    if (!e) return;
    const { onExchange: _, ...rest } = e.state;
    e.state = resting ? { ...rest, onExchange: resting } : rest;
    e.dirty = true;
    this.dirty = true;
  }

  /** Every position's stops, strategies and symbols in a fixed order. */
  all(): { strategyId: string; symbol: string; state: StopState }[] {
    const out: { strategyId: string; symbol: string; state: StopState }[] = [];
    for (const entries of this.bySymbol.values()) {
      for (const e of entries.values()) out.push({ strategyId: e.strategyId, symbol: e.symbol, state: e.state });
    }
    return out.sort((a, b) =>
      a.symbol === b.symbol ? (a.strategyId < b.strategyId ? -1 : 1) : a.symbol < b.symbol ? -1 : 1,
    );
  }

  /** The position went flat or flipped: its stops go with it (the ledger already cleared the column). */
  clear(strategyId: string, symbol: string): void {
    const entries = this.bySymbol.get(symbol);
    if (!entries?.delete(strategyId)) return;
    this.sorted.delete(symbol);
    if (entries.size === 0) this.bySymbol.delete(symbol);
  }

  get(strategyId: string, symbol: string): StopState | undefined {
    return this.entry(strategyId, symbol)?.state;
  }

  has(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  /** True when a stop of `symbol` needs the host's ATR at each candle, which a scan ahead cannot know. */
  needsEveryCandle(symbol: string): boolean {
    const entries = this.bySymbol.get(symbol);
    if (!entries) return false;
    for (const e of entries.values()) if (e.state.trailing?.mode === "atr") return true;
    return false;
  }

  /**
   * One closed candle of `symbol` against every position's stops, strategies in a fixed order. Stops
   * that fire are returned (their state stays until the exit fills); the others move for the next candle.
   */
  onCandle(symbol: string, candle: Omit<Candle, "time" | "volume">, atrOf: AtrOf): StopHit[] {
    if (!this.bySymbol.has(symbol)) return NO_HITS;
    const hits: StopHit[] = [];
    for (const e of this.ofSymbol(symbol)) {
      const update = updateStop(e.state, withAtr(e.state, symbol, candle, atrOf));
      if (update.triggered) {
        hits.push({ strategyId: e.strategyId, symbol, state: e.state, trigger: update.triggered });
      } else if (update.state !== e.state) {
        e.state = update.state;
        e.dirty = true;
        this.dirty = true;
      }
    }
    return hits;
  }

  /**
   * The first index in [from, to) at which a stop of `symbol` would fire, or `to`; changes nothing.
   * Rows of NaN (no candle of the symbol at that step) are skipped.
   */
  scan(symbol: string, candles: CandleColumns, from: number, to: number): number {
    let first = to;
    for (const e of this.ofSymbol(symbol)) first = scanEntry(e, candles, from, first);
    return first;
  }

  /** True when takeDirty would have something to write. */
  hasDirty(): boolean {
    return this.dirty;
  }

  /** Entries changed since the last call, marked clean: what to write to the store. */
  takeDirty(): { strategyId: string; symbol: string; state: StopState }[] {
    this.dirty = false;
    const out = [];
    for (const entries of this.bySymbol.values()) {
      for (const e of entries.values()) {
        if (!e.dirty) continue;
        e.dirty = false;
        out.push({ strategyId: e.strategyId, symbol: e.symbol, state: e.state });
      }
    }
    return out;
  }

  private entry(strategyId: string, symbol: string): Entry | undefined {
    return this.bySymbol.get(symbol)?.get(strategyId);
  }

  private put(e: Entry): void {
    let entries = this.bySymbol.get(e.symbol);
    if (!entries) {
      entries = new Map();
      this.bySymbol.set(e.symbol, entries);
    }
    entries.set(e.strategyId, e);
    this.sorted.delete(e.symbol);
  }

  private ofSymbol(symbol: string): readonly Entry[] {
    const known = this.sorted.get(symbol);
    if (known) return known;
    const entries = this.bySymbol.get(symbol);
    const out = entries ? [...entries.values()] : [];
    if (out.length > 1) out.sort((a, b) => (a.strategyId < b.strategyId ? -1 : 1));
    this.sorted.set(symbol, out);
    return out;
  }
}

const NO_HITS = Object.freeze([]) as unknown as StopHit[];

/**
 * The first index in [from, to) at which `e`'s stops fire, or `to`. Stops that never move (no
 * trailing stop) are searched once: a later scan of the same stops starts where the last one ended.
 */
function scanEntry(e: Entry, candles: CandleColumns, from: number, to: number): number {
  const { state } = e;
  if (state.trailing !== null) return trailingTrigger(state, candles, from, to);
  let start = from;
  let since = from;
  const known = e.scanned;
  if (known && known.state === state && known.candles === candles && known.from <= from) {
    if (known.hit < known.to) {
      // It fires at known.hit; from a later start that is still the first time, unless it is behind us.
      if (known.hit >= from) return Math.min(known.hit, to);
    } else if (known.to > from) {
      // Nothing fires in [known.from, known.to): go on from there.
      if (known.to >= to) return to;
      start = known.to;
      since = known.from;
    }
  }
  const hit = firstFixedTrigger(state, candles, start, to);
  e.scanned = { state, candles, from: since, to: hit === to ? to : hit + 1, hit };
  return hit;
}

/** The first index in [from, to) at which a trailing stop fires, moving it along as updateStop does. */
function trailingTrigger(state: StopState, candles: CandleColumns, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const open = candles.open[i] as number;
    if (Number.isNaN(open)) continue;
    const update = updateStop(state, {
      open,
      high: candles.high[i] as number,
      low: candles.low[i] as number,
      close: candles.close[i] as number,
    });
    if (update.triggered) return i;
    state = update.state;
  }
  return to;
}

function withAtr(state: StopState, symbol: string, candle: Omit<Candle, "time" | "volume">, atrOf: AtrOf): StopCandle {
  const c = { open: candle.open, high: candle.high, low: candle.low, close: candle.close };
  if (state.trailing?.mode !== "atr") return c;
  const atr = atrOf(symbol, state.trailing.period);
  return atr === undefined ? c : { ...c, atr };
}
