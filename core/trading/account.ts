import type { MarketInfo } from "../execution/exchange.ts";
import { splitSymbol } from "../portfolio/currencies.ts";
import { nextEvent, processCandle, skipCandles } from "./candle.ts";
import { EquityTracker } from "./equity-tracker.ts";
import { exchangeStopOuts, reconcileRestingStops, rememberRestingStops, settleStops } from "./exchange-stops.ts";
import { closeIntent, submitIntent } from "./order-path.ts";
import { AccountPositions } from "./positions.ts";
import { Serial } from "./serial.ts";
import { loadAccountState } from "./start.ts";
import { allocationOf, createAccountState, flushStops, holdings, refreshTrading, STOP_MEMORY_MS } from "./state.ts";
import { accountStatus } from "./status.ts";
import { switchTradingState } from "./trading-state.ts";
import type { TradingAccount, TradingAccountOptions } from "./types.ts";
import { accountValue } from "./valuation.ts";

/**
 * The trading pipeline of ONE account, the same in live, paper and backtest (only the clock and the
 * venue differ): intent -> risk snapshot -> verdict (stored, published) -> order executor -> venue ->
 * fills -> positions -> stops and equity. The engine runs one per account in strategies.yaml; the
 * backtester runs one on a simulated clock and a paper venue.
 *
 * State lives in the store (orders, fills, positions with their stops, verdicts, trading state) and is
 * mirrored in memory as the executor's ledger commits it, so every read on the hot path is synchronous
 * and a restart over the same store resumes where it stopped (positions, stops, stop-outs, equity peak).
 * Operations run one at a time: the risk check of an intent always sees what the one before it did.
 *
 * Drive it per closed candle: `onCandle(symbol, candle)` first (fills, stops, marks), then the strategy
 * runner with `snapshotFor(strategy)`, then `handleIntent` for each intent; `dispatchCandle` in
 * session.ts does exactly that, with the strategies' onFill. On a simulated clock the DRIVER moves the
 * clock to each candle's open time before handing it over; fills are stamped with it.
 *
 * @example
 * const paper = await createPaperExchange({ accountId: "paper", clock, store, balances: { USDT: 10_000 } });
 * const account = createTradingAccount({ accountId: "paper", exchange: paper, store, bus, clock, globalLimits: config.risk, quote: "USDT" });
 * await account.start();
 * await account.onCandle("BTC/USDT", candle);
 * const outcome = await account.handleIntent(intent, candle, { id: "sma-btc", allocation: { pct: 10 } });
 * outcome.verdict?.decision // "resize"; outcome.fills // [{ side: "buy", amount: 0.02, price: 50_000, ... }]
 */
export function createTradingAccount(options: TradingAccountOptions): TradingAccount {
  const s = createAccountState(options);
  const { accountId, store, bus, clock, exchange, log } = options;
  const serial = new Serial();
  const once = <T>(work: () => Promise<T>): Promise<T> => serial.run(work);

  return {
    accountId,

    async start() {
      const loaded = await loadAccountState(store, accountId, clock.now() - STOP_MEMORY_MS);
      s.positions = new AccountPositions(loaded.positions);
      for (const stop of loaded.stops) s.stops.load(stop.strategyId, stop.symbol, stop.state);
      for (const problem of loaded.problems) log?.warn({ accountId, problem }, "stored stops not understood; dropped");
      s.stopOuts = loaded.stopOuts;
      s.equity = new EquityTracker(loaded.equity);
      s.unsubscribe = bus.subscribe("trading.state", () => {
        // The operator, a rule or another account switched: read it again before the next order.
        s.tradingStale = true;
      });
      await refreshTrading(s);
      s.markets = await exchange.loadMarkets();
      rememberRestingStops(s);
      const report = await s.executor.start();
      // A resting stop that filled while the process was down is a stop-out like any other.
      exchangeStopOuts(s, s.recorded, clock.now());
      await reconcileRestingStops(s);
      s.balances = await exchange.fetchBalance();
      s.quote = options.quote ?? firstQuote(s.markets, s.positions) ?? "USDT";
      return report;
    },

    handleIntent(intent, candle, strategy) {
      return once(async () => {
        s.bindings.set(strategy.id, strategy);
        await flushStops(s);
        if (s.fillModel === "next-open") {
          s.deferred.push({ intent, strategy });
          return { intent, deferred: true, fills: [] };
        }
        const price = s.marks.get(intent.symbol) ?? candle.close;
        const outcome = await submitIntent(s, intent, strategy, price, { entryCandle: candle });
        await settleStops(s);
        return outcome;
      });
    },

    onCandle(symbol, candle) {
      return once(async () => {
        await flushStops(s);
        const outcome = await processCandle(s, symbol, candle);
        await settleStops(s);
        return outcome;
      });
    },

    closePosition(strategy, symbol, reason) {
      return once(async () => {
        s.bindings.set(strategy.id, strategy);
        const intent = closeIntent(s, strategy, symbol, reason, clock.now());
        if (!intent) return undefined;
        const price = s.marks.get(symbol) ?? s.positions.get(strategy.id, symbol)?.entryPrice ?? 0;
        const outcome = await submitIntent(s, intent, strategy, price);
        await settleStops(s);
        return outcome;
      });
    },

    snapshotFor(strategy) {
      s.bindings.set(strategy.id, strategy);
      const own: Record<string, { quantity: number; entryPrice: number }> = {};
      for (const p of s.positions.open()) {
        if (p.strategyId === strategy.id) own[p.symbol] = { quantity: p.quantity, entryPrice: p.entryPrice };
      }
      const value = accountValue(holdings(s));
      return { cash: value.free, allocation: allocationOf(strategy, value.equity), positions: own };
    },

    positionQuantity: (strategyId, symbol) => s.positions.quantity(strategyId, symbol),

    setTradingState(state, reason, by, scopeOptions = {}) {
      return once(async () => {
        const scope = scopeOptions.scope === "account" ? accountId : "global";
        const change = await switchTradingState({ db: store.db, bus, clock }, state, reason, by, scope);
        s.tradingStale = true;
        await refreshTrading(s);
        return change;
      });
    },

    status: () => accountStatus(s),

    valuation() {
      const { equity, cash } = accountValue(holdings(s));
      return { equity, cash };
    },

    nextEvent: (symbol, candles, from, to) => nextEvent(s, symbol, candles, from, to),

    skipCandles: (symbol, candles, from, to, onEquity) => skipCandles(s, symbol, candles, from, to, onEquity),

    async stop() {
      await serial.idle();
      await flushStops(s);
      s.unsubscribe?.();
      await s.executor.stop();
    },
  };
}

/** The quote of what the account holds, else of the first market it knows. */
function firstQuote(markets: ReadonlyMap<string, MarketInfo>, positions: AccountPositions): string | undefined {
  const held = positions.open()[0];
  if (held) return splitSymbol(held.symbol).quote;
  return markets.values().next().value?.quote;
}
