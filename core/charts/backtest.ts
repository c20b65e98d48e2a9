import type { Candle } from "../domain/index.ts";
import { ddLabel, drawdownAxis, timeCategoryAxis, valueAxis } from "./axes.ts";
import { bucketEquity } from "./bucket-equity.ts";
import { formatMoney, formatNumber, formatPercent } from "./format.ts";
import { header } from "./header.ts";
import { leftMargin, padRange, stackPanels, X_LABELS } from "./layout.ts";
import { noDataOption } from "./no-data.ts";
import { type Overlay, pricePanel, type TradeMarker } from "./price-panel.ts";
import { type Chart, type ChartSize, chartSize, renderChart } from "./render.ts";
import { cleanCandles, cleanPoints, drawdownSeries, type TimeValue } from "./series.ts";
import { COLORS, MARGIN } from "./theme.ts";

export interface BacktestChartInput {
  readonly title: string;
  /** Overrides the subtitle (by default: fills, start and end equity, return, max drawdown, buy and hold). */
  readonly subtitle?: string;
  readonly candles: readonly Candle[];
  readonly trades: readonly TradeMarker[];
  readonly equity: readonly TimeValue[];
  readonly overlays?: readonly Overlay[];
  /** Buy and hold from the first close, scaled to the starting equity, beside the equity (default true). */
  readonly buyAndHold?: boolean;
}

/** Bigger than a chat chart by default: three panels need the height. */
export const BACKTEST_SIZE = { width: 1200, height: 800 } as const;

/**
 * The backtest picture in three panels on one time axis: price with entries and exits, equity (with buy
 * and hold), and drawdown. All three share the candles' bars, so a fill, the equity step it caused and the
 * drawdown it started line up vertically, and market closures leave no gaps.
 * @example backtestChart({ title: "sma-cross BTC/USDT 1h: +12.3%", candles, trades, equity }).png
 */
export function backtestChart(input: BacktestChartInput, size: ChartSize = BACKTEST_SIZE): Chart {
  const { width, height } = chartSize({ ...BACKTEST_SIZE, ...size });
  const { candles, index } = cleanCandles(input.candles);
  const equity = cleanPoints(input.equity);
  if (candles.length === 0 && equity.length === 0) {
    return renderChart(noDataOption(input.title, width, input.subtitle), { width, height });
  }
  if (candles.length === 0) {
    // Nothing to draw the price from: equity and drawdown alone still answer "how did it go".
    return renderChart(noDataOption(input.title, width, "no candles in the range"), { width, height });
  }
  const overlays = (input.overlays ?? []).map((o) => ({ name: o.name, values: index.map((i) => o.values[i] ?? null) }));
  const price = pricePanel(candles, input.trades, overlays, { xAxisIndex: 0, yAxisIndex: 0 });
  const full = drawdownSeries(equity);
  const bars = bucketEquity(price.times, equity, full);
  const start = equity[0]?.value;
  const firstClose = (candles[0] as Candle).close;
  const hold =
    input.buyAndHold !== false && start !== undefined && start > 0
      ? price.candles.map((c) => (start * c.close) / firstClose)
      : [];

  const legend = [...price.legend, { name: "equity" }, ...(hold.length > 0 ? [{ name: "buy & hold" }] : [])];
  legend.push({ name: "drawdown" });
  const subtitle = input.subtitle ?? summary(equity, full, price.markers, hold, start);
  const head = header({ title: input.title, subtitle, legend }, width);
  const priceRange = padRange(price.low, price.high, 0.06);
  const shown = [...bars.equity, ...hold].filter((v): v is number => v !== null);
  const equityRange = shown.length > 0 ? padRange(Math.min(...shown), Math.max(...shown)) : { min: 0, max: 1 };
  const worst = Math.min(0, ...full.map((p) => p.value));
  const left = leftMargin([
    formatNumber(priceRange.min),
    formatNumber(priceRange.max),
    formatNumber(equityRange.min),
    formatNumber(equityRange.max),
    ddLabel(worst * 1.2 - 1),
  ]);
  const right = MARGIN + 24;
  const panels = stackPanels(head.top, height - X_LABELS, [5, 3, 1.6], 14);
  const plotWidth = width - left - right;
  const line = (name: string, data: (number | null)[], color: string, axis: number, extra: object = {}) => ({
    name,
    type: "line",
    xAxisIndex: axis,
    yAxisIndex: axis,
    showSymbol: false,
    color,
    lineStyle: { width: 1.5, color },
    data,
    ...extra,
  });
  return renderChart(
    {
      title: head.title,
      legend: head.legend,
      grid: panels.map((p) => ({ left, right, top: p.top, height: p.height, outerBoundsMode: "none" })),
      xAxis: panels.map((_, i) => timeCategoryAxis(i, price.times, plotWidth, i === panels.length - 1)),
      yAxis: [
        valueAxis(0, (v) => formatNumber(v), priceRange),
        valueAxis(1, (v) => formatNumber(v), { ...equityRange, splitNumber: 3 }),
        drawdownAxis(2, worst),
      ],
      series: [
        ...price.series,
        line("equity", bars.equity, COLORS.line, 1, { lineStyle: { width: 2, color: COLORS.line } }),
        ...(hold.length > 0
          ? [
              line("buy & hold", hold, COLORS.benchmark, 1, {
                lineStyle: { width: 1.5, color: COLORS.benchmark, type: "dashed" },
              }),
            ]
          : []),
        line("drawdown", bars.drawdown, COLORS.drawdown, 2, {
          lineStyle: { width: 1, color: COLORS.drawdown },
          areaStyle: { color: COLORS.drawdown, opacity: 0.18 },
        }),
      ],
    },
    { width, height },
  );
}

/** "12 fills · 10,000.00 → 12,345.67 (+23.5%) · max drawdown -8.1% · buy & hold +40.2%" */
function summary(
  equity: readonly TimeValue[],
  drawdown: readonly TimeValue[],
  fills: number,
  hold: readonly number[],
  holdStart: number | undefined,
): string {
  const parts = [`${formatNumber(fills, 0)} ${fills === 1 ? "fill" : "fills"}`];
  const first = equity[0];
  const last = equity[equity.length - 1];
  if (first && last) {
    const change =
      first.value > 0 ? ` (${formatPercent(((last.value - first.value) / first.value) * 100, 1, true)})` : "";
    parts.push(`${formatMoney(first.value)} → ${formatMoney(last.value)}${change}`);
    parts.push(`max drawdown ${formatPercent(Math.min(0, ...drawdown.map((p) => p.value)), 1)}`);
  }
  // From the starting equity, which stands for the first close: the first drawn bar of a long run
  // is a bucket of candles, and its close is already some way in.
  if (hold.length > 1 && holdStart !== undefined) {
    parts.push(`buy & hold ${formatPercent(((hold[hold.length - 1] as number) / holdStart - 1) * 100, 1, true)}`);
  }
  return parts.join(" · ");
}
