import semver from "semver";
import { z } from "zod";

// Every leaf schema here sets its own message, "expected <what>", for every way it can fail; the
// issue converter (zod-problems.ts) appends ", got <value>" because only it sees the raw input.

/** A zod `error` option whose message is always `expected <what>`. */
export function expected(what: string): { error: () => string } {
  return { error: () => `expected ${what}` };
}

/**
 * A map that accepts only the keys of `shape`: an unknown key is a typo until proven otherwise, and a
 * misspelt risk limit silently keeping its default is the worst kind of config bug.
 * @example strictMap({ fast: numberIn({ min: 1 }) }, "a map with fast")
 */
export function strictMap<T extends z.core.$ZodLooseShape>(shape: T, what: string) {
  return z.strictObject(shape, expected(what));
}

interface NumberRange {
  /** Whole numbers only. */
  readonly int?: boolean;
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Exclusive lower bound (allocation percentages must be above 0, not at it). */
  readonly above?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
}

/**
 * Words for a numeric range, as the message shows it.
 * @example describeRange({ int: true, min: 1, max: 500 }) // "an integer from 1 to 500"
 * @example describeRange({ above: 0 }) // "a number greater than 0"
 */
export function describeRange(range: NumberRange): string {
  const noun = range.int ? "an integer" : "a number";
  const { min, above, max } = range;
  if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
  if (above !== undefined && max !== undefined) return `${noun} greater than ${above} and at most ${max}`;
  if (above !== undefined) return `${noun} greater than ${above}`;
  if (min !== undefined) return `${noun} of at least ${min}`;
  if (max !== undefined) return `${noun} of at most ${max}`;
  return noun;
}

/**
 * A finite number within a range; one message covers the wrong type and the out-of-range value.
 * @example numberIn({ int: true, min: 1, max: 500 }) // fails "ten" with "expected an integer from 1 to 500"
 */
export function numberIn(range: NumberRange): z.ZodNumber {
  const message = expected(describeRange(range));
  let schema = z.number(message);
  if (range.int) schema = schema.int(message);
  if (range.min !== undefined) schema = schema.min(range.min, message);
  if (range.above !== undefined) schema = schema.gt(range.above, message);
  if (range.max !== undefined) schema = schema.max(range.max, message);
  return schema;
}

/** A percentage, 0 to 100 inclusive. @example percent().parse(12.5) */
export const percent = (): z.ZodNumber => numberIn({ min: 0, max: 100 });

/** A positive whole number, for counts and periods. @example positiveInt().parse(14) */
export const positiveInt = (): z.ZodNumber => numberIn({ int: true, min: 1 });

/** `true` or `false`; YAML 1.2 reads `yes`/`no` as strings, which this rejects with a clear message. */
export const bool = (): z.ZodBoolean => z.boolean(expected("true or false"));

/**
 * One of a fixed set of strings; the converter suggests the closest value on a typo.
 * @example oneOf(["paper", "live"]) // fails "papr" with 'expected one of paper, live' (did you mean "paper"?)
 */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, expected(`one of ${values.join(", ")}`));
}

/** A string matching `pattern`, described by `what` in messages. */
export function matching(pattern: RegExp, what: string): z.ZodString {
  const message = expected(what);
  return z.string(message).regex(pattern, message);
}

const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const SLUG_WORDS = 'an id of lowercase letters, digits, "-" and "_" (at most 64)';

/** An id: `main`, `btc-sma-1h`. Safe in file names, URLs and chat commands. */
export const slug = (): z.ZodString => matching(SLUG, SLUG_WORDS);

/** True when `value` is an id as `slug()` accepts it. @example isSlug("sma-cross") // true */
export function isSlug(value: string): boolean {
  return SLUG.test(value);
}

/**
 * A unified ccxt symbol: `BTC/USDT`, or `BTC/USDT:USDT` for a linear perpetual.
 * @example symbol().parse("ETH/USDT")
 */
export const symbol = (): z.ZodString =>
  matching(/^[A-Z0-9][A-Z0-9.]*\/[A-Z0-9][A-Z0-9.]*(:[A-Z0-9][A-Z0-9.-]*)?$/, 'a unified symbol like "BTC/USDT"');

/** A currency code as ccxt spells it: `USDT`, `BTC`, `1INCH`. */
export const currency = (): z.ZodString =>
  matching(/^[A-Z0-9][A-Z0-9.]{0,15}$/, 'a currency code in capitals like "USDT"');

/**
 * A non-empty semver range as npm reads it: `^1.2.0`, `~1.2`, `>=1 <2`, `*`. A bare YAML number
 * like `1.2` is a number, not a range, and is rejected: quote it.
 */
export const semverRange = (): z.ZodType<string> => {
  const message = expected('a semver range like "^1.2.0" or "*"');
  return z.string(message).refine((value) => value.trim() !== "" && semver.validRange(value) !== null, message);
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date-time that names a real instant: `2024-01-01`, `2024-01-01T00:00:00Z`. */
export const isoDate = (): z.ZodType<string> => {
  const message = expected('an ISO date like "2024-01-01" or "2024-01-01T00:00:00Z"');
  return z
    .string(message)
    .refine((value) => ISO_DATE.test(value) && isCalendarDate(value) && !Number.isNaN(Date.parse(value)), message);
};

/** V8's Date.parse rolls "2024-02-30" over to March 1st; a config date must exist as written. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
