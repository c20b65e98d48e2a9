import type { Language } from "./language.ts";

const LOCALES: Readonly<Record<Language, string>> = { en: "en-US", ko: "ko-KR" };

/**
 * A number for chat: grouped thousands, at most `maxFractionDigits` decimals (8 by default, enough for
 * crypto amounts), no trailing zeros.
 * @example formatNumber(1234.5, "en") // "1,234.5"; formatNumber(0.00012345, "en") // "0.00012345"
 */
export function formatNumber(value: number, language: Language, maxFractionDigits = 8): string {
  if (!Number.isFinite(value)) return String(value);
  return new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: maxFractionDigits }).format(value);
}

/**
 * A signed amount, for PnL: "+12.5", "-3", "0".
 * @example formatSigned(12.5, "en", 2) // "+12.5"
 */
export function formatSigned(value: number, language: Language, maxFractionDigits = 2): string {
  const text = formatNumber(value, language, maxFractionDigits);
  return value > 0 ? `+${text}` : text;
}

/**
 * An instant in UTC, minute precision: chat readers are in many time zones and the logs are in UTC.
 * @example formatTime(Date.UTC(2024, 0, 2, 3, 4)) // "2024-01-02 03:04 UTC"
 */
export function formatTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
