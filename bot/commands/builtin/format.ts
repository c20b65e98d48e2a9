import { formatNumber, formatSigned, type Language } from "../../i18n/index.ts";

// Small formatters the trading commands share; the catalogs' format.ts has the general ones.

/**
 * A percentage: `value` already in percent.
 * @example pct(12.345, "en") // "12.35%"
 */
export function pct(value: number, language: Language, digits = 2): string {
  return `${formatNumber(value, language, digits)}%`;
}

/**
 * A signed percentage, for returns: "+2.5%", "-1%".
 * @example signedPct(2.5, "en") // "+2.5%"
 */
export function signedPct(value: number, language: Language, digits = 2): string {
  return `${formatSigned(value, language, digits)}%`;
}

/**
 * An amount of money with its currency, two decimals at most.
 * @example money(10250.456, "USDT", "en") // "10,250.46 USDT"
 */
export function money(value: number, currency: string, language: Language): string {
  return `${formatNumber(value, language, 2)} ${currency}`;
}

/**
 * A price: more decimals for small prices, so 0.00001234 does not read as 0.
 * @example price(50123.456, "en") // "50,123.46"; price(0.00001234, "en") // "0.00001234"
 */
export function price(value: number, language: Language): string {
  const digits = Math.abs(value) >= 100 ? 2 : Math.abs(value) >= 1 ? 4 : 8;
  return formatNumber(value, language, digits);
}

/**
 * Month, day and UTC time: compact enough for a table column on a phone.
 * @example shortTime(Date.UTC(2024, 2, 5, 13, 7)) // "03-05 13:07"
 */
export function shortTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(5, 16).replace("T", " ");
}

/**
 * The UTC day.
 * @example day(Date.UTC(2024, 2, 5, 13)) // "2024-03-05"
 */
export function day(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
