import type { Bus, TradingState } from "../../../core/bus/index.ts";
import type { Clock } from "../../../core/clock.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import { getTradingState, setTradingState } from "../../../core/store/repositories/trading-state.ts";
import type { TradingStateChange } from "../services.ts";

/**
 * The kill switch until core owns it: writes the global trading state and, when it changed, publishes
 * `trading.state` (after the write, so a subscriber that reads the store sees the new state). Setting
 * the state it already has changes nothing and publishes nothing.
 * @example await switchTradingState({ db, bus, clock }, "HALTED", "manual", "telegram:42")
 */
export async function switchTradingState(
  deps: { readonly db: Db; readonly bus: Bus; readonly clock: Clock },
  state: TradingState,
  reason: string,
  by: string,
): Promise<TradingStateChange> {
  const previous = (await getTradingState(deps.db))?.state ?? "ACTIVE";
  if (previous === state) return { previous, state, changed: false };
  await setTradingState(deps.db, { scope: "global", state, reason, changedBy: by, changedAt: deps.clock.now() });
  await deps.bus.publish("trading.state", { state, reason, by });
  return { previous, state, changed: true };
}
