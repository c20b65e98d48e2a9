// The paper exchange: an ExchangeAdapter that fills against the feed, with fees, slippage and
// persisted balances. The default venue of every account.
export { createPaperExchange, type PaperExchange, type PaperExchangeOptions } from "./exchange.ts";
export { type PaperMarket, paperMarket } from "./markets.ts";
export { feeOf, fillableAmount, isMarketable, limitCrossed, marketFillPrice, type PaperFees } from "./pricing.ts";
export { balancesFromFills, restorePaperState } from "./restore.ts";
