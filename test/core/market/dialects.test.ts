import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCandles } from "../../../core/market/candle-cache.ts";
import { readSeriesColumns } from "../../../core/market/candle-read.ts";
import { ImportError, importCandleFile } from "../../../core/market/csv-import.ts";
import { getSeries, listSeries } from "../../../core/market/series.ts";
import { inTransaction } from "../../../core/market/sql-context.ts";
import { migrateToLatest } from "../../../core/store/migrate.ts";
import { DIALECTS, openTestStore, type TestStore } from "../../helpers/db.ts";
import { BTC_5M, shippedLines, tempDir, writeCandleFile } from "./helpers.ts";

// The import, bookkeeping and cache on both engines: SQLite takes the raw better-sqlite3 path,
// PostgreSQL the multi-row parameterised inserts through Kysely.
describe.each(DIALECTS)("candles on %s", (dialect) => {
  const lines = shippedLines("binance_BTC-USDT_5m.csv.gz").slice(0, 2500);
  let t: TestStore;
  let dir: string;
  let remove: () => void;

  beforeAll(async () => {
    ({ dir, remove } = tempDir());
    t = await openTestStore(dialect, "market");
    await migrateToLatest(t.store);
  });
  afterAll(async () => {
    await t?.cleanup();
    remove();
  });

  it("imports (in batches over 1000 rows), resamples, and keeps the bookkeeping", async () => {
    const file = writeCandleFile(dir, "btc.csv.gz", [...lines.slice(0, 1000), ...lines.slice(1012)]);
    const summary = await importCandleFile(t.store, file, BTC_5M, { resample: ["1h"] });
    expect(summary).toMatchObject({ rows: 2488, gaps: 1, missing: 12 });
    expect(summary.series).toMatchObject({ count: 2488, gaps: 1, revision: 1, first: 1606780800000 });
    expect(summary.resampled[0]?.rows).toBe(206); // 2500 5m candles span 208.3 hours; one hour is missing
    const stored = await inTransaction(t.store, (ctx) => readSeriesColumns(ctx, BTC_5M));
    expect(stored.time.length).toBe(2488);
    expect(stored.open[0]).toBe(19695.87);
    expect(stored.volume[0]).toBe(794.500517);
    expect((await listSeries(t.store)).map((s) => `${s.timeframe}:${s.count}:${s.gaps}`)).toEqual([
      "5m:2488:1",
      "1h:206:1",
    ]);
  });

  it("re-imports idempotently and rolls back a file with a bad row", async () => {
    const file = writeCandleFile(dir, "again.csv", lines.slice(0, 1000));
    const again = await importCandleFile(t.store, file, BTC_5M);
    expect(again.series).toMatchObject({ count: 2488, revision: 2 });
    const bad = writeCandleFile(dir, "bad.csv", [...lines.slice(2000, 2500), "1607000000000,1,2,3"]);
    const error = await importCandleFile(t.store, bad, BTC_5M).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toBe(`${bad}:502: expected 6 columns, got 4`);
    expect(await getSeries(t.store, BTC_5M)).toMatchObject({ count: 2488, revision: 2 });
  });

  it("loads through the columnar cache", async () => {
    const cacheDir = path.join(dir, "cache");
    const miss = await loadCandles(t.store, BTC_5M, { from: 1606780800000 + 100 * 300_000 }, cacheDir);
    const hit = await loadCandles(t.store, BTC_5M, { from: 1606780800000 + 100 * 300_000 }, cacheDir);
    expect(miss.time.length).toBe(2388);
    expect(Array.from(hit.close)).toEqual(Array.from(miss.close));
  });
});
