import { formatPercent } from "./format.ts";
import { LABEL_SIZE } from "./layout.ts";
import { measureText } from "./text-metrics.ts";
import { COLORS } from "./theme.ts";
import { timeAxisLabel, timeLabels } from "./time-labels.ts";

const LABEL = { color: COLORS.muted, fontSize: LABEL_SIZE };

/**
 * A value axis in the house style: muted labels through `format`, light horizontal grid lines, no axis line.
 * `min`/`max` pin the range; their own (odd) values are then not printed, only the round ticks between,
 * unless `showEnds` says they are round (a drawdown's 0%).
 * @example valueAxis(0, formatNumber, { min: 17_400, max: 19_900 })
 */
export function valueAxis(
  gridIndex: number,
  format: (v: number) => string,
  range: { min?: number; max?: number; splitNumber?: number; showEnds?: boolean } = {},
): object {
  const { showEnds, ...bounds } = range;
  return {
    type: "value",
    gridIndex,
    scale: true,
    ...bounds,
    splitNumber: range.splitNumber ?? 5,
    axisLabel: {
      ...LABEL,
      formatter: format,
      showMinLabel: showEnds || range.min === undefined,
      showMaxLabel: showEnds || range.max === undefined,
    },
    axisLine: { show: false },
    axisTick: { show: false },
    splitLine: { lineStyle: { color: COLORS.grid } },
  };
}

/**
 * A category axis of bars in time order, labelled only where a round UTC period begins (see timeLabels);
 * `labels: false` for panels stacked above another, which share its bars but not its labels.
 * @example timeCategoryAxis(0, candles.map((c) => c.time), 900, true)
 */
export function timeCategoryAxis(
  gridIndex: number,
  times: readonly number[],
  plotWidth: number,
  labels: boolean,
): object {
  // Labels fit when each has its width and half as much again to itself: evenly spread, they never touch.
  const text = timeLabels(times, (labels) => {
    const widest = Math.max(...labels.map((l) => measureText(l, `${LABEL_SIZE}px`).width));
    return labels.length <= 1 || labels.length * widest * 1.5 <= plotWidth;
  });
  const show = (index: number) => text.has(index);
  return {
    type: "category",
    gridIndex,
    data: times.map(String),
    boundaryGap: true,
    axisLine: { lineStyle: { color: COLORS.axis } },
    axisTick: { show: labels, interval: show, alignWithLabel: true, lineStyle: { color: COLORS.axis } },
    axisLabel: {
      ...LABEL,
      show: labels,
      interval: show,
      formatter: (_: string, index: number) => text.get(index) ?? "",
    },
    splitLine: { show: false },
  };
}

/**
 * A time axis (points at any moments) over `span` ms, ECharts' round UTC ticks printed as dates or hours.
 * @example timeValueAxis(0, last - first, true)
 */
export function timeValueAxis(gridIndex: number, span: number, labels: boolean, range: object = {}): object {
  return {
    type: "time",
    gridIndex,
    ...range,
    splitNumber: 6,
    axisLine: { lineStyle: { color: COLORS.axis } },
    axisTick: { show: labels, lineStyle: { color: COLORS.axis } },
    axisLabel: { ...LABEL, show: labels, hideOverlap: true, formatter: timeAxisLabel(span) },
    splitLine: { show: false },
  };
}

/**
 * The drawdown panel's axis: 0% at the top, ECharts' round ticks down to below the worst drawdown; a flat
 * curve (no drawdown) still gets a 1% deep panel rather than a zero-height one.
 * @example drawdownAxis(1, -13.8) // on grid 1: 0%, -5%, -10%, -15%
 */
export function drawdownAxis(gridIndex: number, worst: number): object {
  return valueAxis(gridIndex, ddLabel, { max: 0, ...(worst < 0 ? {} : { min: -1 }), splitNumber: 2, showEnds: true });
}

/**
 * Drawdown ticks in whole percent, with a decimal only for ticks under 2% (a shallow panel).
 * @example ddLabel(-10) // "-10%"; ddLabel(-0.5) // "-0.5%"
 */
export function ddLabel(v: number): string {
  return formatPercent(v, Math.abs(v) < 2 && v !== 0 ? 1 : 0);
}
