// Numbers as reason texts show them. Reasons reach chat and the audit trail, so they read like a
// trader wrote them: no float noise, no exponent notation, percentages without trailing zeros.

/**
 * At most 6 significant digits, no trailing zeros, no exponent.
 * @example fmt(0.023100000001) // "0.0231"
 * @example fmt(27123.456789) // "27123.5"
 * @example fmt(0.00000012) // "0.00000012"
 */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(6));
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
  return `${fmt(Number(value.toFixed(2)))}%`;
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
  return symbol.split("/")[0] ?? symbol;
}

/**
 * Quote currency of a ccxt unified symbol (the settle suffix of derivatives dropped).
 * @example quoteOf("ETH/USDT:USDT") // "USDT"
 */
export function quoteOf(symbol: string): string {
  return symbol.split("/")[1]?.split(":")[0] ?? "";
}

/**
 * An amount with its currency.
 * @example money(0.0231, "BTC") // "0.0231 BTC"
 */
export function money(value: number, currency: string): string {
  return currency ? `${fmt(value)} ${currency}` : fmt(value);
}
