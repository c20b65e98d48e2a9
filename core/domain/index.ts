export * from "./candle.ts";
export * from "./order.ts";
export * from "./position.ts";
export * from "./timeframe.ts";
