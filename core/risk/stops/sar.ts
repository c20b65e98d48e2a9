import type { EntryContext, PositionSide, StopCandle } from "./types.ts";

/**
 * A parabolic SAR trailing stop (Wilder, 1978). Each bar the SAR moves `af` of the way towards the
 * extreme point (EP, the best price of the trade); `af` starts at `step` and grows by `step`, up to
 * `max`, every bar that makes a new EP. The SAR may never move into the previous two bars' range.
 */
export interface SarTrailState {
  readonly mode: "sar";
  readonly side: PositionSide;
  readonly step: number;
  readonly max: number;
  /** The SAR in force for the next candle; null until seeded by a first candle. */
  readonly stop: number | null;
  /** Extreme point: highest high of the trade (long) or lowest low (short). */
  readonly ep: number;
  /** Acceleration factor. */
  readonly af: number;
  /** The last candle's low (long) or high (short): with the current candle's, it caps the next SAR. */
  readonly prevExtreme: number;
}

/** The numbers one SAR step needs, the stop known. */
type SarCore = Pick<SarTrailState, "side" | "ep" | "af" | "prevExtreme"> & { readonly stop: number };

/**
 * A SAR trail. Seeded from the entry candle, as Wilder seeds a new trend from the bar where it starts:
 * SAR at its low (long) and EP at its high. Without an entry candle it seeds from the first candle
 * after entry, which then has only the stop-loss to protect it.
 * @example initSarTrail({ step: 0.02, max: 0.2 }, { side: "long", price: 102, candle: { open: 100, high: 103, low: 99, close: 102 } })
 *   // { mode: "sar", side: "long", step: 0.02, max: 0.2, stop: 99, ep: 103, af: 0.02, prevExtreme: 99 }
 */
export function initSarTrail(
  spec: { readonly step: number; readonly max: number },
  entry: EntryContext,
): SarTrailState {
  const unseeded: SarTrailState = {
    mode: "sar",
    side: entry.side,
    step: spec.step,
    max: spec.max,
    stop: null,
    ep: entry.price,
    af: spec.step,
    prevExtreme: entry.price,
  };
  return entry.candle ? seed(unseeded, entry.candle) : unseeded;
}

/**
 * The SAR for the next candle, after one closed without reaching the stop.
 * @example advanceSarTrail(initSarTrail(spec, entryOnBar99to103), { open: 102, high: 105, low: 101, close: 104 }).stop
 *   // 99: EP 105, af 0.04, 99 + 0.04 × (105 − 99) = 99.24, capped at the entry bar's low 99
 */
export function advanceSarTrail(state: SarTrailState, candle: StopCandle): SarTrailState {
  if (state.stop === null) return seed(state, candle);
  return { ...state, ...sarStep({ ...state, stop: state.stop }, candle, state.step, state.max) };
}

function seed(state: SarTrailState, candle: StopCandle): SarTrailState {
  const long = state.side === "long";
  const stop = long ? candle.low : candle.high;
  return { ...state, stop, ep: long ? candle.high : candle.low, af: state.step, prevExtreme: stop };
}

/**
 * One SAR step without a reversal: fold the candle into EP and af, move the SAR towards EP, and keep
 * it out of this candle's and the previous one's range. The arithmetic is written exactly as in
 * technicalindicators' PSAR, so the two agree to the last bit.
 */
function sarStep(core: SarCore, candle: Pick<StopCandle, "high" | "low">, step: number, max: number): SarCore {
  const long = core.side === "long";
  const newExtreme = long ? candle.high > core.ep : candle.low < core.ep;
  const ep = newExtreme ? (long ? candle.high : candle.low) : core.ep;
  const af = newExtreme ? Math.min(core.af + step, max) : core.af;
  const moved = core.stop + af * (ep - core.stop);
  const stop = long ? Math.min(moved, core.prevExtreme, candle.low) : Math.max(moved, core.prevExtreme, candle.high);
  return { side: core.side, stop, ep, af, prevExtreme: long ? candle.low : candle.high };
}

/**
 * Wilder's parabolic SAR over a whole series, stop-and-reverse included: the indicator, for charts and
 * for checking the trailing stop. Row i is the SAR in force during bar i; on a reversal bar it is the
 * new trend's SAR (the old trend's EP). Starts long from the first bar. A trend reverses when a bar
 * PENETRATES the SAR (strictly beyond it), as Wilder and technicalindicators have it; the trailing stop
 * instead fires when a bar merely touches it, as a resting stop order would.
 * @example parabolicSar([{ high: 10, low: 9 }, { high: 11, low: 9.5 }, { high: 12, low: 10.5 }]) // [9, 9, 9]
 */
export function parabolicSar(
  candles: readonly { readonly high: number; readonly low: number }[],
  step = 0.02,
  max = 0.2,
): number[] {
  const first = candles[0];
  if (!first) return [];
  const out = [first.low];
  let core: SarCore = { side: "long", stop: first.low, ep: first.high, af: step, prevExtreme: first.low };
  for (let i = 1; i < candles.length; i++) {
    const bar = candles[i] as { high: number; low: number };
    const previous = candles[i - 1] as { high: number; low: number };
    const long = core.side === "long";
    if (long ? bar.low >= core.stop : bar.high <= core.stop) {
      out.push(core.stop);
      core = sarStep(core, bar, step, max);
      continue;
    }
    // Reversal: the new SAR is the old trend's EP (this bar included), the new EP this bar's other end.
    const reversed = long ? Math.max(core.ep, bar.high) : Math.min(core.ep, bar.low);
    out.push(reversed);
    const ep = long ? bar.low : bar.high;
    const moved = reversed + step * (ep - reversed);
    const stop = long ? Math.max(moved, previous.high, bar.high) : Math.min(moved, previous.low, bar.low);
    core = { side: long ? "short" : "long", stop, ep, af: step, prevExtreme: long ? bar.high : bar.low };
  }
  return out;
}
