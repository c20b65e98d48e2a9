import { timeCategoryAxis, valueAxis } from "./axes.ts";
import { formatNumber, formatSigned } from "./format.ts";
import { header } from "./header.ts";
import { LABEL_SIZE, leftMargin, padRange, X_LABELS } from "./layout.ts";
import { noDataOption } from "./no-data.ts";
import { type Chart, type ChartSize, chartSize, renderChart } from "./render.ts";
import { measureText } from "./text-metrics.ts";
import { COLORS, MARGIN } from "./theme.ts";

export interface DailyPnlChartInput {
  readonly title?: string;
  /** Overrides the subtitle (by default: the total, up and down days, best and worst). */
  readonly subtitle?: string;
  /** One entry per UTC day, "YYYY-MM-DD"; any order. */
  readonly days: readonly { readonly day: string; readonly pnl: number }[];
}

/**
 * Profit and loss per UTC day as bars, green up and red down, with the total in the subtitle.
 * @example dailyPnlChart({ title: "Daily PnL (USDT)", days: [{ day: "2024-03-01", pnl: 12.5 }, { day: "2024-03-02", pnl: -4 }] }).png
 */
export function dailyPnlChart(input: DailyPnlChartInput, size: ChartSize = {}): Chart {
  const { width, height } = chartSize(size);
  const days = (input.days ?? [])
    .map((d) => ({ day: d?.day, pnl: d?.pnl, time: Date.parse(`${d?.day}T00:00:00Z`) }))
    .filter((d): d is { day: string; pnl: number; time: number } => Number.isFinite(d.pnl) && Number.isFinite(d.time))
    .sort((a, b) => a.time - b.time);
  if (days.length === 0) return renderChart(noDataOption(input.title, width, input.subtitle), { width, height });
  const values = days.map((d) => d.pnl);
  const head = header({ title: input.title, subtitle: input.subtitle ?? summary(days) }, width);
  const range = padRange(Math.min(0, ...values), Math.max(0, ...values), 0.08);
  const left = leftMargin([formatNumber(range.min), formatNumber(range.max)]);
  const right = MARGIN + 24;
  // Values on the bars only when each fits above its own bar; a row of overlapping numbers reads as noise.
  const slot = (width - left - right) / days.length;
  const labels = Math.max(...values.map((v) => measureText(formatSigned(v), `${LABEL_SIZE - 1}px`).width)) < slot * 0.9;
  return renderChart(
    {
      title: head.title,
      grid: { left, right, top: head.top, bottom: X_LABELS, outerBoundsMode: "none" },
      xAxis: timeCategoryAxis(
        0,
        days.map((d) => d.time),
        width - left - right,
        true,
      ),
      yAxis: valueAxis(0, (v) => formatNumber(v), range),
      series: [
        {
          name: "pnl",
          type: "bar",
          barMaxWidth: 32,
          barCategoryGap: "30%",
          itemStyle: { color: (p: { value: number }) => (p.value >= 0 ? COLORS.up : COLORS.down) },
          label: {
            show: labels,
            position: "outside",
            fontSize: LABEL_SIZE - 1,
            color: COLORS.muted,
            formatter: (p: { value: number }) => formatSigned(p.value),
          },
          labelLayout: { hideOverlap: true },
          data: values,
          // The zero line, darker than the grid: above it is a good day, below a bad one.
          markLine: {
            silent: true,
            symbol: "none",
            label: { show: false },
            lineStyle: { color: COLORS.axis, type: "solid", width: 1 },
            data: [{ yAxis: 0 }],
          },
        },
      ],
    },
    { width, height },
  );
}

/** "30 days · total +3,210.00 · 17 up, 13 down · best +1,700.00 (2024-01-13) · worst -1,290.00 (2024-01-26)" */
function summary(days: readonly { day: string; pnl: number }[]): string {
  const total = days.reduce((s, d) => s + d.pnl, 0);
  const up = days.filter((d) => d.pnl > 0).length;
  const down = days.filter((d) => d.pnl < 0).length;
  const best = days.reduce((a, b) => (b.pnl > a.pnl ? b : a));
  const worst = days.reduce((a, b) => (b.pnl < a.pnl ? b : a));
  const parts = [
    `${days.length} ${days.length === 1 ? "day" : "days"}`,
    `total ${formatSigned(total)}`,
    `${up} up, ${down} down`,
  ];
  if (best.pnl > 0) parts.push(`best ${formatSigned(best.pnl)} (${best.day})`);
  if (worst.pnl < 0) parts.push(`worst ${formatSigned(worst.pnl)} (${worst.day})`);
  return parts.join(" · ");
}
