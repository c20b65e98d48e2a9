import type { Bus } from "../bus/index.ts";
import type { Clock } from "../clock.ts";
import { isStricter, type TradingState } from "../risk/trading-state.ts";
import type { Db } from "../store/repositories/common.ts";
import {
  GLOBAL_SCOPE,
  getTradingState,
  setTradingState,
  type TradingStateRecord,
} from "../store/repositories/trading-state.ts";

/** What a switch did: the state before and after, and whether anything was written and published. */
export interface TradingStateChange {
  readonly previous: TradingState;
  readonly state: TradingState;
  /** False when the scope already was in `state`: nothing was written or published. */
  readonly changed: boolean;
}

/** What the kill switch needs: the store to write, the bus to announce, the clock to stamp. */
export interface TradingStateDeps {
  readonly db: Db;
  readonly bus: Bus;
  readonly clock: Clock;
}

/**
 * THE kill switch: Telegram's /halt, the web panel's button, the CLI and the risk rules all call this
 * one function. Writes the trading state of a scope (the whole engine by default, or one account id)
 * and, when it changed, publishes `trading.state` AFTER the write, so a subscriber that reads the
 * store finds the new state. Setting the state a scope already has changes nothing.
 * @example await switchTradingState({ db: store.db, bus, clock }, "HALTED", "exchange outage", "telegram:42")
 *   // { previous: "ACTIVE", state: "HALTED", changed: true }
 */
export async function switchTradingState(
  deps: TradingStateDeps,
  state: TradingState,
  reason: string,
  by: string,
  scope: string = GLOBAL_SCOPE,
): Promise<TradingStateChange> {
  const previous = (await getTradingState(deps.db, scope))?.state ?? "ACTIVE";
  if (previous === state) return { previous, state, changed: false };
  await setTradingState(deps.db, { scope, state, reason, changedBy: by, changedAt: deps.clock.now() });
  await deps.bus.publish("trading.state", { state, reason, by });
  return { previous, state, changed: true };
}

/** The state an account trades under, and the record that imposes it. */
export interface EffectiveTradingState {
  readonly state: TradingState;
  /** The stricter of the global and the account's record; undefined when neither was ever set. */
  readonly record?: TradingStateRecord;
}

/**
 * The trading state of an account: the stricter of the engine-wide state and the account's own (set
 * by its risk switches). Never set counts as ACTIVE.
 * @example (await effectiveTradingState(db, "paper")).state // "REDUCING"
 */
export async function effectiveTradingState(db: Db, accountId: string): Promise<EffectiveTradingState> {
  const [global, own] = await Promise.all([getTradingState(db, GLOBAL_SCOPE), getTradingState(db, accountId)]);
  return stricterOf(global, own);
}

/**
 * The stricter of two records (the global one on a tie: the operator's word names the state).
 * @example stricterOf({ state: "HALTED", ... }, { state: "REDUCING", ... }).state // "HALTED"
 */
export function stricterOf(
  global: TradingStateRecord | undefined,
  own: TradingStateRecord | undefined,
): EffectiveTradingState {
  if (!global && !own) return { state: "ACTIVE" };
  if (!own) return { state: (global as TradingStateRecord).state, record: global };
  if (!global || isStricter(own.state, global.state)) return { state: own.state, record: own };
  return { state: global.state, record: global };
}
