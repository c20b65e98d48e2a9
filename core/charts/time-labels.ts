// Time labels at round UTC moments (midnight, the first of a month, ...), for category axes of bars, where
// ECharts would otherwise label every n-th bar at whatever odd time it happens to start.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A way of cutting time into periods: the period a time falls in, and when that period starts. */
interface Period {
  readonly key: (t: number) => number;
  readonly start: (key: number) => number;
  readonly label: (start: number) => string;
}

const iso = (t: number) => new Date(t).toISOString();
const dateLabel = (t: number) => iso(t).slice(0, 10);
/** Midnight shows the date, any other hour the time: "2024-03-01", "06:00", "12:00", "2024-03-02". */
const hourLabel = (t: number) => (t % DAY === 0 ? dateLabel(t) : iso(t).slice(11, 16));

function fixed(step: number): Period {
  return { key: (t) => Math.floor(t / step), start: (k) => k * step, label: step < DAY ? hourLabel : dateLabel };
}

/** Months in blocks of `months` (1, 3, 6, 12, 24, ...), and within a month blocks of `days` days. */
function calendar(months: number, days?: number): Period {
  const monthIndex = (t: number) => {
    const d = new Date(t);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  };
  if (days !== undefined) {
    // The 1st, 8th, 15th and 22nd (weeks) or the 1st and 15th (half months): the same days every month.
    const slots = Math.floor(28 / days);
    return {
      key: (t) => monthIndex(t) * slots + Math.min(slots - 1, Math.floor((new Date(t).getUTCDate() - 1) / days)),
      start: (k) => Date.UTC(Math.floor(k / slots / 12), Math.floor(k / slots) % 12, 1 + (k % slots) * days),
      label: dateLabel,
    };
  }
  return {
    key: (t) => Math.floor(monthIndex(t) / months),
    start: (k) => Date.UTC(Math.floor((k * months) / 12), (k * months) % 12, 1),
    label: months % 12 === 0 ? (t) => iso(t).slice(0, 4) : (t) => iso(t).slice(0, 7),
  };
}

/** No axis has room for more; finer periods are skipped without measuring their labels. */
const MAX_LABELS = 60;

const PERIODS: readonly Period[] = [
  ...[1, 5, 15, 30].map((m) => fixed(m * MINUTE)),
  ...[1, 2, 3, 4, 6, 12].map((h) => fixed(h * HOUR)),
  fixed(DAY),
  fixed(2 * DAY),
  calendar(1, 7),
  calendar(1, 14),
  ...[1, 2, 3, 6, 12, 24, 60, 120].map((m) => calendar(m)),
];

/**
 * Which bars of a category axis get a label, and what it says: the bar in which a new period begins (the
 * first bar too when it starts exactly on one), for the finest period (a minute ... ten years) whose labels
 * `fits`. Labels name the period's start, so they read as round times even when a bar (an aggregated bucket)
 * began a little earlier.
 * @example timeLabels([Date.UTC(2024, 0, 1, 22), Date.UTC(2024, 0, 1, 23), Date.UTC(2024, 0, 2)], (l) => l.length <= 1)
 * // Map { 2 => "2024-01-02" } (hours would give two labels)
 */
export function timeLabels(
  times: readonly number[],
  fits: (labels: readonly string[]) => boolean,
): Map<number, string> {
  if (times.length === 0) return new Map();
  for (const period of PERIODS) {
    const labels = new Map<number, string>();
    const first = times[0] as number;
    let previous = period.key(first - 1);
    for (let i = 0; i < times.length && labels.size <= MAX_LABELS; i++) {
      const key = period.key(times[i] as number);
      if (key !== previous && (i > 0 || period.start(key) === first)) labels.set(i, period.label(period.start(key)));
      previous = key;
    }
    if (labels.size === 0) break;
    if (labels.size <= MAX_LABELS && fits([...labels.values()])) return labels;
  }
  // Too short to cross even a minute, or too long for a decade per label: name the first bar exactly.
  return new Map([
    [
      0,
      iso(times[0] as number)
        .slice(0, 16)
        .replace("T", " "),
    ],
  ]);
}

/**
 * A formatter for ECharts time axes, whose ticks already fall on round UTC moments: the time of day over
 * short spans (dates at midnight), the date over weeks, "2024-03" over years of month starts.
 * @example timeAxisLabel(2 * 86_400_000)(Date.UTC(2024, 2, 1, 6)) // "06:00"
 */
export function timeAxisLabel(span: number): (value: number) => string {
  return (value) => {
    if (span <= 3 * DAY) return hourLabel(value);
    const d = new Date(value);
    if (span > 400 * DAY && d.getUTCDate() === 1 && value % DAY === 0) {
      return d.getUTCMonth() === 0 && span > 4 * 365 * DAY ? iso(value).slice(0, 4) : iso(value).slice(0, 7);
    }
    return dateLabel(value);
  };
}
