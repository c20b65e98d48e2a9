import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import type { SeriesKey } from "../../../core/domain/index.ts";
import { createStore, type Store } from "../../../core/store/database.ts";
import { migrateToLatest } from "../../../core/store/migrate.ts";

/** The repository's shipped sample data. */
export const DATA_DIR = fileURLToPath(new URL("../../../data/", import.meta.url));
export const REPO_DIR = fileURLToPath(new URL("../../../", import.meta.url));

export const BTC_5M: SeriesKey = { exchange: "binance", symbol: "BTC/USDT", timeframe: "5m" };
export const ETH_5M: SeriesKey = { exchange: "binance", symbol: "ETH/USDT", timeframe: "5m" };

/** A temporary directory removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "qc-market-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A migrated SQLite store in a temporary directory. */
export async function openStore(dir: string, name = "test.db"): Promise<Store> {
  const store = createStore(path.join(dir, name));
  await migrateToLatest(store);
  return store;
}

const linesCache = new Map<string, readonly string[]>();

/** The data lines (no header) of a shipped file; read once per test file, since the 5m files are 17 MB. */
export function shippedLines(name: string): readonly string[] {
  let lines = linesCache.get(name);
  if (!lines) {
    const raw = readFileSync(path.join(DATA_DIR, name));
    const text = (name.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
    lines = text.split("\n").filter((l) => l !== "" && !l.startsWith("timestamp"));
    linesCache.set(name, lines);
  }
  return lines;
}

/** Writes `lines` as a candle file (gzip'd when the name ends in .gz), optionally with a header. */
export function writeCandleFile(dir: string, name: string, lines: readonly string[], header = true): string {
  const text = `${header ? "timestamp_ms,open,high,low,close,volume\n" : ""}${lines.join("\n")}\n`;
  const file = path.join(dir, name);
  writeFileSync(file, name.endsWith(".gz") ? gzipSync(text) : text);
  return file;
}

/** Every stored candle of a series, as plain rows, for before/after comparisons. */
export function dumpCandles(store: Store, key: SeriesKey): unknown[] {
  return store
    .sqlite!.prepare("SELECT * FROM candles WHERE exchange = ? AND symbol = ? AND timeframe = ? ORDER BY ts")
    .all(key.exchange, key.symbol, key.timeframe);
}
