/** The two currencies of a spot market. */
export interface MarketCurrencies {
  readonly base: string;
  readonly quote: string;
}

/**
 * Base and quote of a unified ccxt symbol; a settle suffix (":USDT") is dropped.
 * @example splitSymbol("BTC/USDT") // { base: "BTC", quote: "USDT" }
 */
export function splitSymbol(symbol: string): MarketCurrencies {
  const [pair = symbol] = symbol.split(":");
  const slash = pair.indexOf("/");
  if (slash < 0) return { base: pair, quote: "" };
  return { base: pair.slice(0, slash), quote: pair.slice(slash + 1) };
}

/**
 * A fee in the market's quote currency. A fee in the base asset (Binance charges a buy's fee in what
 * it buys) is worth `fee * price`; a fee in a third currency (BNB) has no price here and counts 0, so
 * PnL is overstated by it rather than guessed.
 * @example feeInQuote(0.001, "BTC", 50_000, { base: "BTC", quote: "USDT" }) // 50
 */
export function feeInQuote(fee: number, feeCurrency: string, price: number, market: MarketCurrencies): number {
  if (fee === 0) return 0;
  if (feeCurrency === market.quote || feeCurrency === "") return fee;
  if (feeCurrency === market.base) return fee * price;
  return 0;
}
