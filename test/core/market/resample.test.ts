import { describe, expect, it } from "vitest";
import type { CandleColumns } from "../../../core/domain/index.ts";
import { allocateColumns } from "../../../core/market/columns.ts";
import { readCandleFile } from "../../../core/market/csv-read.ts";
import { resample, resampleProblem } from "../../../core/market/resample.ts";
import { DATA_DIR } from "./helpers.ts";

const M5 = 300_000;

function columns(rows: number[][]): CandleColumns {
  const c = allocateColumns(rows.length);
  rows.forEach((r, i) => {
    [c.time, c.open, c.high, c.low, c.close, c.volume].forEach((col, k) => {
      col[i] = r[k] as number;
    });
  });
  return c;
}

function rowsOf(c: CandleColumns): number[][] {
  return Array.from(c.time, (_, i) =>
    [c.time, c.open, c.high, c.low, c.close, c.volume].map((col) => col[i] as number),
  );
}

/** Matches coarse candles from `a` with those of `b` at the same time. */
function join(a: CandleColumns, b: CandleColumns): { a: number[]; b: number[] }[] {
  const index = new Map(Array.from(b.time, (t, i) => [t, i]));
  const bRows = rowsOf(b);
  const pairs: { a: number[]; b: number[] }[] = [];
  for (const row of rowsOf(a)) {
    const j = index.get(row[0] as number);
    if (j !== undefined) pairs.push({ a: row, b: bRows[j] as number[] });
  }
  return pairs;
}

describe("resample", () => {
  it("aggregates open=first, high=max, low=min, close=last, volume=sum", () => {
    const t = Date.UTC(2024, 0, 1);
    const fine = columns([
      [t, 10, 12, 9, 11, 1],
      [t + M5, 11, 15, 10, 14, 2],
      [t + 2 * M5, 14, 14, 8, 9, 3],
    ]);
    expect(rowsOf(resample(fine, "5m", "15m"))).toEqual([[t, 10, 15, 8, 9, 6]]);
  });

  it("keeps complete buckets only: a missing candle drops its bucket, not its neighbours", () => {
    const t = Date.UTC(2024, 0, 1);
    const times = [0, 1, 2, /* 3 missing */ 4, 5, 6, 7, 8].map((i) => t + i * M5);
    const fine = columns(times.map((time) => [time, 1, 2, 0.5, 1.5, 1]));
    const out = resample(fine, "5m", "15m");
    expect(Array.from(out.time)).toEqual([t, t + 6 * M5]);
  });

  it("drops a trailing incomplete bucket and one that starts before the data", () => {
    const t = Date.UTC(2024, 0, 1);
    const fine = columns([1, 2, 3, 4, 5, 6, 7].map((i) => [t + i * M5, 1, 2, 0.5, 1.5, 1]));
    expect(Array.from(resample(fine, "5m", "15m").time)).toEqual([t + 3 * M5]);
  });

  it("refuses targets that are not coarser whole multiples", () => {
    expect(resampleProblem("5m", "5m")).toBe("5m is not coarser than 5m");
    expect(resampleProblem("1h", "5m")).toBe("5m is not coarser than 1h");
    expect(resampleProblem("1d", "1w")).toBeUndefined();
    expect(() => resample(allocateColumns(0), "1h", "1m")).toThrow(
      "cannot resample 1h to 1m: 1m is not coarser than 1h",
    );
  });

  it("rebuilds the shipped BTC 1h file from the shipped 5m file", async () => {
    const [m5, h1] = await Promise.all([
      readCandleFile(`${DATA_DIR}/binance_BTC-USDT_5m.csv.gz`, "5m"),
      readCandleFile(`${DATA_DIR}/binance_BTC-USDT_1h.csv.gz`, "1h"),
    ]);
    const pairs = join(resample(m5, "5m", "1h"), h1);
    // data/SOURCES.md: 25,112 hours covered by both files.
    expect(pairs.length).toBe(25_112);
    const ohlcMismatches = pairs.filter((p) => p.a.slice(0, 5).join() !== p.b.slice(0, 5).join());
    expect(ohlcMismatches).toEqual([]);
    // Binance's own 5m and 1h klines disagree on the volume of three hours (see SOURCES.md).
    const volumeMismatches = pairs
      .filter((p) => Math.abs((p.a[5] as number) - (p.b[5] as number)) > 1e-6 * Math.max(1, p.b[5] as number))
      .map((p) => new Date(p.a[0] as number).toISOString());
    expect(volumeMismatches).toEqual([
      "2021-04-22T02:00:00.000Z",
      "2021-04-23T01:00:00.000Z",
      "2021-04-23T02:00:00.000Z",
    ]);
  });

  it("rebuilds the shipped ETH 1d file from the shipped 1h file", async () => {
    const [h1, d1] = await Promise.all([
      readCandleFile(`${DATA_DIR}/binance_ETH-USDT_1h.csv.gz`, "1h"),
      readCandleFile(`${DATA_DIR}/binance_ETH-USDT_1d.csv`, "1d"),
    ]);
    const pairs = join(resample(h1, "1h", "1d"), d1);
    expect(pairs.length).toBe(974);
    expect(pairs.filter((p) => p.a.slice(0, 5).join() !== p.b.slice(0, 5).join())).toEqual([]);
    const volumeOff = pairs.filter((p) => Math.abs((p.a[5] as number) / (p.b[5] as number) - 1) > 1e-6);
    expect(volumeOff.length).toBeLessThanOrEqual(2); // 2021-01-11 and 2021-04-22/23, as SOURCES.md says
    for (const p of volumeOff) expect(Math.abs((p.a[5] as number) / (p.b[5] as number) - 1)).toBeLessThan(0.011);
  });
});
