import type { Candle } from "../domain/index.ts";
import { timeCategoryAxis, valueAxis } from "./axes.ts";
import { formatCompact, formatNumber, formatPercent, formatUtc, isIntraday } from "./format.ts";
import { header } from "./header.ts";
import { leftMargin, padRange, stackPanels, X_LABELS } from "./layout.ts";
import { noDataOption } from "./no-data.ts";
import { type Overlay, pricePanel, type TradeMarker } from "./price-panel.ts";
import { type Chart, type ChartSize, chartSize, renderChart } from "./render.ts";
import { cleanCandles } from "./series.ts";
import { COLORS, MARGIN } from "./theme.ts";

export interface CandleChartInput {
  readonly title?: string;
  /** Overrides the subtitle (by default: the time range in UTC and the last close with its change). */
  readonly subtitle?: string;
  readonly candles: readonly Candle[];
  readonly trades?: readonly TradeMarker[];
  readonly overlays?: readonly Overlay[];
}

/**
 * Candlesticks with volume below, our fills as triangles (tip on the fill price) and optional indicator lines.
 * More than 500 candles are aggregated into coarser ones; every trade marker is kept.
 * @example
 * candleChart({
 *   title: "BTC/USDT 1h",
 *   candles,
 *   trades: [{ time: candles[10].time, price: 19_500, side: "buy", label: "entry" }],
 *   overlays: [{ name: "SMA 20", values: sma20 }],
 * }).png
 */
export function candleChart(input: CandleChartInput, size: ChartSize = {}): Chart {
  const { width, height } = chartSize(size);
  const { candles, index } = cleanCandles(input.candles);
  if (candles.length === 0) return renderChart(noDataOption(input.title, width, input.subtitle), { width, height });
  const overlays = (input.overlays ?? []).map((o) => ({ name: o.name, values: index.map((i) => o.values[i] ?? null) }));
  const price = pricePanel(candles, input.trades ?? [], overlays, { xAxisIndex: 0, yAxisIndex: 0 });
  const head = header(
    { title: input.title, subtitle: input.subtitle ?? summary(candles), legend: price.legend },
    width,
  );
  const range = padRange(price.low, price.high, 0.06);
  const maxVolume = Math.max(0, ...price.candles.map((c) => c.volume));
  const left = leftMargin([formatNumber(range.min), formatNumber(range.max), formatCompact(maxVolume)]);
  const right = MARGIN + 24;
  const [top, bottom] = stackPanels(head.top, height - X_LABELS, [4, 1], 12) as [Panel, Panel];
  const grid = (p: Panel) => ({ left, right, top: p.top, height: p.height, outerBoundsMode: "none" });
  const plotWidth = width - left - right;
  const rising = price.candles.map((c) => c.close >= c.open);
  return renderChart(
    {
      title: head.title,
      legend: head.legend,
      grid: [grid(top), grid(bottom)],
      xAxis: [timeCategoryAxis(0, price.times, plotWidth, false), timeCategoryAxis(1, price.times, plotWidth, true)],
      yAxis: [
        valueAxis(0, (v) => formatNumber(v), range),
        valueAxis(1, formatCompact, { min: 0, max: maxVolume || 1, splitNumber: 2 }),
      ],
      series: [
        ...price.series,
        {
          name: "volume",
          type: "bar",
          xAxisIndex: 1,
          yAxisIndex: 1,
          barMaxWidth: 14,
          // A colour function rather than a style per bar: 500 per-item styles cost ECharts 500 models.
          itemStyle: {
            opacity: 0.45,
            color: (p: { dataIndex: number }) => (rising[p.dataIndex] ? COLORS.up : COLORS.down),
          },
          data: price.candles.map((c) => c.volume),
        },
      ],
    },
    { width, height },
  );
}

type Panel = { top: number; height: number };

/** "2020-12-01 00:00 → 2020-12-13 11:00 UTC · 300 candles · last 19,300.12 (-1.3%)" */
function summary(candles: readonly Candle[]): string {
  const first = candles[0] as Candle;
  const last = candles[candles.length - 1] as Candle;
  const withTime = isIntraday(candles.slice(0, 50).map((c) => c.time));
  const change = ((last.close - first.open) / first.open) * 100;
  return (
    `${formatUtc(first.time, withTime)} → ${formatUtc(last.time, withTime)} UTC · ${formatNumber(candles.length, 0)} candles` +
    ` · last ${formatNumber(last.close)} (${formatPercent(change, 1, true)})`
  );
}
