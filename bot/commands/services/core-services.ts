import type { Bus } from "../../../core/bus/index.ts";
import type { Clock } from "../../../core/clock.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import type { CoreServices, PluginView } from "../services.ts";
import { readEngineStatus, type StatusSource } from "./engine-status.ts";
import { listPluginViews, type PluginSource } from "./plugins.ts";
import { switchTradingState } from "./trading-state.ts";

export interface CoreServicesDeps {
  readonly engine: StatusSource;
  readonly db: Db;
  readonly bus: Bus;
  readonly clock: Clock;
  /** core/plugins' PluginRegistry (`PluginRegistry.discover(["plugins"]).registry`): /plugins lists it. */
  readonly plugins?: PluginSource;
  /** A listing of another kind (a remote registry, a test); wins over `plugins`. */
  readonly listPlugins?: () => Promise<readonly PluginView[]>;
}

/**
 * The CoreServices of today's core: status from the engine and the store, the kill switch through the
 * trading_state table and the bus, plugins from the registry. Parts of core built later replace
 * members here, not commands.
 * @example const services = createCoreServices({ engine, db: store.db, bus, clock: systemClock, plugins: registry })
 */
export function createCoreServices(deps: CoreServicesDeps): CoreServices {
  return {
    status: () => readEngineStatus(deps.engine, deps.db),
    setTradingState: (state, reason, by) => switchTradingState(deps, state, reason, by),
    ...(deps.plugins && { listPlugins: () => listPluginViews(deps.plugins!, deps.db) }),
    ...(deps.listPlugins && { listPlugins: deps.listPlugins }),
  };
}
