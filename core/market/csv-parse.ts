import { bucketStart, candleProblem, type Timeframe, timeframeMs } from "../domain/index.ts";
import { ColumnBuilder } from "./columns.ts";

/** A row the parser refused: the 1-based line number and what was wrong with it. */
export class CsvRowError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = "CsvRowError";
  }
}

const COMMA = 44;
const NEWLINE = 10;
const CR = 13;
const MINUS = 45;
const DOT = 46;
const QUOTE = 34;
const FIELDS = ["timestamp", "open", "high", "low", "close", "volume"] as const;
const HEADER = "timestamp_ms,open,high,low,close,volume";
// Before 1973-03-03 in milliseconds, but 5138 AD in seconds: a file this early was written in seconds.
const SECONDS_LIMIT = 1e11;
// 10^0 .. 10^22 are exact doubles, which the fast number path below relies on.
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * Parses `timestamp_ms,open,high,low,close,volume` CSV bytes into candle columns and validates every
 * row (column count, finite numbers, a sensible timestamp aligned to the timeframe and after the
 * previous row's, `candleProblem`). A header line is optional. It works on raw bytes, chunk by chunk,
 * because turning 300k lines into strings and arrays first costs more than the database insert.
 *
 * @example
 * const p = new CandleCsvParser("5m");
 * const rows = p.push(chunk);   // the complete lines of this chunk, as columns (reused per call)
 * const tail = p.end();         // a last line without a newline
 */
export class CandleCsvParser {
  /** Rows accepted so far. */
  rows = 0;
  /** Open times of the first and last accepted rows (NaN before the first). */
  first = Number.NaN;
  last = Number.NaN;
  /** Holes between consecutive rows, and the candles missing in them. */
  gaps = 0;
  missing = 0;

  private line = 0;
  private sawFirstLine = false;
  private carry: Buffer | undefined;
  private pos = 0;
  private readonly step: number;
  private readonly values = new Float64Array(6);
  private readonly batch = new ColumnBuilder(8192);

  constructor(private readonly timeframe: Timeframe) {
    this.step = timeframeMs(timeframe);
  }

  /** Parses every complete line in `chunk`; returns their candles in a buffer that the next call reuses. */
  push(chunk: Buffer): ColumnBuilder {
    this.batch.clear();
    let start = 0;
    if (this.carry) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return this.batch;
      }
      const joined = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = undefined;
      this.parseLine(joined, 0, joined.length);
      start = nl + 1;
    }
    for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      this.parseLine(chunk, start, nl);
      start = nl + 1;
    }
    // Copy the partial last line: holding a view would keep the whole chunk alive.
    if (start < chunk.length) this.carry = Buffer.from(chunk.subarray(start));
    return this.batch;
  }

  /** Parses a last line that had no newline; call once after the final chunk. */
  end(): ColumnBuilder {
    this.batch.clear();
    const carry = this.carry;
    this.carry = undefined;
    if (carry) this.parseLine(carry, 0, carry.length);
    return this.batch;
  }

  private parseLine(buf: Buffer, s: number, e: number): void {
    this.line++;
    if (e > s && buf[e - 1] === CR) e--;
    if (e === s) return; // blank lines carry nothing; not worth failing an import over
    if (!this.sawFirstLine) {
      this.sawFirstLine = true;
      const c = buf[s] as number;
      if (((c | 32) >= 97 && (c | 32) <= 122) || c === QUOTE) {
        this.checkHeader(buf.toString("latin1", s, e));
        return;
      }
    }
    const values = this.values;
    let columns = 0;
    for (let i = s; ; i = this.pos + 1) {
      const v = this.parseField(buf, i, e);
      if (columns < 6) values[columns] = v;
      columns++;
      if (this.pos >= e) break;
    }
    if (columns !== 6) this.fail(`expected 6 columns, got ${columns}`);
    for (let k = 0; k < 6; k++) {
      if (!Number.isFinite(values[k])) {
        const text = buf.toString("latin1", s, e).split(",")[k] ?? "";
        this.fail(`${FIELDS[k]} is not a finite number: ${JSON.stringify(clip(text))}`);
      }
    }
    const [time, open, high, low, close, volume] = values as unknown as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    this.checkTime(time);
    const problem = candleProblem({ time, open, high, low, close, volume });
    if (problem !== undefined) this.fail(problem);
    if (this.rows > 0 && time - this.last > this.step) {
      this.gaps++;
      this.missing += (time - this.last) / this.step - 1;
    }
    if (this.rows === 0) this.first = time;
    this.last = time;
    this.rows++;
    this.batch.push(time, open, high, low, close, volume);
  }

  private checkTime(time: number): void {
    if (!Number.isSafeInteger(time) || time < 0) {
      this.fail(`timestamp is not a whole number of milliseconds: ${time}`);
    }
    if (time < SECONDS_LIMIT) this.fail(`timestamp ${time} looks like seconds; expected milliseconds`);
    if (bucketStart(time, this.timeframe) !== time) {
      this.fail(`timestamp ${time} (${iso(time)}) is not aligned to ${this.timeframe} candles`);
    }
    if (this.rows > 0 && time <= this.last) {
      this.fail(
        `timestamp ${time} (${iso(time)}) is not after the previous row's ${this.last} (${iso(this.last)}); rows must be strictly increasing`,
      );
    }
  }

  /**
   * Reads one number starting at `s`, leaving `this.pos` on the comma or line end after it; NaN when the
   * text is not a decimal number. Up to 15 digits with up to 22 decimals, digits / 10^decimals is exactly
   * what Number() returns (both operands are exact doubles and IEEE division rounds correctly), so the
   * common case needs no string; anything else goes through Number().
   */
  private parseField(buf: Buffer, s: number, e: number): number {
    let i = s;
    let negative = false;
    if (i < e && buf[i] === MINUS) {
      negative = true;
      i++;
    }
    let mantissa = 0;
    let digits = 0;
    let decimals = 0;
    let dot = false;
    for (; i < e; i++) {
      const c = buf[i] as number;
      if (c === COMMA) break;
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        mantissa = mantissa * 10 + d;
        digits++;
        if (dot) decimals++;
      } else if (c === DOT && !dot) {
        dot = true;
      } else {
        return this.parseSlow(buf, s, e);
      }
    }
    this.pos = i;
    if (digits === 0 || digits > 15 || decimals > 22) return this.parseSlow(buf, s, e);
    const value = decimals === 0 ? mantissa : mantissa / (POW10[decimals] as number);
    return negative ? -value : value;
  }

  private parseSlow(buf: Buffer, s: number, e: number): number {
    let end = buf.indexOf(COMMA, s);
    if (end < 0 || end > e) end = e;
    this.pos = end;
    const text = buf.toString("latin1", s, end);
    // Number() alone would accept "0x1f", "Infinity" and "" (as 0).
    return DECIMAL.test(text) ? Number(text) : Number.NaN;
  }

  private checkHeader(text: string): void {
    const names = text.split(",").map((n) => n.trim().replace(/^"|"$/g, "").toLowerCase());
    const timeName = names[0] ?? "";
    const ok =
      names.length === 6 &&
      /time|date|^ts$/.test(timeName) &&
      names.slice(1).join(",") === "open,high,low,close,volume";
    if (!ok) this.fail(`header must be ${HEADER}, got ${JSON.stringify(clip(text))}`);
  }

  private fail(reason: string): never {
    throw new CsvRowError(this.line, reason);
  }
}

function iso(time: number): string {
  return new Date(time).toISOString().replace(":00.000Z", "Z");
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
