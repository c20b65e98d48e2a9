import { behind, type EntryContext, favourable, type PositionSide, type StopCandle, tighter } from "./types.ts";

/** One profit band: from `profitPct`% in profit on, trail `trailPct`% behind the best price. */
export interface ProfitBand {
  readonly profitPct: number;
  readonly trailPct: number;
}

/**
 * A trail whose distance depends on how far the position has run: e.g. from +5% trail 3%, from +10%
 * trail 2%, locking in more of a bigger move. Before the first band there is no trailing stop (the
 * stop-loss alone protects). Profit is the best price's, so a band once reached stays reached.
 */
export interface StepTrailState {
  readonly mode: "step";
  readonly side: PositionSide;
  readonly entryPrice: number;
  /** Sorted by `profitPct`, ascending. */
  readonly bands: readonly ProfitBand[];
  readonly extreme: number;
  /** `profitPct` of the band in force, or null below the first band. */
  readonly bandPct: number | null;
  readonly stop: number | null;
}

/**
 * A step trail; a band at 0% trails from the entry on.
 * @example initStepTrail({ bands: [{ profitPct: 5, trailPct: 3 }] }, { side: "long", price: 100 }).stop // null
 */
export function initStepTrail(spec: { readonly bands: readonly ProfitBand[] }, entry: EntryContext): StepTrailState {
  const bands = [...spec.bands].sort((a, b) => a.profitPct - b.profitPct);
  const state: StepTrailState = {
    mode: "step",
    side: entry.side,
    entryPrice: entry.price,
    bands,
    extreme: entry.price,
    bandPct: null,
    stop: null,
  };
  return withBand(state, null);
}

/**
 * The trail after a candle closed.
 * @example advanceStepTrail(initStepTrail({ bands: [{ profitPct: 5, trailPct: 3 }] }, { side: "long", price: 100 }), { high: 106, ... }).stop // 102.82
 */
export function advanceStepTrail(state: StepTrailState, candle: StopCandle): StepTrailState {
  return withBand({ ...state, extreme: favourable(state.side, state.extreme, candle) }, state.stop);
}

function withBand(state: StepTrailState, stop: number | null): StepTrailState {
  const move = state.side === "long" ? state.extreme - state.entryPrice : state.entryPrice - state.extreme;
  const profitPct = (move / state.entryPrice) * 100;
  // A 1e-9 slack so that a high of exactly +5% (105 on 100) reaches the 5% band despite float noise.
  const band = state.bands.filter((b) => b.profitPct <= profitPct + 1e-9).at(-1);
  if (!band) return { ...state, bandPct: null, stop };
  return {
    ...state,
    bandPct: band.profitPct,
    stop: tighter(state.side, stop, behind(state.side, state.extreme, band.trailPct)),
  };
}
