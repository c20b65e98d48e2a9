import { readFileSync } from "node:fs";

/** The engine version recorded in /health and in every backtest result: package.json's. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;
