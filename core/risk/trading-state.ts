/**
 * The kill switch. ACTIVE trades normally, REDUCING lets only exits through, HALTED sends nothing.
 * The same union as `TradingState` in core/bus/events.ts (a type test keeps them equal); it is
 * restated here because core/risk stays free of imports from the bus, store and exchange layers.
 */
export type TradingState = "ACTIVE" | "REDUCING" | "HALTED";

const STRICTNESS: Readonly<Record<TradingState, number>> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/**
 * True when `to` allows less than `from`; rules only ever tighten the state, an operator loosens it.
 * @example isStricter("REDUCING", "ACTIVE") // true
 */
export function isStricter(to: TradingState, from: TradingState): boolean {
  return STRICTNESS[to] > STRICTNESS[from];
}
