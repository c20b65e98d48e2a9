import type { Bus } from "../../bus/bus.ts";
import type { StrategyLifecycle } from "../../bus/events.ts";
import type { PluginFailureInfo } from "./failure.ts";

/** Who an instance is, for events. */
export interface InstanceIdentity {
  readonly strategyId: string;
  readonly pluginId: string;
}

/**
 * Publishes a plugin failure: `plugin.failed` with the cause, then the instance's new lifecycle state.
 * Publishing never throws into the sandbox code that reports: a closed bus only loses the event.
 * @example await reportFailure(bus, { strategyId: "btc-sma", pluginId: "sma-cross" }, failure, "failed");
 */
export async function reportFailure(
  bus: Bus | undefined,
  who: InstanceIdentity,
  failure: PluginFailureInfo,
  state: StrategyLifecycle,
  reason?: string,
): Promise<void> {
  if (!bus) return;
  await bus.publish("plugin.failed", { ...who, cause: failure.cause, message: failure.message }).catch(() => undefined);
  await reportState(bus, who.strategyId, state, reason ?? `${failure.cause}: ${failure.message}`);
}

/** Publishes a lifecycle change of a strategy instance. */
export async function reportState(
  bus: Bus | undefined,
  strategyId: string,
  state: StrategyLifecycle,
  reason?: string,
): Promise<void> {
  if (!bus) return;
  await bus.publish("strategy.state", { strategyId, state, ...(reason ? { reason } : {}) }).catch(() => undefined);
}
