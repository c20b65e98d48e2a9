import { type Chart, type ChartSize, renderChart } from "./render.ts";
import { COLORS, formatUtc, noDataOption, titleOption, valueAxisLabel } from "./theme.ts";

export interface TimeValue {
  readonly time: number;
  readonly value: number;
}

/** Drawdown from the running peak, in percent (0 or negative), one per point. */
export function drawdownSeries(equity: readonly TimeValue[]): TimeValue[] {
  let peak = Number.NEGATIVE_INFINITY;
  return equity.map((p) => {
    peak = Math.max(peak, p.value);
    return { time: p.time, value: peak > 0 ? ((p.value - peak) / peak) * 100 : 0 };
  });
}

/**
 * Equity over time, with an optional buy-and-hold line and a drawdown panel below.
 * @example equityChart({ title: "Equity", equity: [{ time, value: 10_000 }, …], drawdown: true }).png
 */
export function equityChart(
  input: { title?: string; equity: readonly TimeValue[]; drawdown?: boolean; benchmark?: readonly TimeValue[] },
  size?: ChartSize,
): Chart {
  const equity = input.equity.filter((p) => Number.isFinite(p.value));
  if (equity.length === 0) return renderChart(noDataOption(input.title), size);
  const withDrawdown = input.drawdown === true;
  const grids = withDrawdown
    ? [
        { left: 80, right: 30, top: 60, height: "52%" },
        { left: 80, right: 30, top: "72%", height: "18%" },
      ]
    : [{ left: 80, right: 30, top: 60, bottom: 50 }];
  const xAxis = grids.map((_, i) => ({
    type: "time" as const,
    gridIndex: i,
    axisLabel: {
      color: COLORS.muted,
      hideOverlap: true,
      formatter: (v: number) => formatUtc(v),
      show: i === grids.length - 1,
    },
    splitLine: { show: false },
  }));
  const yAxis = [
    {
      type: "value" as const,
      gridIndex: 0,
      scale: true,
      axisLabel: valueAxisLabel(0),
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    ...(withDrawdown
      ? [
          {
            type: "value" as const,
            gridIndex: 1,
            max: 0,
            axisLabel: { color: COLORS.muted, formatter: "{value}%" },
            splitLine: { lineStyle: { color: COLORS.grid } },
          },
        ]
      : []),
  ];
  const series: object[] = [
    {
      name: "equity",
      type: "line",
      showSymbol: false,
      lineStyle: { width: 2, color: COLORS.line },
      data: equity.map((p) => [p.time, p.value]),
    },
  ];
  if (input.benchmark && input.benchmark.length > 0) {
    series.push({
      name: "buy & hold",
      type: "line",
      showSymbol: false,
      lineStyle: { width: 1.5, color: COLORS.benchmark, type: "dashed" },
      data: input.benchmark.map((p) => [p.time, p.value]),
    });
  }
  if (withDrawdown) {
    series.push({
      name: "drawdown",
      type: "line",
      xAxisIndex: 1,
      yAxisIndex: 1,
      showSymbol: false,
      lineStyle: { width: 1, color: COLORS.down },
      areaStyle: { color: COLORS.drawdown, opacity: 0.4 },
      data: drawdownSeries(equity).map((p) => [p.time, Number(p.value.toFixed(3))]),
    });
  }
  return renderChart(
    {
      title: titleOption(input.title),
      legend: { top: 14, right: 30, textStyle: { color: COLORS.text } },
      grid: grids,
      xAxis,
      yAxis,
      series,
    },
    size,
  );
}
