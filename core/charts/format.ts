// How numbers and times read on every chart: thousands separators, ASCII minus, UTC.

const DAY = 86_400_000;

// toLocaleString builds a formatter on every call; axis labels and cell values call this thousands of times.
const formatters = new Map<string, Intl.NumberFormat>();
function grouped(value: number, options: Intl.NumberFormatOptions): string {
  const key = JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat("en-US", options);
    formatters.set(key, f);
  }
  return f.format(value);
}

/**
 * A number with thousands separators and as many decimals as its size needs (axis ticks are round numbers,
 * so trailing digits only appear where they carry information); `digits` fixes the maximum.
 * @example formatNumber(19565.47) // "19,565.47"
 * @example formatNumber(0.000012345) // "0.00001235"
 * @example formatNumber(1234.5678, 0) // "1,235"
 */
export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  if (digits === undefined && abs > 0 && abs < 1) {
    return grouped(value, { maximumSignificantDigits: 4 });
  }
  const max = digits ?? (abs >= 1000 ? 2 : 4);
  const text = grouped(value, { maximumFractionDigits: max });
  return text === "-0" ? "0" : text;
}

/**
 * Money: thousands separators and always two decimals.
 * @example formatMoney(35933.5) // "35,933.50"
 */
export function formatMoney(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return grouped(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/**
 * A profit or loss with its sign: "+1,234.50", "-80.00" (always two decimals: money).
 * @example formatSigned(1234.5) // "+1,234.50"
 */
export function formatSigned(value: number): string {
  if (!Number.isFinite(value)) return "–";
  const text = formatMoney(Math.abs(value));
  if (text === "0.00") return text;
  return value > 0 ? `+${text}` : `-${text}`;
}

/**
 * Large quantities short, for volume axes: "950", "18.5K", "3.2M", "1.1B".
 * @example formatCompact(18_500) // "18.5K"
 */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  for (const [unit, size] of [
    ["B", 1e9],
    ["M", 1e6],
    ["K", 1e3],
  ] as const) {
    if (abs >= size) return `${formatNumber(value / size, 1)}${unit}`;
  }
  return formatNumber(value, 2);
}

/**
 * A percentage already in percent units, with a fixed number of decimals: formatPercent(-12.345) is "-12.3%".
 * @example formatPercent(4.56, 1, true) // "+4.6%"
 */
export function formatPercent(value: number, digits = 1, signed = false): string {
  if (!Number.isFinite(value)) return "–";
  const fixed = grouped(value, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const text = `${/^-0(\.0+)?$/.test(fixed) ? fixed.slice(1) : fixed}%`;
  return signed && value > 0 ? `+${text}` : text;
}

/**
 * Epoch ms as a UTC date, with the time of day when `withTime` ("2024-03-01" or "2024-03-01 13:00").
 * @example formatUtc(Date.UTC(2024, 2, 1, 13)) // "2024-03-01"
 * @example formatUtc(Date.UTC(2024, 2, 1, 13), true) // "2024-03-01 13:00"
 */
export function formatUtc(time: number, withTime = false): string {
  if (!Number.isFinite(time)) return "–";
  const iso = new Date(time).toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/**
 * Whether times spaced like these need the time of day on their labels: bars or points closer than a day.
 * @example isIntraday([t, t + 3_600_000]) // true
 */
export function isIntraday(times: readonly number[]): boolean {
  for (let i = 1; i < times.length; i++) {
    const step = (times[i] as number) - (times[i - 1] as number);
    if (step > 0 && step < DAY) return true;
  }
  return false;
}
