import { splitSymbol } from "../../portfolio/currencies.ts";
import type { MarketInfo } from "../exchange.ts";

/** A market as the operator may describe it for a paper account: anything left out is unconstrained. */
export type PaperMarket = Partial<Omit<MarketInfo, "symbol" | "base" | "quote">>;

/**
 * The market of a symbol on the paper exchange: the configured constraints (say, Binance's steps, to
 * rehearse rounding) or, for a symbol only seen on the feed, satoshi amounts and no other limit.
 * @example paperMarket("BTC/USDT", { priceTick: 0.01 }) // { amountStep: 1e-8, priceTick: 0.01, minNotional: 0, ... }
 */
export function paperMarket(symbol: string, configured: PaperMarket = {}): MarketInfo {
  const { base, quote } = splitSymbol(symbol);
  return {
    symbol,
    base,
    quote,
    amountStep: configured.amountStep ?? 1e-8,
    priceTick: configured.priceTick ?? 0,
    minAmount: configured.minAmount ?? 0,
    minNotional: configured.minNotional ?? 0,
    active: configured.active ?? true,
  };
}
