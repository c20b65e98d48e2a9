// String and number columns for the backtest child's IPC (wire.ts): what crosses a structured clone at
// the speed of a copy, and the checks that a column from a child is whole before it is read.

/**
 * Strings that are mostly distinct (order and fill ids), where a Dictionary would hold every one anyway:
 * one string holding them all, and where each ends. The clone copies it in one piece; the parent cuts
 * it with slice (a view of the text, not a copy, for ids of 13 characters and more).
 */
export interface Joined {
  readonly text: string;
  readonly ends: Uint32Array;
}

/** Strings with a few distinct values (symbols, sides, reasons): each value once, an index per entry. */
export interface Dictionary {
  readonly values: readonly string[];
  readonly index: Uint32Array;
}

/** The index of an entry without a value, in a Dictionary that allows one. */
export const NONE = 0xffffffff;

/** Builds a Joined column, entry by entry in order. */
export class JoinedWriter {
  private readonly parts: string[] = [];
  private readonly ends: Uint32Array;
  private length = 0;

  constructor(entries: number) {
    this.ends = new Uint32Array(entries);
  }

  add(i: number, value: string): void {
    this.parts.push(value);
    this.length += value.length;
    this.ends[i] = this.length;
  }

  done(): Joined {
    // One flat string, copied as it is by the serializer (a += rope would be flattened there instead:
    // measured, the two cost about the same, 5 to 10 ms for a run's 40 000 ids).
    return { text: this.parts.join(""), ends: this.ends };
  }
}

/** Builds a Dictionary column; entries not given are NONE. */
export class DictionaryWriter {
  private readonly known = new Map<string, number>();
  private readonly values: string[] = [];
  private readonly index: Uint32Array;

  constructor(entries: number) {
    this.index = new Uint32Array(entries).fill(NONE);
  }

  /** The value added last and its index: a run's fills mostly repeat it (the same string, not just equal). */
  private last: string | undefined;
  private lastIndex = 0;

  add(i: number, value: string): void {
    if (value !== this.last) {
      let k = this.known.get(value);
      if (k === undefined) {
        k = this.values.length;
        this.values.push(value);
        this.known.set(value, k);
      }
      this.last = value;
      this.lastIndex = k;
    }
    this.index[i] = this.lastIndex;
  }

  done(): Dictionary {
    return { values: this.values, index: this.index };
  }
}

/**
 * What is wrong with a Joined column of `n` entries, or undefined.
 * @example joinedProblem({ text: "ab", ends: Uint32Array.of(1, 2) }, 2) // undefined
 */
export function joinedProblem(value: unknown, n: number): string | undefined {
  if (typeof value !== "object" || value === null) return "missing";
  const { text, ends } = value as Partial<Joined>;
  if (typeof text !== "string" || !(ends instanceof Uint32Array) || ends.length !== n) return "malformed";
  let at = 0;
  for (let i = 0; i < n; i++) {
    const end = ends[i] as number;
    if (end < at) return "cut out of order";
    at = end;
  }
  return at === text.length ? undefined : "cuts do not match the text";
}

/**
 * What is wrong with a Dictionary column of `n` entries (NONE allowed with `optional`), or undefined.
 * @example dictionaryProblem({ values: ["buy"], index: Uint32Array.of(0, 0) }, 2, false) // undefined
 */
export function dictionaryProblem(value: unknown, n: number, optional: boolean): string | undefined {
  if (typeof value !== "object" || value === null) return "missing";
  const { values, index } = value as Partial<Dictionary>;
  if (!Array.isArray(values) || !(index instanceof Uint32Array) || index.length !== n) return "malformed";
  for (let k = 0; k < values.length; k++) if (typeof values[k] !== "string") return "a value is not a string";
  for (let i = 0; i < n; i++) {
    const k = index[i] as number;
    if (k >= values.length && !(optional && k === NONE)) return "an index out of range";
  }
  return undefined;
}

/**
 * What is wrong with a number column of `n` entries, or undefined.
 * @example numbersProblem(new Float64Array(3), 3) // undefined
 */
export function numbersProblem(value: unknown, n: number): string | undefined {
  if (!(value instanceof Float64Array)) return "not a Float64Array";
  return value.length === n ? undefined : "of the wrong length";
}
