import type { StrategyLifecycle } from "../../../core/bus/events.ts";
import type { Translate } from "../../i18n/index.ts";

const STATES: readonly StrategyLifecycle[] = ["ready", "running", "stopped", "degraded", "failed", "disabled"];

/**
 * A stored instance state in the reader's language; a state the catalog does not know shows as stored.
 * @example strategyState(t, "running") // "running" / "실행 중"
 */
export function strategyState(t: Translate, state: string): string {
  return (STATES as readonly string[]).includes(state) ? t(`strategy.${state as StrategyLifecycle}`) : state;
}
