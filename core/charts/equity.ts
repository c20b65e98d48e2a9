import { ddLabel, drawdownAxis, timeValueAxis, valueAxis } from "./axes.ts";
import { formatMoney, formatNumber, formatPercent, formatUtc } from "./format.ts";
import { header, type LegendItem } from "./header.ts";
import { leftMargin, padRange, stackPanels, X_LABELS } from "./layout.ts";
import { noDataOption } from "./no-data.ts";
import { type Chart, type ChartSize, chartSize, renderChart } from "./render.ts";
import { cleanPoints, drawdownSeries, type TimeValue, thinPoints } from "./series.ts";
import { COLORS, MARGIN } from "./theme.ts";

export interface EquityChartInput {
  readonly title?: string;
  /** Overrides the subtitle (by default: the range, start and end equity, return, max drawdown). */
  readonly subtitle?: string;
  readonly equity: readonly TimeValue[];
  /** A drawdown panel below, computed from the equity. */
  readonly drawdown?: boolean;
  /** Buy and hold over the same period, in the same currency (a dashed grey line). */
  readonly benchmark?: readonly TimeValue[];
}

/**
 * Equity over time, with an optional buy-and-hold line and a drawdown panel below. Long curves are thinned to
 * about two points per pixel, keeping each stretch's highest and lowest point.
 * @example equityChart({ title: "Paper equity (USDT)", equity: [{ time, value: 10_000 }, …], drawdown: true }).png
 */
export function equityChart(input: EquityChartInput, size: ChartSize = {}): Chart {
  const { width, height } = chartSize(size);
  const equity = cleanPoints(input.equity);
  if (equity.length === 0) return renderChart(noDataOption(input.title, width, input.subtitle), { width, height });
  const benchmark = cleanPoints(input.benchmark);
  const drawdown = input.drawdown === true ? drawdownSeries(equity) : [];
  const legend: LegendItem[] = [{ name: "equity" }];
  if (benchmark.length > 0) legend.push({ name: "buy & hold" });
  if (drawdown.length > 0) legend.push({ name: "drawdown" });
  const head = header({ title: input.title, subtitle: input.subtitle ?? summary(equity, benchmark), legend }, width);

  const values = [...equity, ...benchmark].map((p) => p.value);
  const range = padRange(Math.min(...values), Math.max(...values));
  const worst = Math.min(0, ...drawdown.map((p) => p.value));
  const left = leftMargin([formatNumber(range.min), formatNumber(range.max), ddLabel(worst * 1.2 - 1)]);
  const right = MARGIN + 24;
  const panels = stackPanels(head.top, height - X_LABELS, drawdown.length > 0 ? [3, 1] : [1], 14);
  const thin = Math.max(200, 2 * (width - left - right));
  const first = (equity[0] as TimeValue).time;
  const span = Math.max((equity[equity.length - 1] as TimeValue).time, benchmark.at(-1)?.time ?? 0) - first;
  const bounds = { min: Math.min(first, benchmark[0]?.time ?? first), max: first + span };

  const series: object[] = [line("equity", equity, COLORS.line, 2, thin)];
  if (benchmark.length > 0)
    series.push({
      ...line("buy & hold", benchmark, COLORS.benchmark, 1.5, thin),
      lineStyle: { width: 1.5, color: COLORS.benchmark, type: "dashed" },
    });
  if (drawdown.length > 0) {
    series.push({
      ...line("drawdown", drawdown, COLORS.drawdown, 1, thin),
      xAxisIndex: 1,
      yAxisIndex: 1,
      areaStyle: { color: COLORS.drawdown, opacity: 0.18 },
    });
  }
  return renderChart(
    {
      title: head.title,
      legend: head.legend,
      grid: panels.map((p) => ({ left, right, top: p.top, height: p.height, outerBoundsMode: "none" })),
      xAxis: panels.map((_, i) => timeValueAxis(i, span, i === panels.length - 1, bounds)),
      yAxis: [valueAxis(0, (v) => formatNumber(v), range), ...(drawdown.length > 0 ? [drawdownAxis(1, worst)] : [])],
      series,
    },
    { width, height },
  );
}

/** A line series over time in the house style, thinned to `max` points. */
function line(name: string, points: readonly TimeValue[], color: string, width: number, max: number): object {
  return {
    name,
    type: "line",
    showSymbol: false,
    color,
    lineStyle: { width, color },
    data: thinPoints(points, max).map((p) => [p.time, p.value]),
  };
}

/** "2020-12-01 → 2021-04-05 UTC · 10,000.00 → 36,114.50 (+261.1%) · max drawdown -13.9% · buy & hold +188.9%" */
function summary(equity: readonly TimeValue[], benchmark: readonly TimeValue[]): string {
  const first = equity[0] as TimeValue;
  const last = equity[equity.length - 1] as TimeValue;
  const withTime = last.time - first.time < 3 * 86_400_000;
  const parts = [
    `${formatUtc(first.time, withTime)} → ${formatUtc(last.time, withTime)} UTC`,
    `${formatMoney(first.value)} → ${formatMoney(last.value)}${change(first.value, last.value)}`,
    `max drawdown ${formatPercent(Math.min(0, ...drawdownSeries(equity).map((p) => p.value)), 1)}`,
  ];
  if (benchmark.length > 1) {
    const from = (benchmark[0] as TimeValue).value;
    const to = (benchmark.at(-1) as TimeValue).value;
    if (from > 0) parts.push(`buy & hold ${formatPercent(((to - from) / from) * 100, 1, true)}`);
  }
  return parts.join(" · ");
}

function change(from: number, to: number): string {
  return from > 0 ? ` (${formatPercent(((to - from) / from) * 100, 1, true)})` : "";
}
