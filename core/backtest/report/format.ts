// Number formatting for reports a person reads: fixed decimals, thousands separators, compact durations.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What an undefined metric reads as. */
export const NOT_AVAILABLE = "n/a";

/**
 * A fraction as a percentage; `signed` puts "+" before gains (for returns).
 * @example formatPct(0.12345) // "12.35%"
 * @example formatPct(0.05, { signed: true }) // "+5.00%"
 */
export function formatPct(
  value: number | null | undefined,
  options: { signed?: boolean; decimals?: number } = {},
): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NOT_AVAILABLE;
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  const text = `${grouped(value * 100, options.decimals ?? 2)}%`;
  return options.signed && value > 0 ? `+${text}` : text;
}

/**
 * Money in the quote currency: two decimals and thousands separators.
 * @example formatMoney(12345.678) // "12,345.68"
 */
export function formatMoney(value: number | null | undefined, options: { signed?: boolean } = {}): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NOT_AVAILABLE;
  const text = grouped(value, 2);
  return options.signed && value > 0 ? `+${text}` : text;
}

/**
 * A ratio (Sharpe, profit factor): two decimals; Infinity reads "∞".
 * @example formatRatio(1.2345) // "1.23"
 * @example formatRatio(Infinity) // "∞"
 */
export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NOT_AVAILABLE;
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  return grouped(value, 2);
}

/**
 * A count with thousands separators. @example formatCount(8784) // "8,784"
 */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/**
 * A duration in its two largest units: days and hours, hours and minutes, or minutes and seconds.
 * @example formatDuration(3 * 86_400_000 + 4 * 3_600_000) // "3d 4h"
 * @example formatDuration(90 * 60_000) // "1h 30m"
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NOT_AVAILABLE;
  if (ms <= 0) return "0m";
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small > 0 ? `${big}${bigUnit} ${small}${smallUnit}` : `${big}${bigUnit}`;
  if (ms >= DAY) return pair(Math.floor(ms / DAY), "d", Math.floor((ms % DAY) / HOUR), "h");
  if (ms >= HOUR) return pair(Math.floor(ms / HOUR), "h", Math.floor((ms % HOUR) / MINUTE), "m");
  if (ms >= MINUTE) return pair(Math.floor(ms / MINUTE), "m", Math.floor((ms % MINUTE) / 1000), "s");
  return `${Math.round(ms / 1000)}s`;
}

/**
 * A UTC time to the minute. @example formatTime(Date.UTC(2024, 0, 1)) // "2024-01-01 00:00"
 */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * A price or quantity: up to 8 significant digits, thousands separators, no trailing zeros.
 * @example formatQuantity(0.00012345678) // "0.00012346"
 * @example formatQuantity(42123.5) // "42,123.5"
 */
export function formatQuantity(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const decimals = abs >= 1 ? Math.max(0, 8 - Math.floor(Math.log10(abs)) - 1) : 8;
  return value.toLocaleString("en-US", { maximumFractionDigits: Math.min(decimals, 8) });
}

function grouped(value: number, decimals: number): string {
  // -0.001 rounded to two decimals is "-0.00": a sign on nothing only confuses.
  const rounded = Number(value.toFixed(decimals));
  return (rounded === 0 ? 0 : rounded).toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}
