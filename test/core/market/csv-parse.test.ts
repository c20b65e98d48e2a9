import { describe, expect, it } from "vitest";
import { CandleCsvParser, CsvRowError } from "../../../core/market/csv-parse.ts";
import { shippedLines } from "./helpers.ts";

function parseAll(parser: CandleCsvParser, chunks: Buffer[]): number[][] {
  const rows: number[][] = [];
  const take = (b: ReturnType<CandleCsvParser["push"]>) => {
    const v = b.view();
    for (let i = 0; i < v.time.length; i++) {
      rows.push([v.time, v.open, v.high, v.low, v.close, v.volume].map((c) => c[i] as number));
    }
  };
  for (const chunk of chunks) take(parser.push(chunk));
  take(parser.end());
  return rows;
}

describe("CandleCsvParser", () => {
  const lines = shippedLines("binance_ETH-USDT_1h.csv.gz").slice(0, 200);
  const text = `timestamp_ms,open,high,low,close,volume\n${lines.join("\n")}`;
  const expected = lines.map((l) => l.split(",").map(Number));

  it("gives the same numbers as Number() for every field of real data", () => {
    expect(parseAll(new CandleCsvParser("1h"), [Buffer.from(text)])).toEqual(expected);
  });

  it("does not care where the chunks split lines and numbers", () => {
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 7, 64, 1000]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(parseAll(new CandleCsvParser("1h"), chunks)).toEqual(expected);
    }
  });

  it("parses unusual but valid numbers exactly: many digits, exponents, signs, leading dots", () => {
    const t = Date.UTC(2024, 0, 1);
    const rows = parseAll(new CandleCsvParser("1h"), [
      Buffer.from(`${t},2e3,2E3,+0.5,1.123456789012345678,.25\n`),
      Buffer.from(`${t + 3_600_000},.25,12345678901234567,0.000000000000000000000001,0.25,0\n`),
    ]);
    expect(rows).toEqual([
      [t, 2000, 2000, 0.5, Number("1.123456789012345678"), 0.25],
      [t + 3_600_000, 0.25, Number("12345678901234567"), 1e-24, 0.25, 0],
    ]);
  });

  it("matches Number() on random decimals, including ones past the fast path", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const parser = new CandleCsvParser("1m");
    let t = 1_600_000_000_000 - (1_600_000_000_000 % 60_000);
    const lines: string[] = [];
    const wanted: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const digits = 1 + Math.floor(random() * 20);
      const scale = Math.floor(random() * digits);
      const raw = String(Math.floor(random() * 10 ** digits)).padStart(digits, "1");
      const text = scale > 0 ? `${raw.slice(0, digits - scale)}.${raw.slice(digits - scale)}` : raw;
      const value = Number(text);
      if (!(value > 0)) continue;
      lines.push(`${t},${text},${text},${text},${text},${text}`);
      wanted.push(value);
      t += 60_000;
    }
    const rows = parseAll(parser, [Buffer.from(lines.join("\n"))]);
    expect(rows.map((r) => r[1])).toEqual(wanted);
    expect(rows.map((r) => r[5])).toEqual(wanted);
  });

  it("skips blank lines but keeps counting them", () => {
    const parser = new CandleCsvParser("1h");
    const bad = `${lines[0]}\n\n\n${lines[0]}\n`;
    expect(() => parseAll(parser, [Buffer.from(bad)])).toThrow(CsvRowError);
    try {
      parseAll(new CandleCsvParser("1h"), [Buffer.from(bad)]);
    } catch (error) {
      expect((error as CsvRowError).line).toBe(4);
    }
  });

  it("accepts other names for the time column in a header", () => {
    for (const name of ["date", "time", "ts", "open_time", '"timestamp"']) {
      const rows = parseAll(new CandleCsvParser("1h"), [
        Buffer.from(`${name},open,high,low,close,volume\n${lines[0]}`),
      ]);
      expect(rows).toHaveLength(1);
    }
  });

  it("checks weekly candles against Monday-aligned weeks", () => {
    const monday = Date.UTC(2024, 0, 1); // a Monday
    expect(parseAll(new CandleCsvParser("1w"), [Buffer.from(`${monday},1,1,1,1,0`)])).toHaveLength(1);
    const thursday = Date.UTC(2024, 0, 4);
    expect(() => parseAll(new CandleCsvParser("1w"), [Buffer.from(`${thursday},1,1,1,1,0`)])).toThrow(
      /is not aligned to 1w candles/,
    );
  });
});
