/** One palette for every chart, so chat and web pictures read alike. */
export const COLORS = {
  up: "#16a34a",
  down: "#dc2626",
  line: "#2563eb",
  benchmark: "#9ca3af",
  drawdown: "#f87171",
  grid: "#e5e7eb",
  text: "#111827",
  muted: "#6b7280",
} as const;

/** `12345.6` -> "12,345.6": thousands separators, at most `digits` decimals. */
export function formatNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

/** Epoch ms -> "2024-03-01" (UTC), or with the time when `withTime`. */
export function formatUtc(time: number, withTime = false): string {
  const iso = new Date(time).toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/** The common frame: a title on the left, axis text in the palette's colours. */
export function titleOption(title: string | undefined) {
  return title
    ? { text: title, left: 16, top: 10, textStyle: { fontSize: 18, fontWeight: "bold", color: COLORS.text } }
    : undefined;
}

/** The option for a chart that has nothing to show: a readable "no data" instead of an empty frame. */
export function noDataOption(title: string | undefined) {
  return {
    title: [
      ...(title ? [titleOption(title)] : []),
      { text: "no data", left: "center", top: "middle", textStyle: { fontSize: 22, color: COLORS.muted } },
    ],
  };
}

export function valueAxisLabel(digits = 2) {
  return { color: COLORS.muted, formatter: (v: number) => formatNumber(v, digits) };
}
