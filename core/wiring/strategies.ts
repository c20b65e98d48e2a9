import path from "node:path";
import type { Bus } from "../bus/index.ts";
import type { Clock } from "../clock.ts";
import { ConfigError, type ConfigProblem, type LoadedConfig, type StrategyInstanceConfig } from "../config/index.ts";
import type { SeriesKey, Timeframe } from "../domain/index.ts";
import type { Logger } from "../log.ts";
import { loadCandles, subColumns } from "../market/index.ts";
import type { ParamValue } from "../plugins/manifest-schema.ts";
import { validateParams } from "../plugins/params.ts";
import { type PluginPackage, type PluginRegistry, sandboxSpec } from "../plugins/registry.ts";
import type { SandboxPool } from "../plugins/sandbox/pool.ts";
import type { Store } from "../store/database.ts";
import { saveStrategyInstance } from "../store/repositories/strategy-instances.ts";
import { loadStrategyState, replaceStrategyState } from "../store/repositories/strategy-state.ts";
import { StrategyRunner } from "../strategy/runner.ts";
import type { StrategySession } from "../trading/index.ts";

/** A strategy instance of strategies.yaml with its runner, bound to its account. */
export interface EngineStrategy {
  readonly config: StrategyInstanceConfig;
  readonly exchange: string;
  readonly timeframe: Timeframe;
  readonly plugin: PluginPackage;
  readonly session: StrategySession;
}

export interface StrategyDeps {
  readonly loaded: LoadedConfig;
  readonly registry: PluginRegistry;
  readonly pool: SandboxPool;
  readonly store: Store;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly cacheDir: string;
  readonly log: Logger;
  /** Exchange id of each account that trades. */
  readonly exchangeOf: ReadonlyMap<string, string>;
}

/**
 * Resolves every enabled strategy's plugin and validates its params against the manifest (all
 * problems at once, with their strategies.yaml positions), then builds a sandboxed runner for each.
 * A plugin that fails to load is reported and its strategy left out; the others still run.
 * @example const strategies = await buildStrategies(deps)
 */
export async function buildStrategies(deps: StrategyDeps): Promise<EngineStrategy[]> {
  const { loaded, log } = deps;
  const baseDir = path.dirname(path.resolve(loaded.file));
  const problems: ConfigProblem[] = [];
  const resolved: {
    index: number;
    config: StrategyInstanceConfig;
    plugin: PluginPackage;
    params: Readonly<Record<string, ParamValue>>;
  }[] = [];
  loaded.config.strategies.forEach((config, index) => {
    if (!config.enabled || !deps.exchangeOf.has(config.account)) return;
    const at = (...rest: (string | number)[]) => loaded.locate(["strategies", index, ...rest]);
    let plugin: PluginPackage;
    try {
      plugin = deps.registry.resolve(config.plugin, config.version, baseDir);
    } catch (error) {
      problems.push(problem(loaded.file, `strategies[${index}].plugin`, (error as Error).message, at("plugin")));
      return;
    }
    const params = validateParams(plugin.manifest, config.params);
    if (!params.ok) {
      for (const p of params.problems) {
        problems.push(
          problem(
            loaded.file,
            `strategies[${index}].params.${p.name}`,
            p.message,
            at("params", p.name) ?? at("params"),
          ),
        );
      }
      return;
    }
    resolved.push({ index, config, plugin, params: params.params });
  });
  if (problems.length > 0) throw new ConfigError(problems);

  const strategies: EngineStrategy[] = [];
  for (const { config, plugin, params } of resolved) {
    const exchange = deps.exchangeOf.get(config.account) as string;
    await saveStrategyInstance(deps.store.db, {
      id: config.id,
      pluginId: plugin.manifest.id,
      pluginVersion: plugin.manifest.version,
      accountId: config.account,
      config: { symbols: config.symbols, timeframe: config.timeframe, params, allocation: config.allocation },
      updatedAt: deps.clock.now(),
    });
    try {
      const sandbox = await deps.pool.createInstance(sandboxSpec(plugin, config.id), { strategyId: config.id });
      const saved = await loadStrategyState(deps.store.db, config.id);
      const runner = new StrategyRunner({
        strategyId: config.id,
        symbols: config.symbols,
        params,
        sandbox,
        warmup: plugin.manifest.warmup,
        bus: deps.bus,
        state: Object.keys(saved).length > 0 ? JSON.stringify(saved) : null,
        saveState: (id, json) => replaceStrategyState(deps.store.db, id, JSON.parse(json), deps.clock.now()),
        loadWarmup: async ({ symbols, count, before }) => {
          const out: Record<string, Awaited<ReturnType<typeof loadCandles>>> = {};
          for (const symbol of symbols) {
            const key: SeriesKey = { exchange, symbol, timeframe: config.timeframe };
            const columns = await loadCandles(
              deps.store,
              key,
              before === undefined ? {} : { to: before },
              deps.cacheDir,
            );
            const n = columns.time.length;
            out[symbol] = subColumns(columns, Math.max(0, n - count), n);
          }
          return out;
        },
        onLog: (line) => log.info({ strategy: line.strategyId, plugin: plugin.manifest.id }, line.message),
      });
      strategies.push({
        config,
        exchange,
        timeframe: config.timeframe,
        plugin,
        session: {
          strategy: { id: config.id, ...(config.risk && { limits: config.risk }), allocation: config.allocation },
          runner,
          symbols: config.symbols,
        },
      });
    } catch (error) {
      log.error({ strategy: config.id, err: (error as Error).message }, "strategy did not load; it is left out");
    }
  }
  return strategies;
}

function problem(
  file: string,
  at: string,
  message: string,
  position: { line: number; column: number } | undefined,
): ConfigProblem {
  return { file, path: at, message, ...(position && { line: position.line, column: position.column }) };
}
