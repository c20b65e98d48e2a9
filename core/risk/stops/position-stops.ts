import type { CandleColumns, OrderIntent } from "../../domain/index.ts";
import { fmt } from "../format.ts";
import { stopLossPrice, takeProfitPrice } from "./levels.ts";
import { advanceTrailing, describeTrailing, initTrailing, type TrailingState } from "./trailing.ts";
import { openedThrough, stopFill, targetFill } from "./trigger.ts";
import { type EntryContext, type PositionSide, positionSide, type StopCandle, tighter } from "./types.ts";

/**
 * Every exit level attached to one position, as a plain object the engine persists so that stops
 * survive a restart. Levels are prices; null means "none".
 */
export interface StopState {
  readonly side: PositionSide;
  readonly entryPrice: number;
  readonly stopLoss: number | null;
  readonly takeProfit: number | null;
  readonly trailing: TrailingState | null;
  /** The protective level as a stop order resting on the exchange, when the venue takes them. */
  readonly onExchange?: RestingStop;
}

/** A protective stop order on the exchange: which order, at which trigger, for how much. */
export interface RestingStop {
  readonly clientOrderId: string;
  readonly level: number;
  readonly amount: number;
}

export type StopKind = "stop-loss" | "trailing-stop" | "take-profit";

/** A stop that fired: where the exit fills and why. */
export interface StopTrigger {
  readonly kind: StopKind;
  /** Fill price: the level, or the open when the bar gapped through a stop. */
  readonly price: number;
  /** The level that was hit. */
  readonly level: number;
  readonly reason: string;
}

export interface StopUpdate {
  /** The state after the candle (unchanged when a stop fired: the position is closed). */
  readonly state: StopState;
  readonly triggered?: StopTrigger;
}

/**
 * The stops of a position opened by `intent` at `entry.price`.
 * @example attachStops({ side: "buy", stopLoss: { pct: 2 }, takeProfit: { pct: 6 } }, { price: 100 })
 *   // { side: "long", entryPrice: 100, stopLoss: 98, takeProfit: 106, trailing: null }
 */
export function attachStops(
  intent: Pick<OrderIntent, "side" | "stopLoss" | "takeProfit" | "trailingStop">,
  entry: Omit<EntryContext, "side">,
): StopState {
  const side = positionSide(intent.side);
  return {
    side,
    entryPrice: entry.price,
    stopLoss: intent.stopLoss ? stopLossPrice(intent.stopLoss, entry.price, side) : null,
    takeProfit: intent.takeProfit ? takeProfitPrice(intent.takeProfit, entry.price, side) : null,
    trailing: intent.trailingStop ? initTrailing(intent.trailingStop, { ...entry, side }) : null,
  };
}

/**
 * One closed candle against a position's stops. In order:
 * 1. the protective level (the tighter of stop-loss and trailing stop) if the bar opened through it:
 *    filled at the open, the first and worse price;
 * 2. the take-profit if the bar opened through it: it was the bar's first price, so it came first;
 * 3. the protective level if the low (long) touched it, filled at the level; when the high touched the
 *    take-profit in the same bar we cannot know which came first and assume the stop did: a backtest
 *    that guesses the lucky order overstates every strategy;
 * 4. the take-profit if the high touched it;
 * 5. otherwise the trailing stop moves on this candle, for the next one.
 * Mirrored for a short.
 * @example updateStop({ side: "long", entryPrice: 100, stopLoss: 95, takeProfit: 110, trailing: null }, { open: 100, high: 111, low: 94, close: 105 }).triggered
 *   // { kind: "stop-loss", price: 95, level: 95, reason: "stop-loss 95 and take-profit 110 both inside the bar (low 94, high 111): stop-loss assumed first, filled at 95" }
 */
export function updateStop(state: StopState, candle: StopCandle): StopUpdate {
  const { side } = state;
  const protective = protectiveLevel(state);
  const stopAt = protective && stopFill(side, protective.level, candle);
  const targetAt = state.takeProfit !== null ? targetFill(side, state.takeProfit, candle) : undefined;

  if (protective && stopAt !== undefined) {
    const { kind, level } = protective;
    const label = labelOf(state, kind);
    if (stopAt !== level) {
      return hit(
        state,
        kind,
        stopAt,
        level,
        `${label} ${fmt(level)} hit: the bar opened at ${fmt(candle.open)}, through the stop, filled at the open`,
      );
    }
    const tp = state.takeProfit;
    if (tp !== null && openedThrough(side, tp, candle)) {
      return hit(
        state,
        "take-profit",
        tp,
        tp,
        `take-profit ${fmt(tp)} hit: the bar opened at ${fmt(candle.open)}, beyond it, filled at ${fmt(tp)}`,
      );
    }
    // The texts are written only for a stop that fired: a backtest scans every candle ahead with this.
    const worst = worstOf(side, candle);
    if (targetAt !== undefined && tp !== null) {
      const best = bestOf(side, candle);
      const range = side === "long" ? `${worst}, ${best}` : `${best}, ${worst}`;
      return hit(
        state,
        kind,
        level,
        level,
        `${label} ${fmt(level)} and take-profit ${fmt(tp)} both inside the bar (${range}): ${label} assumed first, filled at ${fmt(level)}`,
      );
    }
    return hit(state, kind, level, level, `${label} ${fmt(level)} hit: ${worst} reached it, filled at ${fmt(level)}`);
  }
  if (targetAt !== undefined && state.takeProfit !== null) {
    const tp = state.takeProfit;
    const how = openedThrough(side, tp, candle)
      ? `the bar opened at ${fmt(candle.open)}, beyond it`
      : `${bestOf(side, candle)} reached it`;
    return hit(state, "take-profit", tp, tp, `take-profit ${fmt(tp)} hit: ${how}, filled at ${fmt(tp)}`);
  }
  return { state: state.trailing ? { ...state, trailing: advanceTrailing(state.trailing, candle) } : state };
}

/**
 * The first index in [from, to) of `candles` at which stops without a trailing stop fire (what
 * updateStop would trigger on, row by row), or `to`. Such stops never move, so this is a plain search;
 * rows of NaN (no candle of the symbol at that step) never fire.
 * @example firstFixedTrigger({ side: "long", stopLoss: 95, takeProfit: 110, trailing: null, ... }, columns, 0, 500) // 212
 */
export function firstFixedTrigger(
  state: StopState,
  candles: Pick<CandleColumns, "open" | "high" | "low">,
  from: number,
  to: number,
): number {
  const { open, high, low } = candles;
  // No level compares true with NaN: a missing level never fires.
  const stop = state.stopLoss ?? Number.NaN;
  const target = state.takeProfit ?? Number.NaN;
  if (state.side === "long") {
    for (let i = from; i < to; i++) {
      const o = open[i] as number;
      if (Number.isNaN(o)) continue;
      if (o <= stop || (low[i] as number) <= stop || (high[i] as number) >= target) return i;
    }
  } else {
    for (let i = from; i < to; i++) {
      const o = open[i] as number;
      if (Number.isNaN(o)) continue;
      if (o >= stop || (high[i] as number) >= stop || (low[i] as number) <= target) return i;
    }
  }
  return to;
}

/**
 * The level that protects the position now: the tighter of the stop-loss and the trailing stop. Asked
 * for every candle ahead in a backtest's scan, so it writes no text.
 * @example protectiveLevel({ side: "long", stopLoss: 95, trailing: { stop: 97, ... }, ... })?.kind // "trailing-stop"
 */
export function protectiveLevel(state: StopState): { kind: StopKind; level: number } | undefined {
  const trail = state.trailing?.stop ?? null;
  const level = tighter(state.side, state.stopLoss, trail);
  if (level === null) return undefined;
  // On a tie the stop-loss is named: it is the level the trader set.
  return { kind: level === state.stopLoss ? "stop-loss" : "trailing-stop", level };
}

/** How a protective level of `kind` is named in reasons: "stop-loss", or the trail's description. */
function labelOf(state: StopState, kind: StopKind): string {
  return kind === "stop-loss" ? "stop-loss" : describeTrailing(state.trailing as TrailingState);
}

/** The bar's extreme against the position: its low for a long. */
function worstOf(side: PositionSide, candle: StopCandle): string {
  return side === "long" ? `low ${fmt(candle.low)}` : `high ${fmt(candle.high)}`;
}

/** The bar's extreme in the position's favour: its high for a long. */
function bestOf(side: PositionSide, candle: StopCandle): string {
  return side === "long" ? `high ${fmt(candle.high)}` : `low ${fmt(candle.low)}`;
}

function hit(state: StopState, kind: StopKind, price: number, level: number, reason: string): StopUpdate {
  return { state, triggered: { kind, price, level, reason } };
}
