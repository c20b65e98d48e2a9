import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BacktestSettings } from "../../../core/backtest/types.ts";
import type { Candle, SeriesKey } from "../../../core/domain/index.ts";
import { createCandleWriter } from "../../../core/market/candle-writer.ts";
import { importCandleFile } from "../../../core/market/csv-import.ts";
import { refreshSeries } from "../../../core/market/series.ts";
import { inTransaction } from "../../../core/market/sql-context.ts";
import { createStore, type Store } from "../../../core/store/database.ts";
import { migrateToLatest } from "../../../core/store/migrate.ts";
import { toColumns } from "../../../core/strategy/timeline.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const PLUGINS = path.join(ROOT, "plugins");
export const HOUR = 3_600_000;
export const JAN1 = Date.UTC(2024, 0, 1);

/** A migrated SQLite store in a temp folder, with a candle cache folder and a folder for test plugins. */
export interface BacktestWorld {
  readonly store: Store;
  readonly dir: string;
  readonly cacheDir: string;
  readonly pluginDir: string;
  cleanup(): Promise<void>;
}

export async function backtestWorld(label = "backtest"): Promise<BacktestWorld> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `quantchat-${label}-`));
  const store = createStore(path.join(dir, "store.db"));
  await migrateToLatest(store);
  const cacheDir = path.join(dir, "cache");
  const pluginDir = path.join(dir, "plugins");
  mkdirSync(pluginDir, { recursive: true });
  writeScriptedPlugin(pluginDir);
  return {
    store,
    dir,
    cacheDir,
    pluginDir,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stores hand-made candles as an imported series (candles and candle_series bookkeeping). */
export async function storeCandles(store: Store, key: SeriesKey, candles: readonly Candle[]): Promise<void> {
  await inTransaction(store, async (ctx) => {
    await createCandleWriter(ctx, key).write(toColumns(candles));
    await refreshSeries(ctx, key);
  });
}

/** Imports a shipped sample file (data/ or ../shared/data). */
export async function importSample(store: Store, file: string, key: SeriesKey): Promise<void> {
  const local = path.join(ROOT, "data", file);
  await importCandleFile(store, local, key);
}

/** A world with the shipped BTC/USDT hours imported: what the real-data backtest tests run on. */
export async function btcHoursWorld(label: string): Promise<BacktestWorld> {
  const w = await backtestWorld(label);
  await importSample(w.store, "binance_BTC-USDT_1h.csv.gz", {
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
  });
  return w;
}

/**
 * Hourly candles from closes: each opens half a point above the previous close (so next-open and close
 * fills differ), high and low one point beyond the body.
 */
export function hourly(closes: readonly number[], start = JAN1): Candle[] {
  return closes.map((close, i) => {
    const open = i === 0 ? close : (closes[i - 1] as number) + 0.5;
    return {
      time: start + i * HOUR,
      open,
      high: Math.max(open, close) + 1,
      low: Math.min(open, close) - 1,
      close,
      volume: 100,
    };
  });
}

/** Settings for a test: sma-cross on binance BTC/USDT 1h, 1000 USDT, 0.1% fees, no slippage, no risk. */
export function settings(over: Partial<BacktestSettings> = {}): BacktestSettings {
  return {
    plugin: "sma-cross",
    exchange: "binance",
    symbols: ["BTC/USDT"],
    timeframe: "1h",
    params: { fast: 2, slow: 4 },
    cash: 1000,
    fees: { kind: "percent", makerPct: 0.1, takerPct: 0.1 },
    slippageBps: 0,
    fill: "close",
    allowShort: false,
    risk: null,
    closeAtEnd: false,
    ...over,
  };
}

/**
 * `scripted`: a test plugin that counts the candles it sees (from 0) and, at `buyAt`, buys (or with
 * `short`, sells) `qty` base units, or a `fraction` of the allocation when qty is 0, with an optional
 * stop-loss, take-profit and percent trailing stop; at `closeAt` it closes the position.
 */
function writeScriptedPlugin(root: string): void {
  const dir = path.join(root, "scripted");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "plugin.yaml"),
    `id: scripted
name: Scripted orders
version: 1.0.0
author: quantchat tests
description: Enters at one candle and closes at another, with optional stops.
entry: strategy.js
api: ^1.0.0
params:
  buyAt: { type: integer, default: 0, min: 0, max: 1000000 }
  closeAt: { type: integer, default: 1000000, min: 0, max: 1000000 }
  qty: { type: number, default: 0, min: 0, max: 1000000 }
  fraction: { type: number, default: 1, min: 0.01, max: 1 }
  short: { type: boolean, default: false }
  stopLossPct: { type: number, default: 0, min: 0, max: 90 }
  takeProfitPct: { type: number, default: 0, min: 0, max: 500 }
  trailPct: { type: number, default: 0, min: 0, max: 90 }
symbols: 1
permissions: []
# Generous: these tests share a machine with others, and a stalled CPU must not fail them.
limits: { memoryMb: 32, cpuMsPerCall: 1000 }
`,
  );
  writeFileSync(
    path.join(dir, "strategy.js"),
    `let seen = 0;
export default {
  init() { seen = 0; },
  onCandle(candle, ctx) {
    const p = ctx.params;
    const i = seen++;
    if (i === p.buyAt) {
      const order = { size: p.qty > 0 ? { base: p.qty } : { fraction: p.fraction }, reason: "scripted entry" };
      if (p.stopLossPct > 0) order.stopLoss = { pct: p.stopLossPct };
      if (p.takeProfitPct > 0) order.takeProfit = { pct: p.takeProfitPct };
      if (p.trailPct > 0) order.trailingStop = { mode: "percent", pct: p.trailPct };
      if (p.short) ctx.sell(order); else ctx.buy(order);
    }
    if (i === p.closeAt) ctx.close({ reason: "scripted exit" });
  },
};
`,
  );
}
