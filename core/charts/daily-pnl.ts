import { type Chart, type ChartSize, renderChart } from "./render.ts";
import { COLORS, noDataOption, titleOption, valueAxisLabel } from "./theme.ts";

/**
 * Profit and loss per UTC day as bars, green up and red down.
 * @example dailyPnlChart({ title: "Daily PnL", days: [{ day: "2024-03-01", pnl: 12.5 }] }).png
 */
export function dailyPnlChart(
  input: { title?: string; days: readonly { day: string; pnl: number }[] },
  size?: ChartSize,
): Chart {
  const days = input.days.filter((d) => Number.isFinite(d.pnl));
  if (days.length === 0) return renderChart(noDataOption(input.title), size);
  return renderChart(
    {
      title: titleOption(input.title),
      grid: { left: 80, right: 30, top: 60, bottom: 60 },
      xAxis: { type: "category", data: days.map((d) => d.day), axisLabel: { color: COLORS.muted } },
      yAxis: { type: "value", axisLabel: valueAxisLabel(2), splitLine: { lineStyle: { color: COLORS.grid } } },
      series: [
        {
          type: "bar",
          data: days.map((d) => ({ value: d.pnl, itemStyle: { color: d.pnl >= 0 ? COLORS.up : COLORS.down } })),
        },
      ],
    },
    size,
  );
}
