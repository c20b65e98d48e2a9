export * from "./candle.ts";
export * from "./order.ts";
export * from "./position.ts";
export * from "./risk.ts";
export * from "./timeframe.ts";
