import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/** Candle columns of one shipped data file, as plain arrays (what the peer libraries take) and typed arrays. */
export interface Columns {
  readonly rows: number;
  readonly time: number[];
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly volume: number[];
}

/** Real candles every indicator is checked on: 2,643 daily BTC candles and 32,775 hourly ETH candles. */
export const DATASETS = ["binance_BTC-USDT_1d.csv", "binance_ETH-USDT_1h.csv.gz"] as const;

const cache = new Map<string, Columns>();

/** loadCandles, read once per test file. */
export function candles(file: string): Columns {
  let cols = cache.get(file);
  if (!cols) {
    cols = loadCandles(file);
    cache.set(file, cols);
  }
  return cols;
}

/** Float64Array copies of the columns, what our batch helpers take. */
export function typed(cols: Columns): {
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  time: Float64Array;
} {
  return {
    high: Float64Array.from(cols.high),
    low: Float64Array.from(cols.low),
    close: Float64Array.from(cols.close),
    volume: Float64Array.from(cols.volume),
    time: Float64Array.from(cols.time),
  };
}

/** The index of the first non-NaN value, or -1. */
export function firstReady(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) return i;
  return -1;
}

const repoData = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../data");
// ../shared/data beside the checkout holds the files data/ was filled from (the 1m files are not shipped).
const sharedData = path.resolve(repoData, "../../shared/data");

/**
 * Reads `timestamp_ms,open,high,low,close,volume` rows (gzip or plain) from the project's data/ folder, or from
 * the shared data folder it is filled from.
 *
 * @example
 * const btc = loadCandles("binance_BTC-USDT_1d.csv");
 */
export function loadCandles(file: string, limit = Number.POSITIVE_INFINITY): Columns {
  const local = path.join(repoData, file);
  const full = existsSync(local) ? local : path.join(sharedData, file);
  const raw = readFileSync(full);
  const text = (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  const lines = text.split("\n");
  const cols: Columns = { rows: 0, time: [], open: [], high: [], low: [], close: [], volume: [] };
  for (let i = 1; i < lines.length && cols.time.length < limit; i++) {
    const line = lines[i];
    if (!line) continue;
    const [t, o, h, l, c, v] = line.split(",").map(Number) as [number, number, number, number, number, number];
    cols.time.push(t);
    cols.open.push(o);
    cols.high.push(h);
    cols.low.push(l);
    cols.close.push(c);
    cols.volume.push(v);
  }
  return { ...cols, rows: cols.time.length };
}

/** |a - b| within `tolerance` relative to the larger magnitude, or absolute below 1 (oscillators near 0). */
export function close(a: number, b: number, tolerance = 1e-8): boolean {
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Compares our full-length output (NaN in warm-up) with a peer's output that omits warm-up rows, aligning the
 * two at the end. Returns the number of rows compared; throws naming the first row that differs.
 *
 * @example
 * expect(compareTail(sma(closes, 20), SMA.calculate({ period: 20, values: closes }))).toBeGreaterThan(2000);
 */
export function compareTail(
  ours: ArrayLike<number>,
  peer: ArrayLike<number>,
  options: { tolerance?: number; skip?: number; sameWarmup?: boolean } = {},
): number {
  const { tolerance = 1e-8, skip = 0, sameWarmup = true } = options;
  const offset = ours.length - peer.length;
  if (offset < 0) throw new Error(`peer has ${peer.length} rows, ours ${ours.length}`);
  if (sameWarmup) {
    if (offset > 0 && !Number.isNaN(ours[offset - 1])) {
      throw new Error(`row ${offset - 1} should still be warm-up (NaN), got ${ours[offset - 1]}`);
    }
  }
  let compared = 0;
  for (let j = skip; j < peer.length; j++) {
    const a = ours[offset + j] as number;
    const b = peer[j] as number;
    if (!close(a, b, tolerance)) throw new Error(`row ${offset + j}: ours ${a}, peer ${b}`);
    compared++;
  }
  return compared;
}
