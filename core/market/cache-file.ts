import { randomBytes } from "node:crypto";
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { endianness } from "node:os";
import path from "node:path";
import { type CandleColumns, type SeriesKey, seriesId } from "../domain/index.ts";

/**
 * What a cache file must match to be used: the series' revision and its bookkeeping. Count, first and
 * last are there too because revisions restart at 1 in a new database, and a cache directory can
 * outlive the database it was built from.
 */
export interface CacheStamp {
  readonly revision: number;
  readonly count: number;
  readonly first: number;
  readonly last: number;
}

export type CacheRead =
  | { readonly status: "ok"; readonly columns: CandleColumns }
  | { readonly status: "missing" }
  | { readonly status: "stale" }
  | { readonly status: "corrupt"; readonly reason: string };

// Layout, little-endian: magic "QCCANDLE" | u32 version | u32 header bytes | f64 revision | f64 count
// | f64 first | f64 last | u32 id bytes | series id (utf-8) | zero padding to a multiple of 8
// | time[count] | open[count] | high[count] | low[count] | close[count] | volume[count]  (float64 each)
// The header is padded to 8 bytes so each column can be a Float64Array view straight over the file's bytes.
const MAGIC = "QCCANDLE";
const VERSION = 1;
const FIXED = 52;
const FIELDS = ["time", "open", "high", "low", "close", "volume"] as const;
/** Float64Array views use the host's byte order and the file is little-endian. */
export const CACHE_SUPPORTED = endianness() === "LE";

/**
 * Where the cache file of `key` lives under `cacheDir`.
 * @example cacheFilePath("var/cache", btc5m) // "var/cache/candles/binance_BTC-USDT_5m.bin"
 */
export function cacheFilePath(cacheDir: string, key: SeriesKey): string {
  const safe = (s: string) => s.replace(/\//g, "-").replace(/[^A-Za-z0-9._-]/g, "_");
  return path.join(cacheDir, "candles", `${safe(key.exchange)}_${safe(key.symbol)}_${key.timeframe}.bin`);
}

/**
 * Reads a cache file when it belongs to `key` and matches `stamp`: one read of the header, one of the
 * body into a single buffer, and six Float64Array views over it; no per-candle work. A short, foreign or
 * damaged file comes back as "corrupt" so the caller rebuilds it.
 * @example const r = readCacheFile(file, key, stamp); if (r.status === "ok") use(r.columns)
 */
export function readCacheFile(file: string, key: SeriesKey, stamp: CacheStamp): CacheRead {
  return withStampedFile(file, key, stamp, (fd, headerBytes, count) => {
    // allocUnsafeSlow: its own zero-offset ArrayBuffer (aligned views) and no zero-filling of 48 MB.
    const body = Buffer.allocUnsafeSlow(count * 48);
    readFully(fd, body, headerBytes);
    const columns = {} as Record<(typeof FIELDS)[number], Float64Array>;
    FIELDS.forEach((f, k) => {
      columns[f] = new Float64Array(body.buffer, body.byteOffset + k * count * 8, count);
    });
    if (count > 0 && (columns.time[0] !== stamp.first || columns.time[count - 1] !== stamp.last)) {
      return { status: "corrupt", reason: "first or last time does not match the header" };
    }
    return { status: "ok", columns };
  });
}

/**
 * Rows [start, end) of a cache file that matches `stamp`, each column read straight into its place in
 * one buffer: what a backtest child reads instead of receiving the candles over IPC. The stamp pins the
 * content (an import bumps the revision), so these are the rows the caller loaded from the same file.
 * @example const r = readCacheRows(file, key, stamp, 1000, 2000); if (r.status === "ok") r.columns.time.length // 1000
 */
export function readCacheRows(file: string, key: SeriesKey, stamp: CacheStamp, start: number, end: number): CacheRead {
  return withStampedFile(file, key, stamp, (fd, headerBytes, count) => {
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start <= end && end <= count)) {
      return { status: "corrupt", reason: `rows ${start} to ${end} are not inside the file's ${count}` };
    }
    const n = end - start;
    const body = Buffer.allocUnsafeSlow(n * 48);
    const columns = {} as Record<(typeof FIELDS)[number], Float64Array>;
    FIELDS.forEach((f, k) => {
      readFully(fd, body.subarray(k * n * 8, (k + 1) * n * 8), headerBytes + (k * count + start) * 8);
      columns[f] = new Float64Array(body.buffer, body.byteOffset + k * n * 8, n);
    });
    return { status: "ok", columns };
  });
}

/**
 * Opens `file`, checks that its header is `key`'s and matches `stamp`, and hands the rest to `read`
 * with the header's size and the candle count; the file is closed whatever happens.
 */
function withStampedFile(
  file: string,
  key: SeriesKey,
  stamp: CacheStamp,
  read: (fd: number, headerBytes: number, count: number) => CacheRead,
): CacheRead {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing" };
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    const id = Buffer.from(seriesId(key));
    const headerBytes = align8(FIXED + id.length);
    if (size < headerBytes) return { status: "corrupt", reason: `${size} bytes is shorter than the header` };
    const header = Buffer.alloc(headerBytes);
    readFully(fd, header, 0);
    if (header.toString("latin1", 0, 8) !== MAGIC) return { status: "corrupt", reason: "bad magic" };
    const view = new DataView(header.buffer, header.byteOffset, header.length);
    if (view.getUint32(8, true) !== VERSION) return { status: "corrupt", reason: "unknown version" };
    if (view.getUint32(12, true) !== headerBytes || view.getUint32(48, true) !== id.length) {
      return { status: "corrupt", reason: "header of another series" };
    }
    if (!header.subarray(FIXED, FIXED + id.length).equals(id)) {
      return { status: "corrupt", reason: "header of another series" };
    }
    const count = view.getFloat64(24, true);
    if (!Number.isSafeInteger(count) || size !== headerBytes + count * 48) {
      return { status: "corrupt", reason: `size ${size} does not fit ${count} candles` };
    }
    const matches =
      view.getFloat64(16, true) === stamp.revision &&
      count === stamp.count &&
      view.getFloat64(32, true) === stamp.first &&
      view.getFloat64(40, true) === stamp.last;
    if (!matches) return { status: "stale" };
    return read(fd, headerBytes, count);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the cache file of `key` atomically: a temporary file in the same directory, flushed to disk,
 * then renamed over the old one, so a crash leaves the old file or the new one, never half of either.
 * @example writeCacheFile(cacheFilePath(dir, key), key, stamp, columns)
 */
export function writeCacheFile(file: string, key: SeriesKey, stamp: CacheStamp, columns: CandleColumns): void {
  const count = columns.time.length;
  if (count !== stamp.count) throw new Error(`cache stamp says ${stamp.count} candles, columns hold ${count}`);
  const id = Buffer.from(seriesId(key));
  const headerBytes = align8(FIXED + id.length);
  const header = Buffer.alloc(headerBytes);
  header.write(MAGIC, 0, "latin1");
  const view = new DataView(header.buffer, header.byteOffset, header.length);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, headerBytes, true);
  view.setFloat64(16, stamp.revision, true);
  view.setFloat64(24, count, true);
  view.setFloat64(32, stamp.first, true);
  view.setFloat64(40, stamp.last, true);
  view.setUint32(48, id.length, true);
  id.copy(header, FIXED);

  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeFully(fd, header);
    for (const f of FIELDS) {
      const col = columns[f];
      writeFully(fd, new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw error;
  }
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

function readFully(fd: number, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new Error("cache file ended early");
    done += n;
  }
}

function writeFully(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}
