// Reading back a column written by step-encoding.ts, and checking one that came from elsewhere (a
// backtest child, a stored row) before it is read: a column that passes decodes whole, without reading
// past any array, into exactly `length` values.

import { DECIMAL_SCALES, type EncodedColumn, KIND_BITS, RUN, rememberEncoding } from "./step-encoding.ts";

/**
 * What is wrong with an encoded column, or undefined: its arrays and their types, every run's kind and
 * count, the runs against the length and against the values and deltas they take. `maxLength` bounds
 * what the column may claim, since a few bytes of runs can stand for any number of values.
 * @example encodedColumnProblem(encodeColumn(new Float64Array(3))) // undefined
 */
export function encodedColumnProblem(value: unknown, maxLength = Number.MAX_SAFE_INTEGER): string | undefined {
  if (typeof value !== "object" || value === null) return "not an encoded column";
  const { length, decimals, ops, values, deltas } = value as Partial<EncodedColumn>;
  if (!(ops instanceof Uint32Array)) return "ops: not a Uint32Array";
  if (!(values instanceof Float64Array)) return "values: not a Float64Array";
  if (!(deltas instanceof Int16Array || deltas instanceof Int32Array)) return "deltas: not an Int16Array or Int32Array";
  if (!Number.isSafeInteger(length) || (length as number) < 0) return "length: not a count";
  if ((length as number) > maxLength) return `length: ${length} values, more than the ${maxLength} expected`;
  if (!Number.isInteger(decimals) || DECIMAL_SCALES[decimals as number] === undefined) return "decimals: out of range";
  let at = 0;
  let valuesTaken = 0;
  let deltasTaken = 0;
  for (let q = 0; q < ops.length; q++) {
    const op = ops[q] as number;
    const count = op >>> KIND_BITS;
    const kind = op & ((1 << KIND_BITS) - 1);
    if (count === 0) return `run ${q}: empty`;
    if (at === 0 && kind !== RUN.LITERAL) return `run ${q}: goes on from a value before the first`;
    at += count;
    if (at > (length as number)) return `run ${q}: past the end of the column`;
    if (kind === RUN.LITERAL) valuesTaken += count;
    else if (kind === RUN.STEP) valuesTaken += 1;
    else if (kind === RUN.DECIMAL) deltasTaken += count;
  }
  if (at !== length) return `runs: ${at} values, not ${length}`;
  if (valuesTaken !== values.length) return `values: ${values.length}, the runs take ${valuesTaken}`;
  if (deltasTaken !== deltas.length) return `deltas: ${deltas.length}, the runs take ${deltasTaken}`;
  return undefined;
}

/**
 * The column back, bit for bit as it was encoded. Throws on a column that encodedColumnProblem refuses
 * (check one from elsewhere first, to report its problem), unless `checked` says that it was checked
 * already and found whole. A few ms a million values. The column is remembered with its encoding, so
 * that encodeColumn gives that back instead of encoding it again (a child's run, then stored).
 * @example decodeColumn(encodeColumn(Float64Array.of(1, 1, 1, Number.NaN))) // Float64Array [1, 1, 1, NaN]
 */
export function decodeColumn(column: EncodedColumn, checked = false): Float64Array {
  const problem = checked ? undefined : encodedColumnProblem(column);
  if (problem) throw new Error(`a malformed step column: ${problem}`);
  const { ops, values, deltas } = column;
  const scale = DECIMAL_SCALES[column.decimals] as number;
  const out = new Float64Array(column.length);
  // Literals and NaN repeats are copied as bits: a NaN read into a number may lose its payload.
  const outBits = new Uint32Array(out.buffer);
  const valueBits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let i = 0;
  let v = 0;
  let d = 0;
  // Like the encoder, this runs mostly before the JIT has optimised it: long runs go to the typed
  // arrays' own copy and fill, and each loop over values is a small function of its own.
  for (let q = 0; q < ops.length; q++) {
    const op = ops[q] as number;
    const end = i + (op >>> KIND_BITS);
    const kind = op & ((1 << KIND_BITS) - 1);
    if (kind === RUN.LITERAL) {
      if (end - i > 8) out.set(values.subarray(v, v + end - i), i);
      else for (let b = 2 * v, w = 2 * i; w < 2 * end; b++, w++) outBits[w] = valueBits[b] as number;
      v += end - i;
    } else if (kind === RUN.REPEAT) {
      repeat(out, outBits, i, end);
    } else if (kind === RUN.STEP) {
      step(out, i, end, values[v++] as number);
    } else {
      decimal(out, i, end, scale, deltas, d);
      d += end - i;
    }
    i = end;
  }
  rememberEncoding(out, column);
  return out;
}

function repeat(out: Float64Array, outBits: Uint32Array, i: number, end: number): void {
  const previous = out[i - 1] as number;
  if (!Number.isNaN(previous) && end - i > 16) {
    out.fill(previous, i, end);
  } else {
    const low = outBits[2 * i - 2] as number;
    const high = outBits[2 * i - 1] as number;
    for (let w = 2 * i; w < 2 * end; w += 2) {
      outBits[w] = low;
      outBits[w + 1] = high;
    }
  }
}

function step(out: Float64Array, i: number, end: number, by: number): void {
  let next = out[i - 1] as number;
  for (let j = i; j < end; j++) {
    next += by;
    out[j] = next;
  }
}

function decimal(
  out: Float64Array,
  i: number,
  end: number,
  scale: number,
  deltas: Int16Array | Int32Array,
  d: number,
): void {
  let k = Math.round((out[i - 1] as number) * scale);
  for (let j = i; j < end; j++) {
    k += deltas[d++] as number;
    out[j] = k / scale;
  }
}
