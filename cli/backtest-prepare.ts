import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { MetricsOptions } from "../core/backtest/metrics/types.ts";
import type { BacktestSettings, ParamInput } from "../core/backtest/types.ts";
import type { RiskLimits, Timeframe } from "../core/domain/index.ts";
import type { SeriesInfo } from "../core/market/series.ts";
import type { PluginPackage } from "../core/plugins/registry.ts";
import type { Store } from "../core/store/database.ts";
import { firstLine, parseDate, parseFees, parseMetricsOptions, parseNumber, type RunFlags } from "./backtest-flags.ts";
import { CliError } from "./errors.ts";

// From the flags of `backtest` and `sweep` to checked settings: the plugin resolved, the params checked
// against its manifest, the risk limits read, the stored candles found. Nothing runs on bad input.

const BUILT_IN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../plugins");

/** Everything checked and ready: the settings, and what was learnt on the way. */
export interface PreparedRun {
  readonly settings: BacktestSettings;
  readonly pkg: PluginPackage;
  /** The --param flags as typed values (not yet merged with defaults). */
  readonly fixedParams: Readonly<Record<string, ParamInput>>;
  readonly series: readonly SeriesInfo[];
  readonly store: Store;
  readonly cacheDir: string;
  readonly pluginRoots: readonly string[];
  readonly metricsOptions: MetricsOptions;
}

/**
 * Checks every shared flag and the stored candles, then opens the store: nothing runs on bad input,
 * and each problem is one line naming the flag. The --param flags are checked against the manifest
 * either way; with `validateParams` the settings carry them with the defaults filled in, without it
 * only the flags themselves (a sweep adds the grid and checks each combination).
 */
export async function prepareRun(flags: RunFlags, options: { validateParams: boolean }): Promise<PreparedRun> {
  const { isTimeframe } = await import("../core/domain/index.ts");
  if (!flags.plugin)
    throw new CliError("--plugin is required: a plugin id like sma-cross, or a folder like ./my-plugin");
  const symbols = flags.symbol ?? [];
  if (symbols.length === 0) throw new CliError("--symbol is required, e.g. --symbol BTC/USDT");
  if (!flags.timeframe) throw new CliError("--timeframe is required, e.g. --timeframe 1h");
  const timeframe = flags.timeframe;
  if (!isTimeframe(timeframe)) throw new CliError(`--timeframe: unknown timeframe "${timeframe}"`);
  for (const symbol of symbols) {
    if (!/^[A-Za-z0-9]+\/[A-Za-z0-9]+(:[A-Za-z0-9]+)?$/.test(symbol)) {
      throw new CliError(`--symbol: expected a symbol like BTC/USDT, got "${symbol}"`);
    }
  }
  if (new Set(symbols).size !== symbols.length) throw new CliError("--symbol: a symbol is given twice");
  if (!/^[a-z0-9]+$/.test(flags.exchange)) {
    throw new CliError(`--exchange: expected a ccxt id such as binance, got "${flags.exchange}"`);
  }
  const from = flags.from === undefined ? undefined : parseDate("--from", flags.from, false);
  const to = flags.to === undefined ? undefined : parseDate("--to", flags.to, true);
  if (from !== undefined && to !== undefined && from >= to) throw new CliError("--from must be before --to");
  const cash = parseNumber("--cash", flags.cash, { above: 0 });
  const fees = parseFees(flags);
  const slippageBps = parseNumber("--slippage", flags.slippage, { min: 0, max: 10_000 });
  if (flags.fill !== "next-open" && flags.fill !== "close") {
    throw new CliError(`--fill: expected next-open or close, got "${flags.fill}"`);
  }
  const metricsOptions = parseMetricsOptions(flags);

  const pkg = await resolvePlugin(flags.plugin);
  const manifest = pkg.manifest;
  if (manifest.timeframes && !manifest.timeframes.includes(timeframe)) {
    throw new CliError(`--timeframe ${timeframe}: ${manifest.id} runs on ${manifest.timeframes.join(", ")}`);
  }
  const { min, max } = manifest.symbols;
  if (symbols.length < min || symbols.length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw new CliError(
      `--symbol: ${manifest.id} trades ${wanted} symbol${max === 1 ? "" : "s"}, got ${symbols.length}`,
    );
  }
  const { parseParamFlags } = await import("../core/backtest/sweep/params.ts");
  const { SweepInputError } = await import("../core/backtest/sweep/errors.ts");
  const { validateParams } = await import("../core/plugins/params.ts");
  let fixedParams: Record<string, ParamInput>;
  try {
    fixedParams = parseParamFlags(flags.param ?? [], manifest.params);
  } catch (error) {
    throw error instanceof SweepInputError ? new CliError(error.message) : error;
  }
  const checked = validateParams(manifest, fixedParams);
  if (!checked.ok) throw new CliError(checked.problems.map((p) => `--param ${p.name}: ${p.message}`).join("; "));
  const risk = await riskLimits(flags.risk);

  const { marketSettings, getSeries, listSeries } = await import("../core/market/index.ts");
  const { createStore } = await import("../core/store/database.ts");
  const { migrateToLatest } = await import("../core/store/migrate.ts");
  const market = marketSettings();
  const store = createStore(market.databaseUrl);
  try {
    await migrateToLatest(store);
    const series: SeriesInfo[] = [];
    for (const symbol of symbols) {
      const key = { exchange: flags.exchange, symbol, timeframe: timeframe as Timeframe };
      const info = await getSeries(store, key);
      if (!info) throw new CliError(missingSeries(key, await listSeries(store)));
      const overlaps = (from ?? Number.NEGATIVE_INFINITY) <= info.last && (to ?? Number.POSITIVE_INFINITY) > info.first;
      if (!overlaps) {
        throw new CliError(
          `no stored ${flags.exchange} ${symbol} ${timeframe} candles from ${day(from, "the start")} to ${day(to === undefined ? to : to - 1, "the end")} ` +
            `(stored: ${minute(info.first)} .. ${minute(info.last)} UTC); import that range with quantchat import`,
        );
      }
      series.push(info);
    }
    const settings: BacktestSettings = {
      plugin: pluginSetting(flags.plugin, pkg),
      exchange: flags.exchange,
      symbols,
      timeframe: timeframe as Timeframe,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      params: options.validateParams ? checked.params : fixedParams,
      cash,
      fees,
      slippageBps,
      fill: flags.fill,
      allowShort: flags.short === true,
      risk,
      closeAtEnd: flags.closeAtEnd === true,
    };
    return {
      settings,
      pkg,
      fixedParams,
      series,
      store,
      cacheDir: market.cacheDir,
      pluginRoots: [BUILT_IN],
      metricsOptions,
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** A plugin id from the built-in plugins, or a folder (anything that looks like a path). */
async function resolvePlugin(arg: string): Promise<PluginPackage> {
  const { ConfigError, formatProblem } = await import("../core/config/errors.ts");
  const { loadPlugin, PluginRegistry } = await import("../core/plugins/registry.ts");
  const { didYouMean } = await import("../core/config/suggest.ts");
  if (looksLikePath(arg)) {
    const dir = path.resolve(arg);
    if (!existsSync(path.join(dir, "plugin.yaml"))) throw new CliError(`--plugin ${arg}: no plugin.yaml in ${dir}`);
    try {
      return loadPlugin(dir);
    } catch (error) {
      if (error instanceof ConfigError) {
        const more =
          error.problems.length > 1
            ? ` (and ${error.problems.length - 1} more; see quantchat plugins validate ${arg})`
            : "";
        throw new CliError(
          `--plugin ${arg}: ${formatProblem(error.problems[0] as (typeof error.problems)[number])}${more}`,
        );
      }
      throw new CliError(`--plugin ${arg}: ${firstLine(error)}`);
    }
  }
  const { registry } = PluginRegistry.discover([BUILT_IN]);
  const pkg = registry.get(arg);
  if (pkg) return pkg;
  const ids = [...new Set(registry.list().map((p) => p.manifest.id))];
  throw new CliError(`--plugin ${arg}: no such plugin${didYouMean(arg, ids)} (installed: ${ids.join(", ")})`);
}

function looksLikePath(arg: string): boolean {
  return arg.startsWith(".") || path.isAbsolute(arg) || arg.includes("/") || arg.includes(path.sep);
}

/**
 * What settings.plugin records: the id, "./<folder>" relative to the working directory, or the folder's
 * absolute path when it is outside it (a "../" path would be taken for an id).
 */
function pluginSetting(arg: string, pkg: PluginPackage): string {
  if (!looksLikePath(arg)) return pkg.manifest.id;
  const relative = path.relative(process.cwd(), pkg.dir);
  if (relative === "") return ".";
  return relative.startsWith("..") || path.isAbsolute(relative) ? pkg.dir : `./${relative}`;
}

/** Risk limits from strategies.yaml; the defaults when there is no such file and none was named. */
async function riskLimits(enabled: boolean): Promise<RiskLimits | null> {
  if (!enabled) return null;
  const { DEFAULT_RISK_LIMITS } = await import("../core/domain/index.ts");
  const named = process.env.QUANTCHAT_CONFIG?.trim();
  const file = named || "strategies.yaml";
  if (!named && !existsSync(file)) return DEFAULT_RISK_LIMITS;
  const { ConfigError, formatProblem, loadStrategiesFile } = await import("../core/config/index.ts");
  try {
    return loadStrategiesFile(file).config.risk;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const count = error.problems.length;
    const first = formatProblem(error.problems[0] as (typeof error.problems)[number]);
    const more = count > 1 ? ` (and ${count - 1} more; see quantchat config check)` : "";
    throw new CliError(`risk limits: ${first}${more}; or run with --no-risk`);
  }
}

function missingSeries(
  key: { exchange: string; symbol: string; timeframe: string },
  stored: readonly SeriesInfo[],
): string {
  const file = `${key.exchange}_${key.symbol.replace("/", "-").replace(/:.*/, "")}_${key.timeframe}.csv.gz`;
  const others = stored.filter((s) => s.exchange === key.exchange && s.symbol === key.symbol).map((s) => s.timeframe);
  const hint =
    others.length > 0
      ? `; stored for ${key.symbol}: ${others.join(", ")} (quantchat import --resample ${key.timeframe} builds it from a finer file)`
      : "";
  return `no stored candles for ${key.exchange} ${key.symbol} ${key.timeframe}; import them first: quantchat import ${file}${hint}`;
}

/** The UTC day of `ms`, or `open` for an open end of the range. */
function day(ms: number | undefined, open: string): string {
  return ms === undefined ? open : new Date(ms).toISOString().slice(0, 10);
}

function minute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}
