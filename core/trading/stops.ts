import type { Candle, CandleColumns, OrderIntent } from "../domain/index.ts";
import {
  attachStops,
  type RestingStop,
  type StopState,
  type StopTrigger,
  updateStop,
} from "../risk/stops/position-stops.ts";
import type { EntryContext, StopCandle } from "../risk/stops/types.ts";
import { positionKey } from "./positions.ts";

/** The stops of one position. */
interface Entry {
  readonly strategyId: string;
  readonly symbol: string;
  state: StopState;
  /** Changed since it was last written to the store. */
  dirty: boolean;
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
  private readonly entries = new Map<string, Entry>();

  /** A stop state as stored (at start). */
  load(strategyId: string, symbol: string, state: StopState): void {
    this.entries.set(positionKey(strategyId, symbol), { strategyId, symbol, state, dirty: false });
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
    const resting = this.entries.get(positionKey(strategyId, symbol))?.state.onExchange;
    const state = resting ? { ...fresh, onExchange: resting } : fresh;
    this.entries.set(positionKey(strategyId, symbol), { strategyId, symbol, state, dirty: true });
    return state;
  }

  /** Records the stop order now resting on the exchange for a position (undefined: none). */
  setResting(strategyId: string, symbol: string, resting: RestingStop | undefined): void {
    const e = this.entries.get(positionKey(strategyId, symbol));
    if (!e) return;
    const { onExchange: _, ...rest } = e.state;
    e.state = resting ? { ...rest, onExchange: resting } : rest;
    e.dirty = true;
  }

  /** Every position's stops, strategies and symbols in a fixed order. */
  all(): { strategyId: string; symbol: string; state: StopState }[] {
    return [...this.entries.values()]
      .map((e) => ({ strategyId: e.strategyId, symbol: e.symbol, state: e.state }))
      .sort((a, b) => (a.symbol === b.symbol ? (a.strategyId < b.strategyId ? -1 : 1) : a.symbol < b.symbol ? -1 : 1));
  }

  /** The position went flat or flipped: its stops go with it (the ledger already cleared the column). */
  clear(strategyId: string, symbol: string): void {
    this.entries.delete(positionKey(strategyId, symbol));
  }

  get(strategyId: string, symbol: string): StopState | undefined {
    return this.entries.get(positionKey(strategyId, symbol))?.state;
  }

  has(symbol: string): boolean {
    for (const e of this.entries.values()) if (e.symbol === symbol) return true;
    return false;
  }

  /** True when a stop of `symbol` needs the host's ATR at each candle, which a scan ahead cannot know. */
  needsEveryCandle(symbol: string): boolean {
    for (const e of this.entries.values()) if (e.symbol === symbol && e.state.trailing?.mode === "atr") return true;
    return false;
  }

  /**
   * One closed candle of `symbol` against every position's stops, strategies in a fixed order. Stops
   * that fire are returned (their state stays until the exit fills); the others move for the next candle.
   */
  onCandle(symbol: string, candle: Omit<Candle, "time" | "volume">, atrOf: AtrOf): StopHit[] {
    const hits: StopHit[] = [];
    for (const e of this.ofSymbol(symbol)) {
      const update = updateStop(e.state, withAtr(e.state, symbol, candle, atrOf));
      if (update.triggered) {
        hits.push({ strategyId: e.strategyId, symbol, state: e.state, trigger: update.triggered });
      } else if (update.state !== e.state) {
        e.state = update.state;
        e.dirty = true;
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
    for (const e of this.ofSymbol(symbol)) {
      let state = e.state;
      for (let i = from; i < first; i++) {
        const open = candles.open[i] as number;
        if (Number.isNaN(open)) continue;
        const update = updateStop(state, {
          open,
          high: candles.high[i] as number,
          low: candles.low[i] as number,
          close: candles.close[i] as number,
        });
        if (update.triggered) {
          first = i;
          break;
        }
        state = update.state;
      }
    }
    return first;
  }

  /** Entries changed since the last call, marked clean: what to write to the store. */
  takeDirty(): { strategyId: string; symbol: string; state: StopState }[] {
    const out = [];
    for (const e of this.entries.values()) {
      if (!e.dirty) continue;
      e.dirty = false;
      out.push({ strategyId: e.strategyId, symbol: e.symbol, state: e.state });
    }
    return out;
  }

  private ofSymbol(symbol: string): Entry[] {
    const out: Entry[] = [];
    for (const e of this.entries.values()) if (e.symbol === symbol) out.push(e);
    return out.length > 1 ? out.sort((a, b) => (a.strategyId < b.strategyId ? -1 : 1)) : out;
  }
}

function withAtr(state: StopState, symbol: string, candle: Omit<Candle, "time" | "volume">, atrOf: AtrOf): StopCandle {
  const c = { open: candle.open, high: candle.high, low: candle.low, close: candle.close };
  if (state.trailing?.mode !== "atr") return c;
  const atr = atrOf(symbol, state.trailing.period);
  return atr === undefined ? c : { ...c, atr };
}
