import { type EntryContext, favourable, type PositionSide, type StopCandle, tighter } from "./types.ts";

/** A stop `multiple` × ATR behind the best price since entry (a chandelier exit that only tightens). */
export interface AtrTrailState {
  readonly mode: "atr";
  readonly side: PositionSide;
  readonly multiple: number;
  /** ATR period the caller computes the candles' `atr` with. */
  readonly period: number;
  readonly extreme: number;
  /** Latest known ATR; null until one arrives. */
  readonly atr: number | null;
  /** The level in force for the next candle; null while the ATR is unknown. */
  readonly stop: number | null;
}

/**
 * An ATR trail; the first stop sits `multiple` × ATR behind the entry when the ATR at entry is known.
 * @example initAtrTrail({ multiple: 2, period: 14 }, { side: "long", price: 100, atr: 3 }).stop // 94
 */
export function initAtrTrail(
  spec: { readonly multiple: number; readonly period: number },
  entry: EntryContext,
): AtrTrailState {
  const atr = entry.atr !== undefined && entry.atr > 0 ? entry.atr : null;
  const state: AtrTrailState = {
    mode: "atr",
    side: entry.side,
    multiple: spec.multiple,
    period: spec.period,
    extreme: entry.price,
    atr,
    stop: null,
  };
  return { ...state, stop: candidate(state) };
}

/**
 * The trail after a candle closed: new best price and ATR (the last one is kept when the candle brings
 * none), stop tightened if the candidate is tighter. A widening ATR never loosens the stop.
 * @example advanceAtrTrail(initAtrTrail({ multiple: 2, period: 14 }, { side: "long", price: 100, atr: 3 }), { high: 106, atr: 4, ... }).stop // 98
 */
export function advanceAtrTrail(state: AtrTrailState, candle: StopCandle): AtrTrailState {
  const atr = candle.atr !== undefined && candle.atr > 0 ? candle.atr : state.atr;
  const next = { ...state, atr, extreme: favourable(state.side, state.extreme, candle) };
  return { ...next, stop: tighter(state.side, state.stop, candidate(next)) };
}

function candidate(s: AtrTrailState): number | null {
  if (s.atr === null) return null;
  return s.side === "long" ? s.extreme - s.multiple * s.atr : s.extreme + s.multiple * s.atr;
}
