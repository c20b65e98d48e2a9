import type { Bus } from "../../../core/bus/index.ts";
import type { Clock } from "../../../core/clock.ts";
import type { RiskLimits } from "../../../core/domain/index.ts";
import type { Store } from "../../../core/store/database.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import { switchTradingState } from "../../../core/trading/index.ts";
import type { CoreServices, PluginView } from "../services.ts";
import type { ChartPort } from "./charts.ts";
import { readEngineStatus, type StatusSource } from "./engine-status.ts";
import { trackLastCandles } from "./last-candles.ts";
import { listPluginViews, type PluginSource } from "./plugins.ts";
import { tradingServices } from "./trading-services.ts";
import { isTradingSource, type TradingSource } from "./trading-source.ts";

export interface CoreServicesDeps {
  /** The engine; a source of status alone leaves the trading commands "not available". */
  readonly engine: StatusSource | TradingSource;
  readonly db: Db;
  readonly bus: Bus;
  readonly clock: Clock;
  /** core/plugins' PluginRegistry (`PluginRegistry.discover(["plugins"]).registry`): /plugins lists it. */
  readonly plugins?: PluginSource;
  /** A listing of another kind (a remote registry, a test); wins over `plugins`. */
  readonly listPlugins?: () => Promise<readonly PluginView[]>;
  /** The store the engine trades on, for candles: /chart and /backtest need it and `cacheDir`. */
  readonly store?: Store;
  readonly cacheDir?: string;
  /** Folders /backtest resolves plugin ids in (the engine's: `["plugins"]`). */
  readonly pluginRoots?: readonly string[];
  /** strategies.yaml's `risk:` block: /risk shows it and chat backtests trade under it. */
  readonly risk?: RiskLimits | null;
  /** Draws the charts; core/charts by default. */
  readonly charts?: ChartPort;
}

/**
 * The CoreServices over the engine: status and trading views from the engine and the store, the kill
 * switch through core's switchTradingState (the one the web panel and the risk rules use too),
 * plugins from the registry. Members whose parts are not given are left out, and the commands that
 * need them answer "not available yet".
 * @example
 * const services = createCoreServices({ engine, db: store.db, bus, clock: systemClock, plugins: registry,
 *   store, cacheDir, pluginRoots: ["plugins"], risk: config.risk });
 */
export function createCoreServices(deps: CoreServicesDeps): CoreServices {
  const trading = isTradingSource(deps.engine) ? deps.engine : undefined;
  return {
    status: () => readEngineStatus(deps.engine, deps.db),
    setTradingState: (state, reason, by) => switchTradingState(deps, state, reason, by),
    ...(deps.plugins && { listPlugins: () => listPluginViews(deps.plugins!, deps.db) }),
    ...(deps.listPlugins && { listPlugins: deps.listPlugins }),
    // The tracker lives as long as the services: a bot's, which is the process's.
    ...(trading && tradingServices({ ...deps, engine: trading, candles: trackLastCandles(deps.bus) })),
  };
}
