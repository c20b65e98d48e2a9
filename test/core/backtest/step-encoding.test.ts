import v8 from "node:v8";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBacktestInProcess } from "../../../core/backtest/index.ts";
import { stepColumns } from "../../../core/backtest/step-columns.ts";
import { decodeColumn, encodedColumnProblem } from "../../../core/backtest/step-decoding.ts";
import { type EncodedColumn, encodeColumn, KIND_BITS, RUN } from "../../../core/backtest/step-encoding.ts";
import type { BacktestRun } from "../../../core/backtest/types.ts";
import { type BacktestWorld, btcHoursWorld, PLUGINS, settings } from "../trading/backtest-helpers.ts";

// A run's step columns are stored and sent encoded as runs (repeats, steps, decimal deltas, literals).
// Whatever the column, it must come back bit for bit (NaN payloads and -0 included), and a column from
// elsewhere that would not decode whole must be refused with a reason before anything reads it.

/** The column's bytes: equal bytes are equal bits, which toEqual on numbers would not tell (NaN payloads). */
function bytesOf(column: Float64Array): Buffer {
  return Buffer.from(column.buffer, column.byteOffset, column.byteLength);
}

/** Encoded, cloned as the IPC channel clones it, checked and decoded: the same bytes back. */
function roundTrip(column: Float64Array): EncodedColumn {
  const encoded = encodeColumn(column);
  const carried = v8.deserialize(v8.serialize(encoded)) as EncodedColumn;
  expect(encodedColumnProblem(carried, column.length)).toBeUndefined();
  expect(bytesOf(decodeColumn(carried)).equals(bytesOf(column))).toBe(true);
  return encoded;
}

/** A column holding exactly these bits (a NaN read into a number and written back may be changed). */
function columnOf(values: readonly number[], nans: Readonly<Record<number, number>> = {}): Float64Array {
  const column = Float64Array.from(values);
  const view = new DataView(column.buffer);
  for (const [at, payload] of Object.entries(nans)) {
    view.setUint32(Number(at) * 8 + 4, 0x7ff00000 | (payload & 0xfffff), true);
    view.setUint32(Number(at) * 8, payload >>> 0 || 1, true);
  }
  return column;
}

/** The kinds of an encoded column's runs, in order, with their counts. */
function runsOf(c: EncodedColumn): string[] {
  const names = ["literal", "repeat", "step", "decimal"];
  return Array.from(c.ops, (op) => `${names[op & 3]} ${op >>> KIND_BITS}`);
}

const MINUTE = 60_000;
const T = 1_600_000_000_000;

describe("a step column encoded", () => {
  it("comes back whole when empty or of one value", () => {
    expect(runsOf(roundTrip(new Float64Array(0)))).toEqual([]);
    for (const value of [0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MIN_VALUE]) {
      expect(runsOf(roundTrip(Float64Array.of(value)))).toEqual(["literal 1"]);
    }
    roundTrip(columnOf([0], { 0: 0x12345 }));
  });

  it("keeps a value repeated as one run, whatever the value", () => {
    for (const value of [42.5, 0, -0, Number.NaN, Number.NEGATIVE_INFINITY, 1e300]) {
      const encoded = roundTrip(new Float64Array(1000).fill(value));
      expect(runsOf(encoded)).toEqual(["literal 1", "repeat 999"]);
    }
    // A NaN repeats with its own payload, told apart from another NaN's.
    const payloads = columnOf([0, 0, 0, 0, 0, 0], { 0: 7, 1: 7, 2: 7, 3: 9, 4: 9, 5: 9 });
    expect(runsOf(roundTrip(payloads))).toEqual(["literal 1", "repeat 2", "literal 1", "repeat 2"]);
  });

  it("tells -0 from 0 and NaN from NaN wherever they stand", () => {
    roundTrip(Float64Array.of(0, -0, 0, -0, -0, -0, -0, -0, 0, 0, 0, 0, 0));
    // A step down to zero, then a zero of the other sign: not the step's next value.
    roundTrip(Float64Array.of(3, 2, 1, 0, -0, -1, -2, -3, -0));
    roundTrip(Float64Array.of(-3, -2, -1, -0, 0, 1, 2));
    // Prices in cents around zero: a decimal run cannot make -0 ((k + 0) / 100 is +0).
    roundTrip(Float64Array.of(0.02, 0.01, 0, -0, -0.01, -0, 0, 0.01));
    roundTrip(columnOf([1, 0, 2, 0, 0, 3, 0, 0, 0, 0, 0], { 1: 1, 3: 2, 4: 2, 6: 5, 7: 5, 8: 6, 9: 6, 10: 6 }));
    roundTrip(
      Float64Array.of(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, Infinity, 2),
    );
  });

  it("is not encoded again once decoded: its encoding is given back", () => {
    const column = Float64Array.from({ length: 100 }, (_, i) => Math.round(i * 7.77) / 4);
    const encoded = encodeColumn(column);
    const decoded = decodeColumn(structuredClone(encoded));
    expect(encodeColumn(decoded)).toBe(encodeColumn(decoded));
    expect(encodeColumn(decoded)).not.toBe(encoded);
    expect(encodeColumn(decoded)).toEqual(encoded);
    // A column never decoded is encoded afresh, each time.
    expect(encodeColumn(column)).not.toBe(encodeColumn(column));
  });

  it("writes alternating values as literals", () => {
    const alternating = Float64Array.from({ length: 101 }, (_, i) => (i % 2 ? 1.25 : -7.5e-9));
    expect(runsOf(roundTrip(alternating))).toEqual(["literal 101"]);
    const nanAndZero = Float64Array.from({ length: 64 }, (_, i) => (i % 2 ? Number.NaN : 0));
    expect(runsOf(roundTrip(nanAndZero))).toEqual(["literal 64"]);
  });

  it("keeps times a timeframe apart as steps, a gap as one delta", () => {
    const times = Float64Array.from({ length: 10_000 }, (_, i) => T + i * MINUTE + (i >= 6000 ? 3 * 3_600_000 : 0));
    const encoded = roundTrip(times);
    // Whole milliseconds: the gap is a decimal delta (of 0 decimals), then steps again.
    expect(runsOf(encoded)).toEqual(["literal 1", "step 5999", "decimal 1", "step 3999"]);
    expect(Array.from(encoded.values)).toEqual([T, MINUTE, MINUTE]);
    expect(Array.from(encoded.deltas)).toEqual([MINUTE + 3 * 3_600_000]);
    // Steps that are not exact in binary still come back exactly: the encoder adds as the decoder does.
    roundTrip(Float64Array.from({ length: 1000 }, (_, i) => 0.1 * i));
    let x = 0.3;
    roundTrip(Float64Array.from({ length: 1000 }, () => (x += 0.1)));
  });

  it("cuts runs at their exact boundaries", () => {
    // Values of no decimals (an irrational fraction), integers apart: steps of them are exact.
    const c = 2 ** 20 + Math.PI / 8;
    // A step of two values does not pay for its run; of three it does.
    expect(runsOf(roundTrip(Float64Array.of(c + 100, c + 5, c + 6, c + 7, c + 50)))).toEqual(["literal 5"]);
    expect(runsOf(roundTrip(Float64Array.of(c + 100, c + 5, c + 6, c + 7, c + 8, c + 50)))).toEqual([
      "literal 2",
      "step 3",
      "literal 1",
    ]);
    // Cents: a repeat of three stays in the decimal run (2 bytes a value), one of four is a run of its own.
    expect(runsOf(roundTrip(Float64Array.of(1.01, 1.02, 1.02, 1.02, 1.02, 1.03)))).toEqual(["literal 1", "decimal 5"]);
    expect(runsOf(roundTrip(Float64Array.of(1.01, 1.02, 1.02, 1.02, 1.02, 1.02, 1.03)))).toEqual([
      "literal 1",
      "decimal 1",
      "repeat 4",
      "decimal 1",
    ]);
    // Moves of a few cents: Int16 deltas, of which 32767 and -32768 fit and 32768 does not.
    const b = 100_001;
    const walk = Array.from({ length: 40 }, (_, i) => b - 100 + i + (i % 2) * 3);
    const narrow = roundTrip(Float64Array.from([...walk, b, b + 32767, b, b - 32768, b, b + 32768, b], (k) => k / 100));
    expect(narrow.deltas).toBeInstanceOf(Int16Array);
    expect(runsOf(narrow)).toEqual(["literal 1", "decimal 43", "literal 2", "decimal 1"]);
    expect(Array.from(narrow.deltas.slice(39))).toEqual([58, 32767, -32767, -32768, -32768]);
    // Moves that mostly do not fit an Int16: Int32 deltas, the same boundaries at 2^31.
    const wide = roundTrip(Float64Array.from([b, b + 2 ** 31 - 1, b, b - 2 ** 31, b, b + 2 ** 31, b], (k) => k / 100));
    expect(wide.deltas).toBeInstanceOf(Int32Array);
    expect(runsOf(wide)).toEqual(["literal 1", "decimal 3", "literal 2", "decimal 1"]);
    expect(Array.from(wide.deltas)).toEqual([2 ** 31 - 1, -(2 ** 31 - 1), -(2 ** 31), -(2 ** 31)]);
    // Inside a decimal run, the same move 8 times is a step run of its own; 7 times, it is not.
    const walk20 = Array.from({ length: 20 }, (_, i) => 1000 + i + (i % 2) * 3);
    const stepping = (times: number) => [
      ...walk20,
      ...Array.from({ length: times }, (_, m) => 1022 + 5 * (m + 1)),
      ...[4, 2, 6, 4, 8].map((x) => 1022 + 5 * times + x),
    ];
    expect(runsOf(roundTrip(Float64Array.from(stepping(8))))).toEqual([
      "literal 1",
      "decimal 19",
      "step 8",
      "decimal 5",
    ]);
    expect(runsOf(roundTrip(Float64Array.from(stepping(7))))).toEqual(["literal 1", "decimal 31"]);
    // Runs that end on the column's last value.
    expect(runsOf(roundTrip(Float64Array.of(c, c + 2, c + 3, c + 4)))).toEqual(["literal 4"]);
    expect(runsOf(roundTrip(Float64Array.of(c, c + 1, c + 2, c + 3)))).toEqual(["literal 1", "step 3"]);
    expect(runsOf(roundTrip(Float64Array.of(5.5, 5.5, 5.5, 5.5)))).toEqual(["literal 1", "repeat 3"]);
  });

  it("round-trips random columns of every kind of run (seeded)", () => {
    const random = mulberry32(20_240_605);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const specials = [0, -0, Number.NaN, Infinity, -Infinity, 5e-324, 1e308, -1e-310];
    for (let c = 0; c < 300; c++) {
      const column = new Float64Array(Math.floor(random() * 1500));
      const bits = new Uint32Array(column.buffer);
      let i = 0;
      while (i < column.length) {
        const end = Math.min(column.length, i + 1 + Math.floor(random() * (random() < 0.2 ? 200 : 8)));
        const kind = pick(["repeat", "step", "cents", "quarters", "special", "bits"]);
        const step = c % 3 === 0 ? 60_000 : 0.37;
        for (; i < end; i++) {
          const previous = i > 0 ? (column[i - 1] as number) : 100;
          if (kind === "repeat" && i > 0) {
            // The bits of the value before, a NaN's payload too.
            bits[2 * i] = bits[2 * i - 2] as number;
            bits[2 * i + 1] = bits[2 * i - 1] as number;
          } else if (kind === "step") column[i] = previous + step;
          else if (kind === "cents") column[i] = Math.round(previous * 100 + (random() - 0.5) * 90_000) / 100;
          else if (kind === "quarters") column[i] = Math.round(random() * 4) / 4 - 0.5;
          else if (kind === "special") column[i] = pick(specials);
          else {
            // Any bits: a third of them NaNs with a payload (or infinities).
            bits[2 * i] = (random() * 2 ** 32) >>> 0;
            bits[2 * i + 1] = random() < 0.3 ? 0x7ff00000 | ((random() * 2 ** 20) >>> 0) : (random() * 2 ** 32) >>> 0;
          }
        }
      }
      roundTrip(column);
    }
  });
});

describe("a real run's step columns encoded", () => {
  let w: BacktestWorld;
  let run: BacktestRun;
  beforeAll(async () => {
    w = await btcHoursWorld("step-encoding");
    const from = Date.UTC(2020, 11, 15);
    run = await runBacktestInProcess(
      settings({ from, to: from + 4000 * 3_600_000, params: { fast: 10, slow: 30 }, closeAtEnd: true }),
      { store: w.store, cacheDir: w.cacheDir, pluginRoots: [PLUGINS] },
    );
  });
  afterAll(async () => {
    await w?.cleanup();
  });

  it("come back exactly, in a fraction of their raw bytes", () => {
    const columns = stepColumns(run);
    expect(run.fills.length).toBeGreaterThan(10);
    let raw = 0;
    let encoded = 0;
    for (const column of [columns.time, columns.equity, columns.cash, columns.close]) {
      const e = roundTrip(column);
      raw += column.byteLength;
      encoded += e.ops.byteLength + e.values.byteLength + e.deltas.byteLength;
    }
    // Hours: a step run between gaps, a literal at each gap.
    let gaps = 0;
    for (let i = 1; i < columns.time.length; i++)
      if (columns.time[i] !== (columns.time[i - 1] as number) + 3_600_000) gaps++;
    expect(encodeColumn(columns.time).ops.length).toBeLessThanOrEqual(2 + 2 * gaps);
    // Prices in cents, an hour apart: too many moves of more than 327.67 for Int16 deltas; each in an Int32.
    const close = encodeColumn(columns.close);
    expect(close.decimals).toBe(2);
    expect(close.deltas).toBeInstanceOf(Int32Array);
    expect(close.values.length).toBeLessThan(columns.close.length / 100);
    expect(encoded).toBeLessThan(raw / 2);
  });
});

describe("an encoded column from elsewhere", () => {
  const op = (kind: number, count: number) => count * 2 ** KIND_BITS + kind;
  /** Four times a minute apart (a literal, three steps), 5 (a literal) four times (three repeats), then 5.03. */
  const good = (): EncodedColumn => ({
    length: 9,
    decimals: 2,
    ops: Uint32Array.of(op(RUN.LITERAL, 1), op(RUN.STEP, 3), op(RUN.LITERAL, 1), op(RUN.REPEAT, 3), op(RUN.DECIMAL, 1)),
    values: Float64Array.of(T, MINUTE, 5),
    deltas: Int16Array.of(3),
  });
  type Column = { -readonly [K in keyof EncodedColumn]: unknown };
  const tampered: readonly [string, (c: Column) => void, RegExp][] = [
    ["ops of another type", (c) => (c.ops = Array.from(c.ops as Uint32Array)), /^ops: not a Uint32Array/],
    ["values of another type", (c) => (c.values = new Float32Array(3)), /^values: not a Float64Array/],
    ["no deltas", (c) => delete c.deltas, /^deltas: not an Int16Array or Int32Array/],
    ["deltas of another type", (c) => (c.deltas = Uint16Array.of(3)), /^deltas: not an Int16Array or Int32Array/],
    ["a negative length", (c) => (c.length = -1), /^length: not a count/],
    ["a fractional length", (c) => (c.length = 8.5), /^length: not a count/],
    ["a length as text", (c) => (c.length = "9"), /^length: not a count/],
    ["decimals out of range", (c) => (c.decimals = 13), /^decimals: out of range/],
    ["fractional decimals", (c) => (c.decimals = 0.5), /^decimals: out of range/],
    ["an empty run", (c) => ((c.ops as Uint32Array)[1] = op(RUN.STEP, 0)), /^run 1: empty/],
    ["a repeat first", (c) => ((c.ops as Uint32Array)[0] = op(RUN.REPEAT, 1)), /^run 0: goes on from a value before/],
    ["a decimal run first", (c) => ((c.ops as Uint32Array)[0] = op(RUN.DECIMAL, 1)), /^run 0: goes on from/],
    ["runs past the end", (c) => (c.length = 8), /^run 4: past the end of the column/],
    ["a run past the end", (c) => ((c.ops as Uint32Array)[1] = op(RUN.STEP, 2 ** 30 - 1)), /^run 1: past the end/],
    ["runs short of the end", (c) => (c.length = 10), /^runs: 9 values, not 10/],
    ["a literal with too few values", (c) => (c.values = Float64Array.of(T, MINUTE)), /^values: 2, the runs take 3/],
    ["values left over", (c) => (c.values = Float64Array.of(T, MINUTE, 5, 6)), /^values: 4, the runs take 3/],
    ["deltas left over", (c) => (c.deltas = Int16Array.of(3, 4)), /^deltas: 2, the runs take 1/],
    ["no deltas for a decimal run", (c) => (c.deltas = new Int16Array(0)), /^deltas: 0, the runs take 1/],
  ];

  it("is taken when whole, and decodes to what its runs say", () => {
    expect(encodedColumnProblem(structuredClone(good()), 9)).toBeUndefined();
    const expected = Float64Array.of(T, T + MINUTE, T + 2 * MINUTE, T + 3 * MINUTE, 5, 5, 5, 5, 5.03);
    expect(decodeColumn(good())).toEqual(expected);
  });

  it.each(tampered)("is refused with %s, and not decoded", (_, tamper, problem) => {
    const column = structuredClone(good()) as unknown as Column;
    tamper(column);
    expect(encodedColumnProblem(column, 1000)).toMatch(problem);
    expect(() => decodeColumn(column as unknown as EncodedColumn)).toThrow(/^a malformed step column: /);
  });

  it("is refused when a few bytes claim more values than expected", () => {
    const bomb: EncodedColumn = {
      length: 2 ** 40,
      decimals: 0,
      ops: Uint32Array.of(
        op(RUN.LITERAL, 1),
        ...new Array(1024).fill(op(RUN.REPEAT, 2 ** 30 - 1)),
        op(RUN.REPEAT, 1023),
      ),
      values: Float64Array.of(1),
      deltas: new Int16Array(0),
    };
    // Whole as runs go: only the bound tells it from a real column.
    expect(encodedColumnProblem(bomb)).toBeUndefined();
    expect(encodedColumnProblem(bomb, 1000)).toBe("length: 1099511627776 values, more than the 1000 expected");
  });

  it("is refused when it is not an object", () => {
    for (const value of [undefined, null, 3, "ops"]) expect(encodedColumnProblem(value)).toBe("not an encoded column");
    expect(encodedColumnProblem(new Float64Array(3))).toBe("ops: not a Uint32Array");
  });
});

/** A small seeded generator (mulberry32): the same columns on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
