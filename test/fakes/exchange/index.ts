/**
 * A fake Binance / Upbit REST server on 127.0.0.1 for ccxt to trade against, with fault injection.
 * @example const fake = await startFakeExchange({ dialect: "upbit", markets, balances: { KRW: 1_000_000 } });
 */
export type { FakeMarket, FakeOrder, FakeTrade } from "./book.ts";
export type { Fault } from "./faults.ts";
export { type FakeExchange, type FakeExchangeOptions, type LoggedRequest, startFakeExchange } from "./server.ts";
