import { measureText } from "./text-metrics.ts";
import { MARGIN } from "./theme.ts";

/** Axis labels are set at this size everywhere. */
export const LABEL_SIZE = 11;
/** Room under the bottom panel for its time labels. */
export const X_LABELS = 28;

/**
 * The left margin that fits the widest of these axis labels. Stacked panels share it, so their plots line
 * up to the pixel whatever each axis prints (ECharts would size each grid on its own).
 * @example leftMargin(["19,500", "-12%"]) // ≈ 62
 */
export function leftMargin(labels: readonly string[]): number {
  const widest = Math.max(0, ...labels.map((l) => measureText(l, `${LABEL_SIZE}px`).width));
  return Math.ceil(MARGIN + widest + 10);
}

/**
 * Panels stacked from `top` down to `bottom` pixels, heights in proportion to `weights`, `gap` pixels apart.
 * @example stackPanels(60, 570, [3, 1], 16) // [{ top: 60, height: 371 }, { top: 447, height: 123 }]
 */
export function stackPanels(
  top: number,
  bottom: number,
  weights: readonly number[],
  gap: number,
): { top: number; height: number }[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const room = Math.max(weights.length * 20, bottom - top - gap * (weights.length - 1));
  let y = top;
  return weights.map((w) => {
    const height = Math.round((room * w) / total);
    const panel = { top: y, height };
    y += height + gap;
    return panel;
  });
}

/**
 * Padding around a data range so lines and markers do not touch the panel's edges; a flat range gets some height.
 * @example padRange(100, 200) // { min: 95, max: 205 }
 */
export function padRange(low: number, high: number, fraction = 0.05): { min: number; max: number } {
  const span = high - low || Math.abs(high) * 0.02 || 1;
  return { min: low - span * fraction, max: high + span * fraction };
}
