import type { Clock } from "../../../core/clock.ts";
import type { RiskLimits } from "../../../core/domain/index.ts";
import type { Store } from "../../../core/store/database.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import type { CoreServices } from "../services.ts";
import { runChatBacktest } from "./backtest.ts";
import { readBalances } from "./balances.ts";
import { type ChartPort, coreCharts } from "./charts.ts";
import type { LastCandles } from "./last-candles.ts";
import { closeOne, placeOrder, quoteOrder } from "./manual-orders.ts";
import { marketChart } from "./market-chart.ts";
import { readOrders, readTrades } from "./orders.ts";
import { readPerformance } from "./performance.ts";
import { readDaily, readPnl } from "./pnl.ts";
import { matchPositions, readPositions } from "./positions.ts";
import { readRisk } from "./risk.ts";
import { listStrategyViews, strategyDetail } from "./strategies.ts";
import { setStrategyParam, switchStrategy } from "./strategy-control.ts";
import { accountQuote, type TradingSource } from "./trading-source.ts";

export interface TradingServicesDeps {
  readonly engine: TradingSource;
  readonly db: Db;
  readonly clock: Clock;
  readonly candles: LastCandles;
  readonly store?: Store;
  readonly cacheDir?: string;
  readonly pluginRoots?: readonly string[];
  readonly risk?: RiskLimits | null;
  readonly charts?: ChartPort;
}

type TradingMembers = Omit<CoreServices, "status" | "setTradingState" | "listPlugins">;

/**
 * The CoreServices members that need a trading engine: balances, positions, orders, PnL, strategies,
 * manual orders, risk; /chart and /backtest also need the store and the candle cache folder.
 * @example const members = tradingServices({ engine, db: store.db, clock, candles: trackLastCandles(bus), store, cacheDir })
 */
export function tradingServices(deps: TradingServicesDeps): TradingMembers {
  const { engine, db, clock, candles } = deps;
  const charts = deps.charts ?? coreCharts;
  const accounts = () => [...engine.accounts().values()].map((a) => ({ id: a.config.id, quote: accountQuote(a) }));
  const positions = () => readPositions(engine);
  const strategySource = { db, loaded: () => engine.strategies(), positions };
  const { store, cacheDir, pluginRoots } = deps;
  const exchanges = () => [...new Set([...engine.accounts().values()].map((a) => a.config.exchange))];
  const tradedOn = (symbol: string) =>
    engine.strategies().find((s) => s.config.symbols.some((x) => x.toUpperCase() === symbol))?.timeframe;
  // A chat backtest simulates the first account: its exchange's candles, its cash and its fees.
  const simulated = () => {
    const account = [...engine.accounts().values()][0];
    const quote = account ? accountQuote(account) : "USDT";
    return {
      exchange: account?.config.exchange ?? "binance",
      cash: account?.config.balances[quote] ?? 10_000,
      fees: { makerPct: account?.config.fees.maker ?? 0.1, takerPct: account?.config.fees.taker ?? 0.1 },
    };
  };
  return {
    balances: () => readBalances(engine),
    positions: async () => positions(),
    orders: (recent) => readOrders(db, recent),
    trades: (limit) => readTrades(db, limit),
    pnl: (period) => readPnl({ db, accounts, charts }, period),
    daily: (days) => readDaily({ db, accounts, charts }, days),
    performance: () => readPerformance(db, positions()),
    strategies: () => listStrategyViews(strategySource),
    strategy: (id) => strategyDetail(strategySource, id),
    runStrategy: (id, by) => switchStrategy(engine, id, true, by),
    stopStrategy: (id, by) => switchStrategy(engine, id, false, by),
    setParam: (id, name, value) => setStrategyParam({ db, clock, engine }, id, name, value),
    quoteOrder: async (ticket) => quoteOrder({ engine, candles, clock }, ticket),
    placeOrder: (ticket, by) => placeOrder({ engine, candles, clock }, ticket, by),
    findPositions: async (ref) => matchPositions(positions(), ref),
    closePosition: (position, by) => closeOne(engine, position, by),
    risk: () => readRisk({ db, engine, ...(deps.risk !== undefined && { limits: deps.risk }) }),
    ...(store &&
      cacheDir !== undefined && {
        marketChart: (symbol, timeframe) =>
          marketChart({ store, cacheDir, exchanges: exchanges(), candles, tradedOn, charts }, symbol, timeframe),
      }),
    ...(store &&
      cacheDir !== undefined &&
      pluginRoots && {
        backtest: (request, onProgress) =>
          runChatBacktest(
            { store, cacheDir, pluginRoots, ...simulated(), risk: deps.risk ?? null, charts },
            request,
            onProgress,
          ),
      }),
  };
}
