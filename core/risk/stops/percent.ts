import { behind, type EntryContext, favourable, type PositionSide, type StopCandle, tighter } from "./types.ts";

/** A stop `pct`% behind the best price since entry. */
export interface PercentTrailState {
  readonly mode: "percent";
  readonly side: PositionSide;
  readonly pct: number;
  /** Highest high since entry (long) or lowest low (short); starts at the entry price. */
  readonly extreme: number;
  /** The level in force for the next candle. */
  readonly stop: number;
}

/**
 * A fixed-% trail starting `pct`% behind the entry.
 * @example initPercentTrail({ pct: 5 }, { side: "long", price: 100 }) // { mode: "percent", side: "long", pct: 5, extreme: 100, stop: 95 }
 */
export function initPercentTrail(spec: { readonly pct: number }, entry: EntryContext): PercentTrailState {
  return {
    mode: "percent",
    side: entry.side,
    pct: spec.pct,
    extreme: entry.price,
    stop: behind(entry.side, entry.price, spec.pct),
  };
}

/**
 * The trail after a candle closed: the new best price, and the stop raised behind it (never lowered).
 * @example advancePercentTrail(initPercentTrail({ pct: 5 }, { side: "long", price: 100 }), { high: 110, ... }).stop // 104.5
 */
export function advancePercentTrail(state: PercentTrailState, candle: StopCandle): PercentTrailState {
  const extreme = favourable(state.side, state.extreme, candle);
  const stop = tighter(state.side, state.stop, behind(state.side, extreme, state.pct)) as number;
  return { ...state, extreme, stop };
}
