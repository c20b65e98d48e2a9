/** One step into a parsed document: a map key or a list index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A path as a reader writes it: list indices in brackets, plain keys after dots, other keys quoted.
 * @example formatPath(["strategies", 2, "params", "fast"]) // "strategies[2].params.fast"
 * @example formatPath(["accounts", 0, "balances", "1INCH"]) // 'accounts[0].balances["1INCH"]'
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * What a value is, for "got ..." in a message: strings quoted (and shortened), lists and maps named
 * rather than dumped, since a dump of a large map helps nobody.
 * @example describeValue("ten") // '"ten"'
 * @example describeValue(null) // "an empty value"
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") {
    const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(short);
  }
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a map";
  return String(value);
}

/**
 * The value at `path` inside plain data, and whether the last key is there at all (a key present
 * with an empty value differs from a missing key).
 * @example valueAt({ a: [1, 2] }, ["a", 1]) // { found: true, value: 2 }
 */
export function valueAt(root: unknown, path: readonly PathSegment[]): { found: boolean; value: unknown } {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return { found: false, value: undefined };
    if (!Object.hasOwn(current, segment)) return { found: false, value: undefined };
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return { found: true, value: current };
}
