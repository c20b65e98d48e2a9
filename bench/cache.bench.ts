import { readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { cacheFilePath } from "../core/market/cache-file.ts";
import { loadCandles } from "../core/market/candle-cache.ts";
import { readSeriesColumns } from "../core/market/candle-read.ts";
import { createCandleWriter } from "../core/market/candle-writer.ts";
import { allocateColumns } from "../core/market/columns.ts";
import { refreshSeries } from "../core/market/series.ts";
import { inTransaction } from "../core/market/sql-context.ts";
import { createStore } from "../core/store/database.ts";
import { migrateToLatest } from "../core/store/migrate.ts";
import type { Benchmark } from "./types.ts";

// Loading a long series for a backtest: candles/s from the columnar cache (a hit) vs reading the same
// candles from SQLite rows (what the cache replaces), and vs a bare readFileSync of the same file
// (the I/O limit: what is left is the cost of the checks and the views). Target >= 20M candles/s.
const KEY = { exchange: "bench", symbol: "SYN/USD", timeframe: "1m" } as const;

const bench: Benchmark = async ({ quick }) => {
  const n = quick ? 100_000 : 1_000_000;
  const dir = await mkdtemp(path.join(tmpdir(), "qc-bench-cache-"));
  const store = createStore(path.join(dir, "bench.db"));
  try {
    await migrateToLatest(store);
    await inTransaction(store, async (ctx) => {
      await createCandleWriter(ctx, KEY).write(syntheticCandles(n));
      await refreshSeries(ctx, KEY);
    });
    const cacheDir = path.join(dir, "cache");
    await loadCandles(store, KEY, {}, cacheDir); // the miss that writes the file
    const file = cacheFilePath(cacheDir, KEY);

    // Medians of interleaved runs: a 48 MB allocation costs whatever the allocator and page faults
    // make it cost at that moment, and interleaving lets both sides see the same machine.
    const cacheTimes: number[] = [];
    const bytesTimes: number[] = [];
    for (let i = 0; i < (quick ? 5 : 15); i++) {
      cacheTimes.push(
        await time(async () => {
          const c = await loadCandles(store, KEY, {}, cacheDir);
          if (c.time.length !== n) throw new Error(`cache returned ${c.time.length} candles, expected ${n}`);
        }),
      );
      bytesTimes.push(await time(async () => void readFileSync(file)));
    }
    const sqliteTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      sqliteTimes.push(
        await time(async () => {
          const c = await inTransaction(store, (ctx) => readSeriesColumns(ctx, KEY));
          if (c.time.length !== n) throw new Error("sqlite read came back short");
        }),
      );
    }
    const cache = median(cacheTimes);
    const bytes = median(bytesTimes);
    const sqlite = median(sqliteTimes);
    const rate = (ms: number) => (n / ms) * 1000;
    const label = `${n.toLocaleString("en-US")} candles`;
    return [
      {
        name: `load ${label} from the columnar cache`,
        value: rate(cache),
        unit: "candles/s",
        reference: "SQLite row reads (better-sqlite3, raw rows)",
        referenceValue: rate(sqlite),
        ratio: sqlite / cache,
        target: ">= 20M candles/s",
      },
      {
        name: `load ${label} from the columnar cache`,
        value: rate(cache),
        unit: "candles/s",
        reference: "readFileSync of the same file (I/O limit)",
        referenceValue: rate(bytes),
        ratio: bytes / cache,
        target: "close to 1x",
      },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
export default bench;

async function time(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** A random walk of 1m candles from 2020-01-01, valid OHLC. */
function syntheticCandles(n: number) {
  const c = allocateColumns(n);
  let price = 100;
  let seed = 1;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = Math.max(1, open * (1 + (random() - 0.5) * 0.01));
    c.time[i] = Date.UTC(2020, 0, 1) + i * 60_000;
    c.open[i] = open;
    c.close[i] = close;
    c.high[i] = Math.max(open, close) * (1 + random() * 0.002);
    c.low[i] = Math.min(open, close) * (1 - random() * 0.002);
    c.volume[i] = random() * 10;
    price = close;
  }
  return c;
}
