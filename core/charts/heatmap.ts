import { type Chart, type ChartSize, renderChart } from "./render.ts";
import { COLORS, formatNumber, noDataOption, titleOption } from "./theme.ts";

/**
 * A parameter sweep as a heatmap: one cell per (x, y) combination coloured by the metric, with the
 * value written in each cell when the grid is small enough to read.
 * @example heatmapChart({ title: "Sharpe", xName: "fast", yName: "slow", xValues: [5, 10], yValues: [20, 30], values: [[0.1, 0.4], [0.3, 0.2]], metricName: "sharpe" })
 */
export function heatmapChart(
  input: {
    title: string;
    xName: string;
    yName: string;
    xValues: readonly (number | string)[];
    yValues: readonly (number | string)[];
    /** values[y][x]; NaN or null where a combination was not run. */
    values: readonly (readonly (number | null)[])[];
    metricName: string;
  },
  size?: ChartSize,
): Chart {
  const cells: [number, number, number][] = [];
  for (const [y, row] of input.values.entries()) {
    for (const [x, v] of row.entries()) if (v !== null && Number.isFinite(v)) cells.push([x, y, v]);
  }
  if (cells.length === 0) return renderChart(noDataOption(input.title), size);
  const values = cells.map((c) => c[2]);
  const showLabels = input.xValues.length * input.yValues.length <= 150;
  return renderChart(
    {
      title: titleOption(input.title),
      grid: { left: 90, right: 120, top: 60, bottom: 70 },
      xAxis: {
        type: "category",
        name: input.xName,
        nameLocation: "middle",
        nameGap: 30,
        data: input.xValues.map(String),
        axisLabel: { color: COLORS.muted },
      },
      yAxis: {
        type: "category",
        name: input.yName,
        nameLocation: "middle",
        nameGap: 50,
        data: input.yValues.map(String),
        axisLabel: { color: COLORS.muted },
      },
      visualMap: {
        min: Math.min(...values),
        max: Math.max(...values),
        calculable: false,
        orient: "vertical",
        right: 20,
        top: "middle",
        text: [input.metricName, ""],
        inRange: { color: ["#b91c1c", "#fde68a", "#15803d"] },
      },
      series: [
        {
          type: "heatmap",
          data: cells,
          label: {
            show: showLabels,
            formatter: (p: { value: number[] }) => formatNumber(p.value[2] as number, 2),
            fontSize: 11,
          },
        },
      ],
    },
    size,
  );
}
