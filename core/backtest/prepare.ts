import path from "node:path";
import { type CandleColumns, isTimeframe } from "../domain/index.ts";
import type { Logger } from "../log.ts";
import { type CacheSlice, loadCandleSlice } from "../market/candle-cache.ts";
import { lowerBound, subColumns } from "../market/columns.ts";
import { getSeries } from "../market/series.ts";
import { validateParams } from "../plugins/params.ts";
import { loadPlugin, type PluginPackage, PluginRegistry, sandboxSpec } from "../plugins/registry.ts";
import { splitSymbol } from "../portfolio/currencies.ts";
import type { Store } from "../store/database.ts";
import { buildTimeline } from "../strategy/timeline.ts";
import { VERSION } from "../version.ts";
import { BacktestError } from "./errors.ts";
import { backtestId } from "./fingerprint.ts";
import type { BacktestInput, SeriesUsed } from "./input.ts";
import type { BacktestSettings } from "./types.ts";

export interface PrepareOptions {
  readonly store: Store;
  /** Where the columnar candle cache lives (core/market's loadCandles). */
  readonly cacheDir: string;
  /** Folders of plugins (or plugin folders) an id is resolved in; a "./path" plugin needs none. */
  readonly pluginRoots: readonly string[];
  readonly log?: Logger;
}

/**
 * Resolves and loads everything a backtest needs, in the caller's process (which has the store and the
 * plugin folders): checks the settings, resolves the plugin and validates its params, loads each
 * symbol's candles from the cache (`to` exclusive; up to the manifest's warm-up before `from`), and
 * fingerprints the whole. Throws BacktestError with a reason a trader can act on.
 * @example const input = await prepareBacktest(settings, { store, cacheDir: "var", pluginRoots: ["plugins"] })
 */
export async function prepareBacktest(settings: BacktestSettings, options: PrepareOptions): Promise<BacktestInput> {
  const problems = settingsProblems(settings);
  if (problems.length > 0) throw new BacktestError("settings", problems.join("; "));
  const pkg = resolvePlugin(settings.plugin, options.pluginRoots);
  const { manifest } = pkg;
  const count = settings.symbols.length;
  if (count < manifest.symbols.min || count > manifest.symbols.max) {
    const range =
      manifest.symbols.min === manifest.symbols.max
        ? `${manifest.symbols.min}`
        : `${manifest.symbols.min} to ${manifest.symbols.max}`;
    throw new BacktestError("plugin", `${manifest.id} trades ${range} symbol(s), got ${count}`);
  }
  const applied = validateParams(manifest, settings.params);
  if (!applied.ok)
    throw new BacktestError("plugin", `${manifest.id}: ${applied.problems.map((p) => p.text).join("; ")}`);
  const quotes = new Set(settings.symbols.map((s) => splitSymbol(s).quote));
  if (quotes.size > 1) {
    throw new BacktestError(
      "settings",
      `the symbols are quoted in ${[...quotes].join(", ")}: a backtest counts equity in one currency`,
    );
  }

  const candles: Record<string, CandleColumns> = {};
  const files: Record<string, CacheSlice> = {};
  const series: SeriesUsed[] = [];
  let start = Number.POSITIVE_INFINITY;
  for (const symbol of settings.symbols) {
    const key = { exchange: settings.exchange, symbol, timeframe: settings.timeframe };
    const info = await getSeries(options.store, key);
    if (!info) {
      throw new BacktestError(
        "data",
        `no candles stored for ${settings.exchange} ${symbol} ${settings.timeframe}: import them first (quantchat import)`,
      );
    }
    const { columns: all, slice } = await loadCandleSlice(
      options.store,
      key,
      settings.to === undefined ? {} : { to: settings.to },
      options.cacheDir,
      options.log ? { log: options.log } : {},
    );
    const first = settings.from === undefined ? 0 : lowerBound(all.time, settings.from);
    if (first < all.time.length) start = Math.min(start, all.time[first] as number);
    const from = Math.max(0, first - manifest.warmup);
    candles[symbol] = subColumns(all, from, all.time.length);
    if (slice) files[symbol] = { ...slice, start: slice.start + from };
    series.push({ symbol, revision: info.revision, count: info.count });
  }
  const timeline = buildTimeline(candles, settings.symbols);
  const firstStep = lowerBound(timeline.time, start);
  if (!(firstStep < timeline.length)) {
    throw new BacktestError(
      "data",
      `no candles of ${settings.symbols.join(", ")} ${settings.timeframe} in the range asked for`,
    );
  }
  const data = {
    first: start,
    last: timeline.time[timeline.length - 1] as number,
    candles: timeline.length - firstStep,
  };
  const plugin = { id: manifest.id, version: manifest.version, codeHash: pkg.sha256 };
  return {
    // The settings' params as the plugin gets them: "fast=10" and nothing (default 10) are one backtest.
    id: backtestId({
      plugin,
      params: applied.params,
      settings: { ...settings, params: applied.params },
      data,
      series,
      engineVersion: VERSION,
    }),
    settings,
    plugin: {
      ...plugin,
      spec: sandboxSpec(pkg, `backtest-${manifest.id}`),
      warmup: manifest.warmup,
      params: applied.params,
    },
    symbols: [...settings.symbols],
    candles,
    ...(Object.keys(files).length === settings.symbols.length && { candleFiles: files }),
    start,
    data,
    series,
    quote: [...quotes][0] as string,
  };
}

/** A plugin id in the roots, or a folder given by path ("./my-plugin", "../shared/my-plugin", "/abs/path"). */
function resolvePlugin(plugin: string, roots: readonly string[]): PluginPackage {
  try {
    // The registry takes "./" paths only (strategies.yaml keeps plugins under its folder); a backtest
    // is the trader's own run, and may name any folder.
    if (path.isAbsolute(plugin) || plugin.startsWith("../")) return loadPlugin(path.resolve(plugin));
    return PluginRegistry.discover(roots).registry.resolve(plugin);
  } catch (error) {
    throw new BacktestError("plugin", error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/**
 * What is wrong with the settings, in words; empty when nothing is.
 * @example settingsProblems({ ...settings, cash: 0 }) // ["cash must be greater than 0, got 0"]
 */
export function settingsProblems(s: BacktestSettings): string[] {
  const out: string[] = [];
  const finite = (name: string, value: number, min: number, strict = false) => {
    if (!Number.isFinite(value) || (strict ? value <= min : value < min)) {
      out.push(`${name} must be ${strict ? "greater than" : "at least"} ${min}, got ${value}`);
    }
  };
  if (s.symbols.length === 0) out.push("symbols: at least one symbol is needed");
  if (new Set(s.symbols).size !== s.symbols.length) out.push("symbols: a symbol is listed twice");
  if (!isTimeframe(s.timeframe)) out.push(`timeframe: unknown timeframe ${s.timeframe}`);
  if (s.from !== undefined && s.to !== undefined && !(s.from < s.to)) out.push("from must be before to");
  finite("cash", s.cash, 0, true);
  finite("slippageBps", s.slippageBps, 0);
  if (s.fees.kind === "percent") {
    finite("fees.makerPct", s.fees.makerPct, -1);
    finite("fees.takerPct", s.fees.takerPct, 0);
  } else finite("fees.perOrder", s.fees.perOrder, 0);
  if (s.fill !== "next-open" && s.fill !== "close") out.push(`fill must be "next-open" or "close", got ${s.fill}`);
  return out;
}
