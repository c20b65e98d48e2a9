import { BacktestError, runBacktest, saveBacktest } from "../../../core/backtest/index.ts";
import { computeMetrics, summarise } from "../../../core/backtest/metrics/index.ts";
import { missingData } from "../../../core/backtest/report/index.ts";
import type { BacktestSettings, ParamInput } from "../../../core/backtest/types.ts";
import { isTimeframe, type RiskLimits } from "../../../core/domain/index.ts";
import { loadCandles } from "../../../core/market/candle-cache.ts";
import { getSeries } from "../../../core/market/series.ts";
import type { ParamSpec, PluginManifest } from "../../../core/plugins/manifest-schema.ts";
import { PluginRegistry } from "../../../core/plugins/registry.ts";
import type { Store } from "../../../core/store/database.ts";
import type { BacktestRequest, BacktestView } from "../views.ts";
import type { ChartPort } from "./charts.ts";
import { typedValue } from "./strategy-control.ts";

export interface BacktestDeps {
  readonly store: Store;
  readonly cacheDir: string;
  readonly pluginRoots: readonly string[];
  /** The exchange candles are stored under: the first account's. */
  readonly exchange: string;
  /** Starting cash and fees of the simulated account: the first account's. */
  readonly cash: number;
  readonly fees: { readonly makerPct: number; readonly takerPct: number };
  /** strategies.yaml's limits: a chat backtest trades under the rules live trading does. */
  readonly risk: RiskLimits | null;
  readonly charts?: ChartPort;
}

/** Chat may only name installed plugins; a path would let a chat user load code from anywhere on disk. */
const PLUGIN_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * /backtest: the same backtester as the CLI (the plugin in a child process), on the stored candles of
 * one symbol, with the params typed as the manifest declares them. The run is stored (backtest_results)
 * and answered with its headline metrics and the backtest chart. Bad input and a failing plugin come
 * back as `failed` with a reason a trader can act on, never as an exception.
 * @example await runChatBacktest(deps, { plugin: "sma-cross", symbol: "BTC/USDT", timeframe: "1h", span: 30 * DAY, params: { fast: "5" } })
 */
export async function runChatBacktest(
  deps: BacktestDeps,
  request: BacktestRequest,
  onProgress?: (done: number, total: number) => void,
): Promise<BacktestView> {
  if (!PLUGIN_ID.test(request.plugin)) return failed(`"${request.plugin}" is not a plugin id (see /plugins)`);
  if (!isTimeframe(request.timeframe)) return failed(`"${request.timeframe}" is not a timeframe such as 1h`);
  let manifest: PluginManifest;
  try {
    manifest = PluginRegistry.discover(deps.pluginRoots).registry.resolve(request.plugin).manifest;
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error)); // "no plugin "x" is installed"
  }
  try {
    const params: Record<string, ParamInput> = {};
    for (const [name, typed] of Object.entries(request.params)) {
      const spec = manifest.params[name] as ParamSpec | undefined;
      params[name] = spec ? typedValue(spec, typed) : typed;
    }
    const key = { exchange: deps.exchange, symbol: request.symbol, timeframe: request.timeframe };
    const series = await getSeries(deps.store, key);
    if (!series) return failed(`no ${request.symbol} ${request.timeframe} candles are stored for ${deps.exchange}`);
    const range =
      request.span !== undefined
        ? { from: series.last - request.span + 1 }
        : {
            ...(request.from !== undefined && { from: request.from }),
            ...(request.to !== undefined && { to: request.to }),
          };
    const settings: BacktestSettings = {
      plugin: request.plugin,
      exchange: deps.exchange,
      symbols: [request.symbol],
      timeframe: request.timeframe,
      ...range,
      params,
      cash: deps.cash,
      fees: { kind: "percent", makerPct: deps.fees.makerPct, takerPct: deps.fees.takerPct },
      slippageBps: 0,
      fill: "next-open",
      allowShort: false,
      risk: deps.risk,
      closeAtEnd: false,
    };
    const run = await runBacktest(settings, {
      store: deps.store,
      cacheDir: deps.cacheDir,
      pluginRoots: deps.pluginRoots,
      ...(onProgress && { onProgress }),
    });
    const metrics = computeMetrics(run);
    const id = await saveBacktest(deps.store, run, summarise(metrics));
    const chart = deps.charts
      ? await deps.charts.backtest({
          title: `${run.plugin.id} ${request.symbol} ${request.timeframe}`,
          run,
          // The run keeps closes only; the chart wants the candles it traded on, from the same store.
          candles: await loadCandles(deps.store, key, { from: run.data.first, to: run.data.last + 1 }, deps.cacheDir),
        })
      : undefined;
    const { before, hole, after } = missingData(run) ?? {};
    const missing = [
      ...(before ? [{ from: before.from, to: before.to }] : []),
      ...(hole ? [{ from: hole.from, to: hole.to, ...(hole.count > 1 && { holes: hole.count }) }] : []),
      ...(after ? [{ from: after.from, to: after.to }] : []),
    ];
    return {
      kind: "done",
      id,
      plugin: run.plugin.id,
      pluginVersion: run.plugin.version,
      symbol: request.symbol,
      timeframe: request.timeframe,
      first: run.data.first,
      last: run.data.last,
      candles: run.data.candles,
      ...(missing.length > 0 && { missing }),
      params: settings.params,
      startEquity: metrics.startEquity,
      finalEquity: metrics.finalEquity,
      totalReturn: metrics.totalReturn,
      buyAndHoldReturn: metrics.buyAndHoldReturn,
      cagr: metrics.cagr,
      sharpe: metrics.sharpe,
      maxDrawdown: metrics.maxDrawdown,
      trades: metrics.trades,
      winRate: metrics.winRate,
      profitFactor: metrics.profitFactor,
      fees: metrics.fees,
      exposure: metrics.exposure,
      ...(chart && { chart }),
    };
  } catch (error) {
    if (error instanceof BacktestError) return failed(error.message);
    throw error;
  }
}

function failed(message: string): BacktestView {
  return { kind: "failed", message };
}
