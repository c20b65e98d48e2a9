import type { TrailingStop } from "../../domain/index.ts";
import { fmt } from "../format.ts";
import { type AtrTrailState, advanceAtrTrail, initAtrTrail } from "./atr.ts";
import { advancePercentTrail, initPercentTrail, type PercentTrailState } from "./percent.ts";
import { advanceSarTrail, initSarTrail, type SarTrailState } from "./sar.ts";
import { advanceStepTrail, initStepTrail, type StepTrailState } from "./step.ts";
import type { EntryContext, StopCandle } from "./types.ts";

/**
 * A trailing stop in any of the four modes: a plain object (numbers, strings, arrays), so it can be
 * stored as JSON and a restart resumes the stop exactly where it was. `stop` is always the level in
 * force for the NEXT candle, null while a mode has no level yet.
 */
export type TrailingState = PercentTrailState | AtrTrailState | StepTrailState | SarTrailState;

/**
 * The trailing stop of a freshly opened position.
 * @example initTrailing({ mode: "percent", pct: 5 }, { side: "long", price: 100 }).stop // 95
 */
export function initTrailing(spec: TrailingStop, entry: EntryContext): TrailingState {
  switch (spec.mode) {
    case "percent":
      return initPercentTrail(spec, entry);
    case "atr":
      return initAtrTrail(spec, entry);
    case "step":
      return initStepTrail(spec, entry);
    case "sar":
      return initSarTrail(spec, entry);
  }
}

/**
 * The trail after a candle closed without reaching the stop. The candle's high and low move the
 * level for the NEXT candle only: within a bar we cannot know whether the high came before the low,
 * so raising the stop on a bar's high and then testing that bar's low against it would invent exits.
 * @example advanceTrailing(initTrailing({ mode: "percent", pct: 5 }, { side: "long", price: 100 }), { open: 100, high: 110, low: 99, close: 108 }).stop // 104.5
 */
export function advanceTrailing(state: TrailingState, candle: StopCandle): TrailingState {
  switch (state.mode) {
    case "percent":
      return advancePercentTrail(state, candle);
    case "atr":
      return advanceAtrTrail(state, candle);
    case "step":
      return advanceStepTrail(state, candle);
    case "sar":
      return advanceSarTrail(state, candle);
  }
}

/**
 * The trail's name in reasons.
 * @example describeTrailing({ mode: "atr", multiple: 3, ... }) // "trailing stop (3 × ATR)"
 */
export function describeTrailing(state: TrailingState): string {
  switch (state.mode) {
    case "percent":
      return `trailing stop (${fmt(state.pct)}%)`;
    case "atr":
      return `trailing stop (${fmt(state.multiple)} × ATR)`;
    case "step":
      return state.bandPct === null ? "trailing stop (step)" : `trailing stop (step, +${fmt(state.bandPct)}% band)`;
    case "sar":
      return `trailing stop (SAR ${fmt(state.step)}/${fmt(state.max)})`;
  }
}
