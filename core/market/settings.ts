import path from "node:path";
import { fileURLToPath } from "node:url";
import { databaseUrlFromEnv } from "../store/database.ts";

/** Where the candle code finds the database, its cache and the shipped sample data. */
export interface MarketSettings {
  readonly databaseUrl: string;
  /** QUANTCHAT_STATE_DIR: the process's writable state (SQLite file by default, caches). */
  readonly stateDir: string;
  /** Root of the columnar candle cache (`<cacheDir>/candles/*.bin`). */
  readonly cacheDir: string;
  /** The sample candles shipped in the repository's data/. */
  readonly dataDir: string;
}

/**
 * The settings from the environment. One function on purpose: when the validated config module lands,
 * only this body changes.
 * @example const { databaseUrl, cacheDir } = marketSettings()
 */
export function marketSettings(env: NodeJS.ProcessEnv = process.env): MarketSettings {
  const stateDir = env.QUANTCHAT_STATE_DIR?.trim() || "var";
  return {
    databaseUrl: databaseUrlFromEnv(env),
    stateDir,
    cacheDir: path.join(stateDir, "cache"),
    dataDir: fileURLToPath(new URL("../../data", import.meta.url)),
  };
}
