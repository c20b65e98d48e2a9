// Numbers as reason texts show them. Reasons reach chat and the audit trail, so they read like a
// trader wrote them: no float noise, no exponent notation, percentages without trailing zeros.

/**
 * At most 6 significant digits, no trailing zeros, no exponent.
 * @example fmt(0.023100000001) // "0.0231"
 * @example fmt(27123.456789) // "27123.5"
 * @example fmt(0.00000012) // "0.00000012"
 */
export function fmt(value: number): string {
  // Every verdict formats a few dozen numbers, so the common cases skip the round trip through Number:
  // a whole number below a million has at most 6 digits already, and a fixed-notation toPrecision(6)
  // with its trailing zeros cut is exactly what String(Number(...)) would print (a decimal of at most
  // 6 significant digits is the shortest text of its own double).
  if (Number.isInteger(value) && value < 1e6 && value > -1e6) return value === 0 ? "0" : String(value);
  if (!Number.isFinite(value)) return String(value);
  const fixed = value.toPrecision(6);
  if (!fixed.includes("e")) return trimZeros(fixed);
  const rounded = Number(fixed);
  // String() switches to exponent form below 1e-6; write those out with just their 6 digits.
  if (rounded !== 0 && Math.abs(rounded) < 1e-6) {
    const digits = Math.min(100, 5 - Math.floor(Math.log10(Math.abs(rounded))));
    return rounded.toFixed(digits).replace(/\.?0+$/, "");
  }
  return String(rounded === 0 ? 0 : rounded);
}

/**
 * A percentage with at most two decimals.
 * @example pct(14.2345) // "14.23%"
 * @example pct(10) // "10%"
 */
export function pct(value: number): string {
  // Below 10 000, two decimals are at most 6 significant digits: fmt would give them back unchanged.
  if (value < 1e4 && value > -1e4) {
    const text = trimZeros(value.toFixed(2));
    return `${text === "-0" ? "0" : text}%`;
  }
  return `${fmt(Number(value.toFixed(2)))}%`;
}

/** "12.500" -> "12.5", "100.00" -> "100"; text without a decimal point is left alone. */
function trimZeros(text: string): string {
  if (!text.includes(".")) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}

/**
 * A duration in whole minutes, rounded up so "0 min" never means "still locked".
 * @example minutes(90_001) // "2 min"
 */
export function minutes(ms: number): string {
  return `${Math.ceil(ms / 60_000)} min`;
}

/**
 * Base currency of a ccxt unified symbol.
 * @example baseOf("BTC/USDT") // "BTC"
 * @example baseOf("ETH/USDT:USDT") // "ETH"
 */
export function baseOf(symbol: string): string {
  const slash = symbol.indexOf("/");
  return slash < 0 ? symbol : symbol.slice(0, slash);
}

/**
 * Quote currency of a ccxt unified symbol (the settle suffix of derivatives dropped).
 * @example quoteOf("ETH/USDT:USDT") // "USDT"
 */
export function quoteOf(symbol: string): string {
  // What split("/")[1] then split(":")[0] would give, without the arrays: every verdict asks twice.
  const slash = symbol.indexOf("/");
  if (slash < 0) return "";
  const next = symbol.indexOf("/", slash + 1);
  const pair = next < 0 ? symbol.slice(slash + 1) : symbol.slice(slash + 1, next);
  const colon = pair.indexOf(":");
  return colon < 0 ? pair : pair.slice(0, colon);
}

/**
 * An amount with its currency.
 * @example money(0.0231, "BTC") // "0.0231 BTC"
 */
export function money(value: number, currency: string): string {
  return currency ? `${fmt(value)} ${currency}` : fmt(value);
}
