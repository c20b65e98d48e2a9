import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cacheFilePath } from "../../../core/market/cache-file.ts";
import { importSampleData } from "../../../core/market/sample-data.ts";
import { listSeries } from "../../../core/market/series.ts";
import type { Store } from "../../../core/store/database.ts";
import { BTC_5M, openStore, shippedLines, tempDir, writeCandleFile } from "./helpers.ts";

const log = pino({ level: "silent" });

let dir: string;
let remove: () => void;
let store: Store;
let dataDir: string;
let cacheDir: string;

beforeEach(async () => {
  ({ dir, remove } = tempDir());
  store = await openStore(dir);
  dataDir = path.join(dir, "data");
  cacheDir = path.join(dir, "cache");
  mkdirSync(dataDir);
  writeCandleFile(dataDir, "binance_BTC-USDT_5m.csv.gz", shippedLines("binance_BTC-USDT_5m.csv.gz").slice(0, 200));
  writeCandleFile(dataDir, "bitstamp_ETH-USD_1d.csv", shippedLines("bitstamp_ETH-USD_1d.csv").slice(0, 50));
  writeFileSync(path.join(dataDir, "SOURCES.md"), "# not candles\n");
  writeFileSync(path.join(dataDir, "notes.csv"), "not,a,series\n");
});
afterEach(async () => {
  await store.close();
  remove();
});

describe("importSampleData", () => {
  it("imports every series-named file into an empty database, and nothing on the next start", async () => {
    const progress: string[] = [];
    const first = await importSampleData(store, dataDir, cacheDir, log, (file) => progress.push(path.basename(file)));
    expect(first).toMatchObject({ skipped: false, files: 2, rows: 250 });
    expect(new Set(progress)).toEqual(new Set(["binance_BTC-USDT_5m.csv.gz", "bitstamp_ETH-USD_1d.csv"]));
    const series = await listSeries(store);
    expect(series.map((s) => [s.exchange, s.symbol, s.timeframe, s.count, s.revision])).toEqual([
      ["binance", "BTC/USDT", "5m", 200, 1],
      ["bitstamp", "ETH/USD", "1d", 50, 1],
    ]);

    const second = await importSampleData(store, dataDir, cacheDir, log);
    expect(second).toEqual({ skipped: true, files: 0, rows: 0, imported: [] });
    expect((await listSeries(store)).map((s) => s.revision)).toEqual([1, 1]);
  });

  it("leaves a database that holds the operator's own candles alone", async () => {
    store.sqlite!.prepare("INSERT INTO candles VALUES ('kraken', 'SOL/USD', '1h', 1700000000000, 1, 1, 1, 1, 0)").run();
    expect((await importSampleData(store, dataDir, cacheDir, log)).skipped).toBe(true);
    expect(store.sqlite!.prepare("SELECT count(*) AS n FROM candles").get()).toEqual({ n: 1 });
  });

  it("removes cache files an earlier database left for the series it imports", async () => {
    const stale = cacheFilePath(cacheDir, BTC_5M);
    mkdirSync(path.dirname(stale), { recursive: true });
    writeFileSync(stale, "left over");
    await importSampleData(store, dataDir, cacheDir, log);
    expect(() => writeFileSync(stale, "", { flag: "wx" })).not.toThrow();
  });
});
