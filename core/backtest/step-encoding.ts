// A run's per-step columns (time, equity, cash, close) are very regular: time moves by one timeframe,
// cash and a flat account's equity repeat the step before, prices have a few decimals and move a little.
// This codec writes a Float64 column as runs of four kinds, exact to the bit (NaN payloads and -0
// included), for the stored form (compact.ts) and the backtest child's IPC (wire.ts); step-decoding.ts
// reads it back. A run never guesses: the encoder keeps a value in a run only after computing it the
// way the decoder will and finding the same bits, so whatever it wrote decodes to what it was given.

/**
 * A Float64 column as runs. Each entry of `ops` is one run: its kind in the low two bits (RUN), its
 * count (at least 1) above them. A literal run takes its values from `values`, a step run its step
 * from `values`, a decimal run its deltas from `deltas`, each in run order.
 */
export interface EncodedColumn {
  /** How many values the column holds. */
  readonly length: number;
  /** The decimal runs' scale: values are integers over 10 ** decimals (DECIMAL_SCALES[decimals]). */
  readonly decimals: number;
  readonly ops: Uint32Array;
  readonly values: Float64Array;
  /** Int16 when most of the column's moves fit one (prices a minute apart), else Int32 (an hour or a day apart). */
  readonly deltas: Int16Array | Int32Array;
}

/** The kinds of run. Every kind but LITERAL goes on from the value before it, so none of them comes first. */
export const RUN = {
  /** `count` values, as they are, from `values`. */
  LITERAL: 0,
  /** The value before, `count` times (bit for bit: NaN payloads too). */
  REPEAT: 1,
  /** Each value is the one before plus one step, the next entry of `values`. */
  STEP: 2,
  /** k = round(value before × scale), then each value is (k += delta) / scale, a delta from `deltas`. */
  DECIMAL: 3,
} as const;

/** Bits of an op below its count. */
export const KIND_BITS = 2;
/** The longest run one op holds: a run stops there, and the next one starts afresh. */
const MAX_RUN = 0xffffffff >>> KIND_BITS;

/** 10 ** decimals, written out: a literal is exact on every engine, a computed power need not be. */
export const DECIMAL_SCALES = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12] as const;

/** A repeat this long inside a decimal run is cheaper as its own run (4 bytes, against 2 a value). */
const REPEAT_IN_DECIMAL = 4;
/** A step run costs 12 bytes: from 3 values on it beats literals (8 bytes each). */
const MIN_STEP = 3;
/** Inside a decimal run, a step run costs 16 bytes (the run, and a decimal run after it): from 8 values on it pays. */
const STEP_IN_DECIMAL = 8;
/** Values sampled to choose the decimals and whether literal runs look out for steps. */
const SAMPLE = 512;
/** The share of the sample that must fit the decimals. */
const DECIMAL_FIT = 0.5;
/** The share of the sample that must go on a step for literal runs to look out for one at every value. */
const STEP_FIT = 0.125;

// The encoder runs once in a fresh process (a backtest child's result), mostly before the JIT has
// optimised it: each loop over values is a small function of its own, doing no more than its column
// needs (no decimal test without decimals, no step test in literals of a column with no steps).

/**
 * Columns decoded (decodeColumn) with the encoding they came from, which encodes them exactly: a run a
 * backtest child sent is stored without being encoded again. A run's columns are never written once made.
 */
const ENCODED = new WeakMap<Float64Array, EncodedColumn>();

/** Remembers `encoded` as the encoding of `column` (see ENCODED). */
export function rememberEncoding(column: Float64Array, encoded: EncodedColumn): void {
  ENCODED.set(column, encoded);
}

/**
 * A column as runs (decoded exactly by decodeColumn). A few ms a million values; nothing for a column
 * that was decoded from runs.
 * @example encodeColumn(Float64Array.of(60_000, 120_000, 180_000, 240_000)).ops.length // 2: a literal, then steps
 */
export function encodeColumn(column: Float64Array): EncodedColumn {
  return ENCODED.get(column) ?? encodeRuns(column);
}

function encodeRuns(column: Float64Array): EncodedColumn {
  const n = column.length;
  const bits = new Uint32Array(column.buffer, column.byteOffset, n * 2);
  const decimals = decimalsOf(column);
  // 0: no decimal runs.
  const scale = decimals === undefined ? 0 : (DECIMAL_SCALES[decimals] as number);
  const stepsInLiterals = stepsAreCommon(column);
  // Sized for the worst case (every run holds a value at least); pages never written cost nothing.
  const ops = new Uint32Array(n);
  const deltas = scale !== 0 && movesAreNarrow(column, scale) ? new Int16Array(n) : new Int32Array(scale === 0 ? 0 : n);
  // The widest delta the array holds (the narrowest is one more, negated).
  const limit = deltas instanceof Int16Array ? 0x7fff : 0x7fffffff;
  let opCount = 0;
  let deltaCount = 0;
  let i = 0;
  while (i < n) {
    const stop = Math.min(n, i + MAX_RUN);
    let kind: number = RUN.LITERAL;
    let end = i;
    if (i > 0) {
      // A repeat where a run starts is a run of its own (a short one inside a decimal run is not: see decimalEnd).
      end = repeatEnd(bits, i, stop);
      if (end > i) kind = RUN.REPEAT;
      else end = stepEnd(column, i, stop);
      if (kind === RUN.LITERAL && end - i >= MIN_STEP) kind = RUN.STEP;
      else if (kind === RUN.LITERAL && scale !== 0) {
        end = decimalEnd(column, bits, i, stop, scale, limit, deltas, deltaCount);
        if (end > i) kind = RUN.DECIMAL;
        deltaCount += end - i;
      }
      if (kind === RUN.LITERAL) end = i;
    }
    if (end === i) end = literalEnd(column, bits, i, stop, scale, limit, stepsInLiterals);
    ops[opCount++] = (end - i) * 2 ** KIND_BITS + kind;
    i = end;
  }
  return {
    length: n,
    decimals: decimals ?? 0,
    // Copies, not views: a clone or a base64 of a view would carry the whole worst-case buffer.
    ops: ops.slice(0, opCount),
    values: valuesOf(column, bits, ops, opCount),
    deltas: deltas.slice(0, deltaCount),
  };
}

/** Where the run of values with the bits of value i - 1 ends. */
function repeatEnd(bits: Uint32Array, i: number, n: number): number {
  let j = i;
  while (j < n && bits[2 * j] === bits[2 * j - 2] && bits[2 * j + 1] === bits[2 * j - 1]) j++;
  return j;
}

/**
 * Where the run from `i` (up to `end`) of values that are the one before plus the step from value
 * i - 1 to `i` ends, computed as the decoder will. A NaN never goes on a step (NaN !== NaN), a zero
 * only with its own sign.
 */
function stepEnd(column: Float64Array, i: number, end: number): number {
  let previous = column[i - 1] as number;
  const step = (column[i] as number) - previous;
  let j = i;
  for (; j < end; j++) {
    const next = previous + step;
    const value = column[j] as number;
    if (next !== value || (next === 0 && 1 / next !== 1 / value)) break;
    previous = next;
  }
  return j;
}

/** Whether value `i` can be the first of a decimal run going on from value i - 1. */
function fitsDecimal(column: Float64Array, i: number, scale: number, limit: number): boolean {
  const k = Math.round((column[i - 1] as number) * scale);
  const value = column[i] as number;
  const delta = Math.round(value * scale) - k;
  if (!(delta >= -limit - 1 && delta <= limit)) return false;
  const decoded = (k + delta) / scale;
  return decoded === value && (decoded !== 0 || 1 / decoded === 1 / value);
}

/**
 * Where the decimal run from `i` (up to `stop`) ends (at `i`: value `i` does not fit one), its deltas
 * written from `at`. The run stops short of a repeat or a step run long enough to be a run of its own.
 */
function decimalEnd(
  column: Float64Array,
  bits: Uint32Array,
  i: number,
  stop: number,
  scale: number,
  limit: number,
  deltas: Int16Array | Int32Array,
  at: number,
): number {
  const n = column.length;
  let k = Math.round((column[i - 1] as number) * scale);
  // How many values before j moved by the same delta as value j - 1, which a step run might hold.
  let previous = 0;
  let same = 0;
  let j = i;
  for (; j < stop; j++) {
    const value = column[j] as number;
    const delta = Math.round(value * scale) - k;
    if (!(delta >= -limit - 1 && delta <= limit)) break;
    const decoded = (k + delta) / scale;
    if (decoded !== value || (decoded === 0 && 1 / decoded !== 1 / value)) break;
    // No move: a repeat long enough to be a run of its own?
    if (delta === 0 && j > i && repeatEnd(bits, j, n) - j >= REPEAT_IN_DECIMAL) break;
    same = delta === previous && delta !== 0 ? same + 1 : 1;
    // The same move STEP_IN_DECIMAL times: from where it started, a step run of its own? Then the run ends there.
    if (same === STEP_IN_DECIMAL && stepEnd(column, j + 1 - same, n) - j - 1 + same >= STEP_IN_DECIMAL) {
      j += 1 - same;
      at += 1 - same;
      break;
    }
    deltas[at++] = delta;
    k += delta;
    previous = delta;
  }
  return j;
}

/**
 * Where the literal run from `i` (up to `stop`) ends: at the first value from which a run of another
 * kind can start.
 */
function literalEnd(
  column: Float64Array,
  bits: Uint32Array,
  i: number,
  stop: number,
  scale: number,
  limit: number,
  steps: boolean,
): number {
  const n = column.length;
  let j = i + 1;
  for (; j < stop; j++) {
    if (bits[2 * j] === bits[2 * j - 2] && bits[2 * j + 1] === bits[2 * j - 1]) break;
    if (steps && j + MIN_STEP <= n && stepEnd(column, j, j + MIN_STEP) === j + MIN_STEP) break;
    if (scale !== 0 && fitsDecimal(column, j, scale, limit)) break;
  }
  return j;
}

/** The literals and steps the runs take, in run order, in an array of their exact size. */
function valuesOf(column: Float64Array, bits: Uint32Array, ops: Uint32Array, opCount: number): Float64Array {
  let count = 0;
  for (let q = 0; q < opCount; q++) {
    const op = ops[q] as number;
    const kind = op & 3;
    if (kind === RUN.LITERAL) count += op >>> KIND_BITS;
    else if (kind === RUN.STEP) count++;
  }
  const values = new Float64Array(count);
  const valueBits = new Uint32Array(values.buffer);
  let at = 0;
  let v = 0;
  for (let q = 0; q < opCount; q++) {
    const op = ops[q] as number;
    const length = op >>> KIND_BITS;
    const kind = op & 3;
    if (kind === RUN.LITERAL) {
      // As bytes, so that a NaN keeps its payload: a long run in one copy, a short one (cheaper than
      // the view a copy needs) value by value.
      if (length > 8) values.set(column.subarray(at, at + length), v);
      else for (let b = 2 * at, e = 2 * (at + length), w = 2 * v; b < e; b++, w++) valueBits[w] = bits[b] as number;
      v += length;
    } else if (kind === RUN.STEP) {
      // The step the run was found with: from the value before it to its first.
      values[v++] = (column[at] as number) - (column[at - 1] as number);
    }
    at += length;
  }
  return values;
}

/**
 * The fewest decimals that most of a sample of the column's values are written with (prices in cents:
 * 2), or undefined when no count fits most of them: such a column has no decimal runs.
 */
function decimalsOf(column: Float64Array): number | undefined {
  const stride = Math.max(1, Math.floor(column.length / SAMPLE));
  let seen = 0;
  for (let i = 0; i < column.length; i += stride) if (Number.isFinite(column[i])) seen++;
  const needed = Math.max(1, Math.ceil(seen * DECIMAL_FIT));
  for (let decimals = 0; decimals < DECIMAL_SCALES.length; decimals++) {
    const scale = DECIMAL_SCALES[decimals] as number;
    let fits = 0;
    let misses = 0;
    // Given up on as soon as too many values miss: a column of any decimals (equity) misses at every count.
    for (let i = 0; i < column.length && fits < needed && misses <= seen - needed; i += stride) {
      const value = column[i] as number;
      if (!Number.isFinite(value)) continue;
      const k = Math.round(value * scale);
      if (Number.isSafeInteger(k) && k / scale === value) fits++;
      else misses++;
    }
    if (fits >= needed) return decimals;
  }
  return undefined;
}

/**
 * Whether the moves of a sample of the column, in units of 1 / scale, fit an Int16 often enough for
 * it to pay: a delta costs 2 bytes instead of 4, a move that does not fit costs a literal (8 bytes and
 * two runs, 16 in all). Closes a minute apart mostly fit; an hour or a day apart, often not.
 */
function movesAreNarrow(column: Float64Array, scale: number): boolean {
  const stride = Math.max(1, Math.floor(column.length / SAMPLE));
  let moves = 0;
  let narrow = 0;
  for (let i = 1; i < column.length; i += stride) {
    const delta = Math.round((column[i] as number) * scale) - Math.round((column[i - 1] as number) * scale);
    if (delta === 0 || !Number.isSafeInteger(delta)) continue;
    moves++;
    if (delta >= -0x8000 && delta <= 0x7fff) narrow++;
  }
  return 2 * narrow + 16 * (moves - narrow) <= 4 * moves;
}

/** Whether a sample of the column's values often goes on a step (times do; prices and equity do not). */
function stepsAreCommon(column: Float64Array): boolean {
  const stride = Math.max(1, Math.floor(column.length / SAMPLE));
  let steps = 0;
  let seen = 0;
  for (let i = 2; i < column.length; i += stride) {
    seen++;
    if (column[i] !== column[i - 1] && stepEnd(column, i - 1, i + 1) === i + 1) steps++;
  }
  return seen > 0 && steps >= seen * STEP_FIT;
}
