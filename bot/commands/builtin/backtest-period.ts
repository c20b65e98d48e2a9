/** What a /backtest period means: the last span of the stored data, a date range, or all of it. */
export type BacktestPeriod =
  | { readonly kind: "span"; readonly ms: number }
  | { readonly kind: "range"; readonly from?: number; readonly to?: number }
  | { readonly kind: "all" };

const DAY = 86_400_000;
const UNIT: Readonly<Record<string, number>> = { d: DAY, w: 7 * DAY, m: 30 * DAY, y: 365 * DAY };
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads a period as chat users type it: "30d", "12w", "6m", "1y" (the last of the stored data), "all",
 * or "2024-01-01..2024-03-31" (UTC days, both included; either side may be left open). Undefined when
 * it is none of those.
 * @example parsePeriod("90d") // { kind: "span", ms: 7_776_000_000 }; parsePeriod("2024-01-01..") // { kind: "range", from: 1704067200000 }
 */
export function parsePeriod(text: string): BacktestPeriod | undefined {
  const word = text.trim().toLowerCase();
  if (word === "all") return { kind: "all" };
  const span = /^(\d{1,4})([dwmy])$/.exec(word);
  if (span) {
    const ms = Number(span[1]) * (UNIT[span[2] as string] as number);
    return ms > 0 ? { kind: "span", ms } : undefined;
  }
  const range = /^(\d{4}-\d{2}-\d{2})?\.\.(\d{4}-\d{2}-\d{2})?$/.exec(word);
  if (!range || (range[1] === undefined && range[2] === undefined)) return undefined;
  const from = range[1] === undefined ? undefined : dayStart(range[1]);
  const last = range[2] === undefined ? undefined : dayStart(range[2]);
  if (from === null || last === null) return undefined;
  const to = last === undefined ? undefined : last + DAY;
  if (from !== undefined && to !== undefined && from >= to) return undefined;
  return { kind: "range", ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
}

/** 00:00 UTC of a YYYY-MM-DD day; null for a day that does not exist (2024-02-30). */
function dayStart(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const time = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(time).toISOString().slice(0, 10) === text ? time : null;
}
