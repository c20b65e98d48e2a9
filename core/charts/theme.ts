/**
 * One palette for every chart, so chat and web pictures read alike: dark text on white, quiet grid lines,
 * green for up and red for down, and trade markers a shade deeper than the candles they sit on.
 */
export const COLORS = {
  background: "#ffffff",
  text: "#111827",
  muted: "#6b7280",
  axis: "#cbd5e1",
  grid: "#eef0f3",
  up: "#16a34a",
  down: "#dc2626",
  buy: "#047857",
  sell: "#b91c1c",
  line: "#2563eb",
  benchmark: "#94a3b8",
  drawdown: "#ef4444",
  missing: "#f1f5f9",
} as const;

/** Colours for indicator overlays: none green, red or the equity blue, so a line never reads as up, down or money. */
export const OVERLAY_COLORS = ["#f59e0b", "#7c3aed", "#0891b2", "#db2777", "#78716c", "#0f172a"] as const;

/** Space between the picture's edge and anything drawn. */
export const MARGIN = 16;
