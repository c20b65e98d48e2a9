/** The ccxt exchange adapter: `createCcxtAdapter({ exchange: "binance", options, credentials })`. */
export { type CcxtAdapterConfig, createCcxtAdapter } from "./adapter.ts";
export type { CcxtCredentials } from "./instance.ts";
