import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ImportError, importCandleFile } from "../../../core/market/csv-import.ts";
import { getSeries } from "../../../core/market/series.ts";
import type { Store } from "../../../core/store/database.ts";
import { BTC_5M, dumpCandles, openStore, shippedLines, tempDir, writeCandleFile } from "./helpers.ts";

const BTC_5M_LINES = shippedLines("binance_BTC-USDT_5m.csv.gz");
// 2020-12-01 00:00 .. 00:25 UTC, six real 5m candles.
const SIX = BTC_5M_LINES.slice(0, 6);

let dir: string;
let remove: () => void;
let store: Store;

beforeEach(async () => {
  ({ dir, remove } = tempDir());
  store = await openStore(dir);
});
afterEach(async () => {
  await store.close();
  remove();
});

async function importError(file: string): Promise<ImportError> {
  const error = await importCandleFile(store, file, BTC_5M).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

describe("importCandleFile", () => {
  it("imports a gzip'd slice of the shipped 5m file and records the series", async () => {
    const file = writeCandleFile(dir, "slice.csv.gz", BTC_5M_LINES.slice(0, 3000));
    const summary = await importCandleFile(store, file, BTC_5M);
    expect(summary.rows).toBe(3000);
    expect(summary.first).toBe(1606780800000);
    expect(summary.last).toBe(1606780800000 + 2999 * 300_000);
    expect(summary.gaps).toBe(0);
    const rows = dumpCandles(store, BTC_5M) as { ts: number; open: number; volume: number }[];
    expect(rows).toHaveLength(3000);
    expect(rows[0]).toMatchObject({ ts: 1606780800000, open: 19695.87, high: 19720, volume: 794.500517 });
    const series = await getSeries(store, BTC_5M);
    expect(series).toMatchObject({ count: 3000, first: summary.first, last: summary.last, gaps: 0, revision: 1 });
  });

  it("reads plain CSV with and without a header, and CRLF line ends", async () => {
    const plain = writeCandleFile(dir, "plain.csv", SIX.slice(0, 3), false);
    expect((await importCandleFile(store, plain, BTC_5M)).rows).toBe(3);
    const crlf = path.join(dir, "crlf.csv");
    writeFileSync(crlf, `timestamp_ms,open,high,low,close,volume\r\n${SIX.slice(3).join("\r\n")}`);
    expect((await importCandleFile(store, crlf, BTC_5M)).rows).toBe(3);
    expect(dumpCandles(store, BTC_5M)).toHaveLength(6);
  });

  it("is idempotent: a second import stores the same candles and bumps the revision", async () => {
    const file = writeCandleFile(dir, "slice.csv", BTC_5M_LINES.slice(0, 500));
    await importCandleFile(store, file, BTC_5M);
    const before = dumpCandles(store, BTC_5M);
    const again = await importCandleFile(store, file, BTC_5M);
    expect(dumpCandles(store, BTC_5M)).toEqual(before);
    expect(again.series).toMatchObject({ count: 500, revision: 2 });
  });

  it("keeps the series bookkeeping right when files are appended, prepended or overlap", async () => {
    const lines = BTC_5M_LINES.slice(0, 60);
    await importCandleFile(store, writeCandleFile(dir, "b.csv", lines.slice(20, 40)), BTC_5M);
    // appended after a hole of 5 candles
    await importCandleFile(store, writeCandleFile(dir, "c.csv", lines.slice(45, 60)), BTC_5M);
    expect(await getSeries(store, BTC_5M)).toMatchObject({ count: 35, gaps: 1 });
    // prepended, touching the stored range
    await importCandleFile(store, writeCandleFile(dir, "a.csv", lines.slice(0, 20)), BTC_5M);
    expect(await getSeries(store, BTC_5M)).toMatchObject({ count: 55, gaps: 1, first: 1606780800000 });
    // overlapping and filling the hole: a full recount
    const filled = await importCandleFile(store, writeCandleFile(dir, "d.csv", lines.slice(30, 50)), BTC_5M);
    expect(filled.series).toMatchObject({ count: 60, gaps: 0, revision: 4 });
  });

  it("counts the gaps of the file in its summary", async () => {
    const lines = [...SIX.slice(0, 2), ...SIX.slice(4)];
    const summary = await importCandleFile(store, writeCandleFile(dir, "gap.csv", lines), BTC_5M);
    expect(summary).toMatchObject({ rows: 4, gaps: 1, missing: 2 });
  });

  it("reports progress in rows and bytes of the file", async () => {
    const file = writeCandleFile(dir, "slice.csv.gz", BTC_5M_LINES.slice(0, 40_000));
    const seen: { rows: number; bytesRead: number; totalBytes: number }[] = [];
    await importCandleFile(store, file, BTC_5M, { onProgress: (p) => seen.push(p) });
    const last = seen.at(-1);
    expect(last?.rows).toBe(40_000);
    expect(last?.bytesRead).toBe(last?.totalBytes);
    expect(seen.length).toBeGreaterThan(1);
  });

  it("stores resampled series in the same import", async () => {
    const file = writeCandleFile(dir, "slice.csv", BTC_5M_LINES.slice(0, 30)); // 2.5 hours
    const summary = await importCandleFile(store, file, BTC_5M, { resample: ["1h"] });
    expect(summary.resampled).toHaveLength(1);
    expect(summary.resampled[0]?.rows).toBe(2); // the half hour is incomplete and left out
    const hourly = dumpCandles(store, { ...BTC_5M, timeframe: "1h" }) as { ts: number }[];
    expect(hourly.map((r) => r.ts)).toEqual([1606780800000, 1606784400000]);
    expect(await getSeries(store, { ...BTC_5M, timeframe: "1h" })).toMatchObject({ count: 2 });
  });
});

describe("bad input", () => {
  const header = "timestamp_ms,open,high,low,close,volume";
  const cases: [string, string, string][] = [
    ["a missing column", "1606781700000,19500,19600,19400,19550", "expected 6 columns, got 5"],
    ["an extra column", "1606781700000,19500,19600,19400,19550,10,1", "expected 6 columns, got 7"],
    ["a word for a price", "1606781700000,19500,abc,19400,19550,10", 'high is not a finite number: "abc"'],
    ["an empty field", "1606781700000,19500,19600,,19550,10", 'low is not a finite number: ""'],
    ["an infinite volume", "1606781700000,19500,19600,19400,19550,1e999", 'volume is not a finite number: "1e999"'],
    ["a hex number", "1606781700000,0x10,19600,19400,19550,10", 'open is not a finite number: "0x10"'],
    [
      "a fractional timestamp",
      "1606781700000.5,19500,19600,19400,19550,10",
      "timestamp is not a whole number of milliseconds: 1606781700000.5",
    ],
    [
      "seconds",
      "1606781700,19500,19600,19400,19550,10",
      "timestamp 1606781700 looks like seconds; expected milliseconds",
    ],
    [
      "a misaligned timestamp",
      "1606781760000,19500,19600,19400,19550,10",
      "timestamp 1606781760000 (2020-12-01T00:16Z) is not aligned to 5m candles",
    ],
    [
      "a duplicate timestamp",
      "1606781400000,19500,19600,19400,19550,10",
      "timestamp 1606781400000 (2020-12-01T00:10Z) is not after the previous row's 1606781400000 (2020-12-01T00:10Z); rows must be strictly increasing",
    ],
    ["high below close", "1606781700000,19500,19540,19400,19550,10", "high is below open or close"],
    ["low above open", "1606781700000,19500,19600,19510,19550,10", "low is above open or close"],
    ["a zero price", "1606781700000,0,19600,0,19550,10", "prices must be greater than 0"],
    ["a negative volume", "1606781700000,19500,19600,19400,19550,-1", "volume must not be negative"],
  ];

  for (const [what, badLine, message] of cases) {
    it(`rejects ${what} with the line number and stores nothing of the file`, async () => {
      // Three good rows, then the bad one on line 5 (line 1 is the header).
      const file = writeCandleFile(dir, "bad.csv", [...SIX.slice(0, 3), badLine, SIX[4] as string]);
      const error = await importError(file);
      expect(error.message).toBe(`${file}:5: ${message}`);
      expect(error.line).toBe(5);
      expect(dumpCandles(store, BTC_5M)).toEqual([]);
      expect(await getSeries(store, BTC_5M)).toBeUndefined();
    });
  }

  it("rolls back rows already written from earlier chunks and leaves earlier imports alone", async () => {
    const good = writeCandleFile(dir, "good.csv", BTC_5M_LINES.slice(0, 100));
    await importCandleFile(store, good, BTC_5M);
    const before = dumpCandles(store, BTC_5M);
    // 30,000 rows (~1.8 MB, two chunks, so the first chunk is already in the database) with altered
    // prices for the first 100, then a bad row.
    const altered = BTC_5M_LINES.slice(0, 30_000).map((l, i) =>
      i < 100 ? l.replace(/,([\d.]+)$/, (_m, v: string) => `,${Number(v) + 1}`) : l,
    );
    const file = writeCandleFile(dir, "bad.csv", [...altered, "1,2,3"]);
    const error = await importError(file);
    expect(error.message).toBe(`${file}:30002: expected 6 columns, got 3`);
    expect(dumpCandles(store, BTC_5M)).toEqual(before);
    expect(await getSeries(store, BTC_5M)).toMatchObject({ count: 100, revision: 1 });
  });

  it("reports the line of a bad row inside a gzip'd file", async () => {
    const file = writeCandleFile(dir, "bad.csv.gz", [...SIX.slice(0, 2), "1606781400000,1,2,3,4"], false);
    expect((await importError(file)).message).toBe(`${file}:3: expected 6 columns, got 5`);
  });

  it("rejects a header with the columns in another order", async () => {
    const file = path.join(dir, "swapped.csv");
    writeFileSync(file, `timestamp_ms,open,low,high,close,volume\n${SIX[0]}\n`);
    expect((await importError(file)).message).toBe(
      `${file}:1: header must be ${header}, got "timestamp_ms,open,low,high,close,volume"`,
    );
  });

  it("rejects a missing file, an empty file and a damaged gzip file", async () => {
    const missing = path.join(dir, "nope.csv");
    expect((await importError(missing)).message).toBe(`${missing}: no such file`);
    const empty = path.join(dir, "empty.csv");
    writeFileSync(empty, `${header}\n`);
    expect((await importError(empty)).message).toBe(`${empty}: no candles in the file`);
    const damaged = path.join(dir, "damaged.csv.gz");
    writeFileSync(damaged, "this is not gzip at all");
    expect((await importError(damaged)).message).toMatch(/damaged\.csv\.gz: not a valid gzip file \(/);
  });

  it("refuses a resample target that is not a coarser multiple, before reading the file", async () => {
    const file = writeCandleFile(dir, "ok.csv", SIX);
    const error = await importCandleFile(store, file, BTC_5M, { resample: ["3m"] }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${file}: cannot resample 5m to 3m: 3m is not coarser than 5m`);
    expect(dumpCandles(store, BTC_5M)).toEqual([]);
  });
});
