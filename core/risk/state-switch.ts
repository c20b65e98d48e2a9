import { pct } from "./format.ts";
import { reached } from "./rule.ts";
import { dailyLossPct, drawdownPct, type RiskSnapshot } from "./snapshot.ts";
import { isStricter, type TradingState } from "./trading-state.ts";

/**
 * A rule's request to change the trading state. `state`, `reason` and `by` are the bus's
 * `trading.state` payload; `from` is what it replaces.
 */
export interface TradingStateChange {
  readonly from: TradingState;
  readonly state: TradingState;
  readonly reason: string;
  /** "risk:<rule>": who switched, for the audit trail and the chat. */
  readonly by: string;
}

/** What the state switches read. */
export type StateInputs = Pick<RiskSnapshot, "tradingState" | "equity" | "dayStartEquity" | "peakEquity" | "limits">;

/** A check that may ask for a stricter trading state. */
export type StateSwitch = (inputs: StateInputs) => TradingStateChange | undefined;

/**
 * Daily loss at 100% of its limit: REDUCING, so open positions can still be closed.
 * @example dailyLossSwitch({ tradingState: "ACTIVE", equity: 9500, dayStartEquity: 10000, limits: { dailyLossLimitPct: 5 } })
 *   // { from: "ACTIVE", state: "REDUCING", by: "risk:daily-loss", reason: "daily loss 5% of day-start equity reached the 5% limit: exits only" }
 */
export const dailyLossSwitch: StateSwitch = (inputs) => {
  const loss = dailyLossPct(inputs);
  const limit = inputs.limits.dailyLossLimitPct;
  if (loss === undefined || !(limit > 0) || !reached(loss, limit)) return undefined;
  return change(inputs, "REDUCING", "daily-loss", dailyLossReason, loss, limit);
};

/**
 * Drawdown from the equity peak at its limit: REDUCING.
 * @example drawdownSwitch({ tradingState: "ACTIVE", equity: 7500, peakEquity: 10000, limits: { maxDrawdownPct: 25 } })?.state // "REDUCING"
 */
export const drawdownSwitch: StateSwitch = (inputs) => {
  const drawdown = drawdownPct(inputs);
  const limit = inputs.limits.maxDrawdownPct;
  if (drawdown === undefined || !(limit > 0) || !reached(drawdown, limit)) return undefined;
  return change(inputs, "REDUCING", "max-drawdown", drawdownReason, drawdown, limit);
};

function dailyLossReason(loss: number, limit: number): string {
  return `daily loss ${pct(loss)} of day-start equity reached the ${pct(limit)} limit: exits only`;
}

function drawdownReason(drawdown: number, limit: number): string {
  return `drawdown ${pct(drawdown)} from the equity peak reached the ${pct(limit)} limit: exits only`;
}

export const DEFAULT_STATE_SWITCHES: readonly StateSwitch[] = [dailyLossSwitch, drawdownSwitch];

/**
 * The first state change the switches ask for, or undefined. Rules only ever tighten the state
 * (ACTIVE -> REDUCING -> HALTED); loosening it again is the operator's call (the kill switch), or the
 * engine's at a new UTC day, never a rule's: a limit that un-trips on a lucky tick would flap.
 * @example nextTradingState({ tradingState: "ACTIVE", equity: 9400, dayStartEquity: 10000, peakEquity: 10000, limits })?.state // "REDUCING"
 */
export function nextTradingState(
  inputs: StateInputs,
  switches: readonly StateSwitch[] = DEFAULT_STATE_SWITCHES,
): TradingStateChange | undefined {
  for (const check of switches) {
    const changed = check(inputs);
    if (changed && isStricter(changed.state, inputs.tradingState)) return changed;
  }
  return undefined;
}

function change(
  inputs: StateInputs,
  state: TradingState,
  rule: string,
  reason: (value: number, limit: number) => string,
  value: number,
  limit: number,
): TradingStateChange | undefined {
  // The reason is written only for a change that happens: once a limit has tripped, every later intent
  // meets the same switch again.
  return isStricter(state, inputs.tradingState)
    ? { from: inputs.tradingState, state, reason: reason(value, limit), by: `risk:${rule}` }
    : undefined;
}
