import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import type { CandleColumns, Timeframe } from "../domain/index.ts";
import { ColumnBuilder } from "./columns.ts";
import { CandleCsvParser, CsvRowError } from "./csv-parse.ts";

/**
 * A candle file that could not be read: names the file and, for a bad row, its line, so the message is
 * `data/x.csv:42: expected 6 columns, got 5`.
 */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = "ImportError";
  }
}

/**
 * How far a read has got: rows accepted, and bytes of CSV text parsed out of the total. For .gz files
 * these are uncompressed bytes (the total from the gzip trailer): the compressed file is read ahead of
 * the parser by megabytes, so its position would show 100% long before the end.
 */
export interface ReadProgress {
  readonly rows: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
}

/** What a completed read saw: row count, first and last open times, holes between rows. */
export interface ReadStats {
  readonly rows: number;
  readonly first: number;
  readonly last: number;
  readonly gaps: number;
  readonly missing: number;
}

// Big chunks: fewer awaits and fewer, larger inserts. zlib inflates on the thread pool, so the next
// chunk decompresses while this one is parsed and written.
const CHUNK = 1 << 20;

/**
 * Streams a `.csv` or `.csv.gz` candle file as validated column batches. Each yielded batch is reused
 * by the next iteration, so consume it before asking for more. Throws ImportError on an unreadable
 * file or the first bad row; returns the read's stats when done.
 *
 * @example
 * const reader = readCandleBatches("data/binance_BTC-USDT_1d.csv", "1d");
 * for await (const batch of reader) await write(batch);
 */
export async function* readCandleBatches(
  file: string,
  timeframe: Timeframe,
  onProgress?: (progress: ReadProgress) => void,
): AsyncGenerator<CandleColumns, ReadStats, void> {
  const gzip = file.endsWith(".gz");
  let totalBytes: number;
  try {
    totalBytes = gzip ? gzipTextSize(file) : statSync(file).size;
  } catch (error) {
    throw new ImportError(file, undefined, describeFsError(error));
  }
  const source = createReadStream(file, { highWaterMark: CHUNK });
  const stream: Readable = gzip ? pipeline(source, createGunzip({ chunkSize: CHUNK }), () => {}) : source;
  const parser = new CandleCsvParser(timeframe);
  let parsedBytes = 0;
  try {
    for await (const chunk of stream) {
      const batch = parser.push(chunk as Buffer);
      if (batch.length > 0) yield batch.view();
      parsedBytes += (chunk as Buffer).length;
      onProgress?.({ rows: parser.rows, bytesRead: Math.min(parsedBytes, totalBytes), totalBytes });
    }
    const tail = parser.end();
    if (tail.length > 0) yield tail.view();
  } catch (error) {
    if (error instanceof CsvRowError) throw new ImportError(file, error.line, error.reason);
    if (error instanceof ImportError) throw error;
    throw new ImportError(file, undefined, describeReadError(error));
  } finally {
    source.destroy();
  }
  if (parser.rows === 0) throw new ImportError(file, undefined, "no candles in the file");
  return { rows: parser.rows, first: parser.first, last: parser.last, gaps: parser.gaps, missing: parser.missing };
}

/**
 * Reads a whole candle file into columns (no database), for tests and tools.
 * @example const btc = await readCandleFile("data/binance_BTC-USDT_1h.csv.gz", "1h")
 */
export async function readCandleFile(file: string, timeframe: Timeframe): Promise<CandleColumns> {
  const all = new ColumnBuilder(1 << 16);
  for await (const batch of readCandleBatches(file, timeframe)) {
    for (let i = 0; i < batch.time.length; i++) {
      all.push(
        batch.time[i] as number,
        batch.open[i] as number,
        batch.high[i] as number,
        batch.low[i] as number,
        batch.close[i] as number,
        batch.volume[i] as number,
      );
    }
  }
  return all.view();
}

/**
 * The uncompressed size a gzip file records in its last four bytes (modulo 4 GiB, so a bigger file's
 * progress reaches 100% early; the import itself is unaffected).
 */
function gzipTextSize(file: string): number {
  const size = statSync(file).size;
  if (size < 18) return size; // not gzip; the decompressor will say so
  const fd = openSync(file, "r");
  try {
    const trailer = Buffer.alloc(4);
    readSync(fd, trailer, 0, 4, size - 4);
    return trailer.readUInt32LE(0) || size;
  } finally {
    closeSync(fd);
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return error instanceof Error ? error.message : String(error);
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === "string" && code.startsWith("Z_")) {
    return `not a valid gzip file (${(error as Error).message})`;
  }
  return describeFsError(error);
}
