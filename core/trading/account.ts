import type { Candle, OrderIntent } from "../domain/index.ts";
import type { MarketInfo } from "../execution/exchange.ts";
import type { Maybe } from "../execution/maybe.ts";
import { splitSymbol } from "../portfolio/currencies.ts";
import { nextEvent, processCandle, skipCandles } from "./candle.ts";
import { EquityTracker } from "./equity-tracker.ts";
import { exchangeStopOuts, reconcileRestingStops, rememberRestingStops, settleStops } from "./exchange-stops.ts";
import { closeIntent, submitIntent } from "./order-path.ts";
import { AccountPositions } from "./positions.ts";
import { Serial } from "./serial.ts";
import { loadAccountState } from "./start.ts";
import {
  type AccountState,
  allocationOf,
  createAccountState,
  flushStops,
  holdings,
  NO_FILLS,
  refreshTrading,
  STOP_MEMORY_MS,
} from "./state.ts";
import { accountStatus } from "./status.ts";
import { switchTradingState } from "./trading-state.ts";
import type { CandleOutcome, IntentOutcome, StrategyBinding, TradingAccount, TradingAccountOptions } from "./types.ts";
import { cashOf, equityOf, freeOf } from "./valuation.ts";

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

    // Each operation answers at once when nothing on its way had to wait (see submitIntent): the
    // Serial then has nothing to chain, and the caller's await is the only turn it costs.
    handleIntent(intent, candle, strategy) {
      if (serial.busy) return serial.run(() => intentNow(s, intent, candle, strategy));
      return serial.adopt(intentNow(s, intent, candle, strategy));
    },

    onCandle(symbol, candle) {
      if (serial.busy) return serial.run(() => candleNow(s, symbol, candle));
      return serial.adopt(candleNow(s, symbol, candle));
    },

    closePosition(strategy, symbol, reason) {
      return serial.run(() => {
        s.bindings.set(strategy.id, strategy);
        const intent = closeIntent(s, strategy, symbol, reason, clock.now());
        if (!intent) return undefined;
        const price = s.marks.get(symbol) ?? s.positions.get(strategy.id, symbol)?.entryPrice ?? 0;
        return settledAfter(s, submitIntent(s, intent, strategy, price));
      });
    },

    snapshotFor(strategy) {
      s.bindings.set(strategy.id, strategy);
      const own: Record<string, { quantity: number; entryPrice: number }> = {};
      for (const p of s.positions.open()) {
        if (p.strategyId === strategy.id) own[p.symbol] = { quantity: p.quantity, entryPrice: p.entryPrice };
      }
      const view = holdings(s);
      const equity = equityOf(view, cashOf(view));
      return { cash: freeOf(view), allocation: allocationOf(strategy, equity), positions: own };
    },

    positionQuantity: (strategyId, symbol) => s.positions.quantity(strategyId, symbol),

    setTradingState(state, reason, by, scopeOptions = {}) {
      return serial.run(async () => {
        const scope = scopeOptions.scope === "account" ? accountId : "global";
        const change = await switchTradingState({ db: store.db, bus, clock }, state, reason, by, scope);
        s.tradingStale = true;
        await refreshTrading(s);
        return change;
      });
    },

    status: () => accountStatus(s),

    valuation() {
      const view = holdings(s);
      const cash = cashOf(view);
      return { equity: equityOf(view, cash), cash };
    },

    nextEvent: (symbol, candles, from, to) => nextEvent(s, symbol, candles, from, to),

    skipCandles: (symbol, candles, from, to, into) => skipCandles(s, symbol, candles, from, to, into),

    async stop() {
      await serial.idle();
      await flushStops(s);
      s.unsubscribe?.();
      await s.executor.stop();
    },
  };
}

// The operations below answer at once when nothing on their way had to wait, and make no closure on
// that way: an account runs two of them per intent, tens of thousands of times in a backtest.

/** handleIntent's work: the moved stops written, then deferred to the next open, or sent at the last price. */
function intentNow(
  s: AccountState,
  intent: OrderIntent,
  candle: Candle,
  strategy: StrategyBinding,
): Maybe<IntentOutcome> {
  s.bindings.set(strategy.id, strategy);
  const flushing = flushStops(s);
  if (flushing) return flushing.then(() => sendIntent(s, intent, candle, strategy));
  return sendIntent(s, intent, candle, strategy);
}

function sendIntent(s: AccountState, intent: OrderIntent, candle: Candle, strategy: StrategyBinding) {
  if (s.fillModel === "next-open") {
    s.deferred.push({ intent, strategy });
    return { intent, deferred: true, fills: NO_FILLS };
  }
  const price = s.marks.get(intent.symbol) ?? candle.close;
  return settledAfter(s, submitIntent(s, intent, strategy, price, { entryCandle: candle }));
}

/** onCandle's work: the moved stops written, the candle processed, its stops settled. */
function candleNow(s: AccountState, symbol: string, candle: Candle): Maybe<CandleOutcome> {
  const flushing = flushStops(s);
  if (flushing) return flushing.then(() => settledAfter(s, processCandle(s, symbol, candle)));
  return settledAfter(s, processCandle(s, symbol, candle));
}

/** `result` once the stops it moved are kept in step and written. */
function settledAfter<T>(s: AccountState, result: Maybe<T>): Maybe<T> {
  if (result instanceof Promise) return result.then((value) => settledAfter(s, value));
  const settling = settleStops(s);
  return settling ? settling.then(() => result) : result;
}

/** The quote of what the account holds, else of the first market it knows. */
function firstQuote(markets: ReadonlyMap<string, MarketInfo>, positions: AccountPositions): string | undefined {
  const held = positions.open()[0];
  if (held) return splitSymbol(held.symbol).quote;
  return markets.values().next().value?.quote;
}
