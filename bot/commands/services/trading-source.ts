import type { Candle } from "../../../core/domain/index.ts";
import type { Engine } from "../../../core/engine.ts";
import { splitSymbol } from "../../../core/portfolio/currencies.ts";
import type { StrategyBinding } from "../../../core/trading/index.ts";
import type { EngineAccount } from "../../../core/wiring/accounts.ts";
import type { LastCandles } from "./last-candles.ts";

/** The parts of the engine the trading commands use: accounts, strategies, and /run and /stop. */
export type TradingSource = Pick<Engine, "status" | "accounts" | "strategies" | "setStrategyEnabled">;

/** The strategy id manual orders (/buy, /sell) trade under: their positions are kept apart from any strategy's. */
export const MANUAL_STRATEGY = "manual";

/** How manual orders are sized and limited: the account's limits, the whole equity to size from. */
export const MANUAL_BINDING: StrategyBinding = { id: MANUAL_STRATEGY, allocation: { pct: 100 } };

/**
 * The binding a strategy trades under, so an operator's /close runs with that strategy's own limits.
 * An id the engine did not load (a strategy disabled since it opened the position) gets the
 * account's limits; exits need no allocation.
 * @example bindingOf(engine, "sma-btc") // { id: "sma-btc", limits: { maxPositionPct: 5 }, allocation: { pct: 10 } }
 */
export function bindingOf(engine: TradingSource, strategyId: string): StrategyBinding {
  if (strategyId === MANUAL_STRATEGY) return MANUAL_BINDING;
  const loaded = engine.strategies().find((s) => s.config.id === strategyId);
  return loaded ? loaded.session.strategy : { id: strategyId, allocation: { pct: 100 } };
}

/**
 * The currency an account counts in: the quote of what it holds, else of its first configured
 * balance, else USDT (what the paper default starts with).
 * @example accountQuote(account) // "USDT"
 */
export function accountQuote(account: EngineAccount): string {
  const held = account.trading.status().positions[0];
  if (held) return splitSymbol(held.symbol).quote;
  return Object.keys(account.config.balances)[0] ?? "USDT";
}

/**
 * The last price an account knows for a symbol: the paper exchange's, else the last candle on the
 * feed, else the mark of a position in it. Undefined for a symbol nothing has priced yet.
 * @example priceOf(account, candles, "BTC/USDT") // 50_012.5
 */
export function priceOf(account: EngineAccount, candles: LastCandles, symbol: string): number | undefined {
  const paper = account.paper?.lastPrice(symbol);
  if (paper !== undefined && paper > 0) return paper;
  const candle = candles.get(account.config.exchange, symbol);
  if (candle) return candle.close;
  return account.trading.status().positions.find((p) => p.symbol === symbol)?.lastPrice;
}

/**
 * The candle a manual order is judged against: the feed's last one for the symbol, or a flat candle
 * at `price` now when the feed has none (the ATR and volatility rules then see no range).
 * @example candleFor(account, candles, "BTC/USDT", 50_000, clock.now())
 */
export function candleFor(
  account: EngineAccount,
  candles: LastCandles,
  symbol: string,
  price: number,
  now: number,
): Candle {
  const last = candles.get(account.config.exchange, symbol);
  if (last) return last;
  return { time: now, open: price, high: price, low: price, close: price, volume: 0 };
}

/**
 * True when the engine behind the services trades (is more than a source of status).
 * @example isTradingSource(createEngine(deps)) // true
 */
export function isTradingSource(engine: object): engine is TradingSource {
  return "accounts" in engine && "strategies" in engine && "setStrategyEnabled" in engine;
}
