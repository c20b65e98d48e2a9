import type { MarketInterface } from "ccxt";
import type { MarketInfo } from "../exchange.ts";

/** ccxt's precision modes (`exchange.precisionMode`), as ccxt numbers them in base/functions/number.js. */
export const DECIMAL_PLACES = 2;
export const SIGNIFICANT_DIGITS = 3;
export const TICK_SIZE = 4;

/**
 * One ccxt market as a MarketInfo. ccxt 4 reports precision either as a tick (TICK_SIZE: 0.01) or as a
 * count of decimals (DECIMAL_PLACES: 2) depending on the exchange; both become a step here. Significant
 * digits have no single step (it depends on the price), so they give 0: no step known.
 * @example toMarketInfo(binanceMarket, TICK_SIZE).priceTick // 0.01
 */
export function toMarketInfo(
  market: MarketInterface,
  precisionMode: number,
  minNotionalByQuote: Readonly<Record<string, number>> = {},
): MarketInfo {
  return {
    symbol: market.symbol,
    base: market.base,
    quote: market.quote,
    amountStep: toStep(market.precision.amount, precisionMode),
    priceTick: toStep(market.precision.price, precisionMode),
    minAmount: positive(market.limits.amount?.min),
    minNotional: positive(market.limits.cost?.min) || positive(minNotionalByQuote[market.quote]),
    // ccxt leaves `active` undefined when the exchange does not say; such markets do trade.
    active: market.active !== false,
  };
}

/** @example toStep(2, DECIMAL_PLACES) // 0.01 */
export function toStep(precision: number | undefined, precisionMode: number): number {
  if (precision === undefined || precision === null || !Number.isFinite(precision) || precision < 0) return 0;
  if (precisionMode === TICK_SIZE) return precision;
  if (precisionMode === DECIMAL_PLACES) return Number(`1e-${Math.round(precision)}`);
  return 0;
}

function positive(value: number | undefined): number {
  return value !== undefined && value !== null && Number.isFinite(value) && value > 0 ? value : 0;
}
