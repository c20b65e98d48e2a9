import { formatNumber } from "./format.ts";
import { header } from "./header.ts";
import { LABEL_SIZE, leftMargin } from "./layout.ts";
import { noDataOption } from "./no-data.ts";
import { type Chart, type ChartSize, chartSize, renderChart } from "./render.ts";
import { measureText } from "./text-metrics.ts";
import { COLORS, MARGIN } from "./theme.ts";

export interface HeatmapChartInput {
  readonly title: string;
  readonly subtitle?: string;
  /** Axis names: the two swept parameters. */
  readonly xName: string;
  readonly yName: string;
  readonly xValues: readonly (number | string)[];
  readonly yValues: readonly (number | string)[];
  /** values[y][x]; null or NaN where a combination was not run or has no value. */
  readonly values: readonly (readonly (number | null | undefined)[])[];
  /** What the colour means, e.g. "sharpe"; written over the colour scale. */
  readonly metricName: string;
}

/**
 * A parameter sweep as a heatmap: one cell per (x, y) combination coloured by the metric, on a scale that
 * diverges around 0 (red below, green above) when the metric takes both signs, and the value written in each
 * cell when the cells are big enough to hold it. Missing combinations are grey with a dash.
 * @example
 * heatmapChart({
 *   title: "Sharpe by fast and slow", xName: "fast", yName: "slow", xValues: [5, 10], yValues: [20, 30],
 *   values: [[0.1, 0.4], [0.3, null]], metricName: "sharpe",
 * }).png
 */
export function heatmapChart(input: HeatmapChartInput, size: ChartSize = {}): Chart {
  const { width, height } = chartSize(size);
  const xs = (input.xValues ?? []).map(String);
  const ys = (input.yValues ?? []).map(String);
  const cells: [number, number, number][] = [];
  const missing: [number, number][] = [];
  ys.forEach((_, y) => {
    xs.forEach((_, x) => {
      const v = input.values?.[y]?.[x];
      if (typeof v === "number" && Number.isFinite(v)) cells.push([x, y, v]);
      else missing.push([x, y]);
    });
  });
  if (cells.length === 0) return renderChart(noDataOption(input.title, width, input.subtitle), { width, height });

  const values = cells.map((c) => c[2]);
  const scale = colourScale(Math.min(...values), Math.max(...values));
  const head = header({ title: input.title, subtitle: input.subtitle }, width);
  const left = leftMargin(ys) + 22; // the rotated y name beside the labels
  const right = MARGIN + 90; // the colour scale
  const bottom = 56; // x labels and the x name
  const cellWidth = (width - left - right) / xs.length;
  const cellHeight = (height - head.top - bottom) / ys.length;
  const widest = Math.max(...values.map((v) => measureText(formatNumber(v, 2), `${LABEL_SIZE}px`).width));
  const labels = cellWidth >= widest + 6 && cellHeight >= LABEL_SIZE + 4;
  const axisName = { color: COLORS.muted, fontSize: LABEL_SIZE + 1 };
  const category = (data: string[], name: string, gap: number) => ({
    type: "category",
    data,
    name,
    nameLocation: "middle",
    nameGap: gap,
    nameTextStyle: axisName,
    axisLabel: { color: COLORS.muted, fontSize: LABEL_SIZE, hideOverlap: true },
    axisLine: { show: false },
    axisTick: { show: false },
    splitArea: { show: false },
  });
  return renderChart(
    {
      title: [
        ...head.title,
        { text: input.metricName, right: MARGIN, top: head.top - 4, textStyle: { fontSize: 12, color: COLORS.text } },
      ],
      grid: {
        left,
        right,
        top: head.top + 12,
        bottom,
        outerBoundsMode: "none",
        show: true,
        backgroundColor: COLORS.missing,
        borderWidth: 0,
      },
      xAxis: category(xs, input.xName, 30),
      yAxis: category(ys, input.yName, left - MARGIN - 14),
      visualMap: {
        type: "continuous",
        seriesIndex: 0,
        min: scale.min,
        max: scale.max,
        inRange: { color: scale.colors },
        orient: "vertical",
        right: MARGIN + 20,
        top: head.top + 24,
        itemHeight: Math.max(60, height - head.top - bottom - 80),
        itemWidth: 14,
        calculable: false,
        text: [formatNumber(scale.max, 2), formatNumber(scale.min, 2)],
        textStyle: { color: COLORS.muted, fontSize: LABEL_SIZE },
      },
      series: [
        {
          name: input.metricName,
          type: "heatmap",
          itemStyle: { borderColor: COLORS.background, borderWidth: 1 },
          label: {
            show: labels,
            fontSize: LABEL_SIZE,
            color: COLORS.text,
            formatter: (p: { value: number[] }) => formatNumber(p.value[2] as number, 2),
          },
          // White text on saturated cells, dark on pale ones: readable at both ends of the scale.
          data: labels
            ? cells.map((value) => (scale.strong(value[2]) ? { value, label: { color: "#ffffff" } } : value))
            : cells,
        },
        // Missing cells show the grid's grey background; a dash says so in words when there is room.
        {
          name: "missing",
          type: "scatter",
          symbolSize: 0,
          label: { show: labels, position: "inside", color: COLORS.muted, fontSize: LABEL_SIZE, formatter: "–" },
          data: missing,
        },
      ],
    },
    { width, height },
  );
}

/**
 * The colour scale for a metric's range: diverging red–white–green around 0 when it has both signs (so the
 * sign reads at a glance), else pale to green (all positive) or red to pale (all negative).
 */
function colourScale(low: number, high: number) {
  const pale = "#f8fafc";
  const green = ["#bbf7d0", "#16a34a", "#14532d"];
  const red = ["#7f1d1d", "#dc2626", "#fecaca"];
  if (low < 0 && high > 0) {
    const m = Math.max(-low, high);
    return { min: -m, max: m, colors: [...red, pale, ...green], strong: (v: number) => Math.abs(v) > m * 0.45 };
  }
  const flat = low === high;
  if (low >= 0) {
    const min = flat ? 0 : low;
    return { min, max: high, colors: [pale, ...green], strong: (v: number) => v > min + (high - min) * 0.6 };
  }
  const max = flat ? 0 : high;
  return { min: low, max, colors: [...red, pale], strong: (v: number) => v < low + (max - low) * 0.4 };
}
