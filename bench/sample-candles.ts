import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { CandleColumns } from "../core/domain/index.ts";

/** The real candle files the benchmarks read, 1M+ rows together: the shipped 5m and the shared 1m ones. */
export const SAMPLE_FILES = [
  "binance_BTC-USDT_1m.csv.gz",
  "binance_ETH-USDT_1m.csv.gz",
  "binance_BTC-USDT_5m.csv.gz",
  "binance_ETH-USDT_5m.csv.gz",
];

/** A sample file from the project's data/, or from ../shared/data beside the checkout (the 1m files). */
export function sampleFile(name: string): string {
  const local = path.resolve(import.meta.dirname, "../data", name);
  return existsSync(local) ? local : path.resolve(import.meta.dirname, "../../shared/data", name);
}

/**
 * `rows` real candles: the sample files one after another, times rebased to one per minute from
 * `startTime`. With `stitch`, each file's prices are scaled to continue from the previous close, so the
 * joins between markets and eras are not jumps a strategy would trade on.
 * @example const columns = sampleCandles(1_000_000, { startTime: Date.UTC(2020, 0, 1), stitch: true })
 */
export function sampleCandles(rows: number, options: { startTime: number; stitch?: boolean }): CandleColumns {
  const out = {
    time: new Float64Array(rows),
    open: new Float64Array(rows),
    high: new Float64Array(rows),
    low: new Float64Array(rows),
    close: new Float64Array(rows),
    volume: new Float64Array(rows),
  };
  let n = 0;
  for (const file of SAMPLE_FILES) {
    if (n === rows) break;
    const text = gunzipSync(readFileSync(sampleFile(file))).toString();
    let scale = 1;
    let first = true;
    for (const line of text.split("\n").slice(1)) {
      if (n === rows) break;
      const cells = line.split(",");
      if (cells.length < 6) continue;
      if (first) {
        scale = options.stitch && n > 0 ? (out.close[n - 1] as number) / Number(cells[1]) : 1;
        first = false;
      }
      out.time[n] = options.startTime + n * 60_000;
      out.open[n] = Number(cells[1]) * scale;
      out.high[n] = Number(cells[2]) * scale;
      out.low[n] = Number(cells[3]) * scale;
      out.close[n] = Number(cells[4]) * scale;
      out.volume[n] = Number(cells[5]);
      n++;
    }
  }
  if (n < rows) throw new Error(`only ${n} candles in the sample files`);
  return out;
}
