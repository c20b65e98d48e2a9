import type { Candle } from "../domain/index.ts";
import { type Overlay, priceSeries, type TradeMarker } from "./candles.ts";
import { drawdownSeries, type TimeValue } from "./equity.ts";
import { type Chart, type ChartSize, renderChart } from "./render.ts";
import { COLORS, formatUtc, noDataOption, titleOption, valueAxisLabel } from "./theme.ts";

/**
 * The backtest picture in three panels: price with entries and exits, equity, and drawdown.
 * @example backtestChart({ title: "sma-cross BTC/USDT 1h", candles, trades, equity }).png
 */
export function backtestChart(
  input: {
    title: string;
    candles: readonly Candle[];
    trades: readonly TradeMarker[];
    equity: readonly TimeValue[];
    overlays?: readonly Overlay[];
  },
  size: ChartSize = { width: 1200, height: 800 },
): Chart {
  if (input.candles.length === 0 || input.equity.length === 0) return renderChart(noDataOption(input.title), size);
  const price = priceSeries(input.candles, input.trades, input.overlays ?? [], { xAxisIndex: 0, yAxisIndex: 0 });
  const equity = input.equity.filter((p) => Number.isFinite(p.value));
  const timeAxis = (gridIndex: number, show: boolean) => ({
    type: "time" as const,
    gridIndex,
    min: (input.candles[0] as Candle).time,
    max: (input.candles[input.candles.length - 1] as Candle).time,
    axisLabel: { show, color: COLORS.muted, hideOverlap: true, formatter: (v: number) => formatUtc(v) },
    splitNumber: 6,
    splitLine: { show: false },
  });
  return renderChart(
    {
      title: titleOption(input.title),
      legend: { top: 14, right: 30, textStyle: { color: COLORS.text } },
      grid: [
        { left: 90, right: 30, top: 60, height: "46%" },
        { left: 90, right: 30, top: "62%", height: "18%" },
        { left: 90, right: 30, top: "84%", height: "10%" },
      ],
      xAxis: [
        { type: "category", data: price.categories, gridIndex: 0, axisLabel: { color: COLORS.muted } },
        timeAxis(1, false),
        timeAxis(2, true),
      ],
      yAxis: [
        { scale: true, gridIndex: 0, axisLabel: valueAxisLabel(2), splitLine: { lineStyle: { color: COLORS.grid } } },
        {
          scale: true,
          gridIndex: 1,
          name: "equity",
          axisLabel: valueAxisLabel(0),
          splitLine: { lineStyle: { color: COLORS.grid } },
        },
        {
          gridIndex: 2,
          max: 0,
          name: "drawdown",
          axisLabel: { color: COLORS.muted, formatter: "{value}%" },
          splitLine: { show: false },
        },
      ],
      series: [
        ...price.series,
        {
          name: "equity",
          type: "line",
          xAxisIndex: 1,
          yAxisIndex: 1,
          showSymbol: false,
          lineStyle: { width: 2, color: COLORS.line },
          data: equity.map((p) => [p.time, p.value]),
        },
        {
          name: "drawdown",
          type: "line",
          xAxisIndex: 2,
          yAxisIndex: 2,
          showSymbol: false,
          lineStyle: { width: 1, color: COLORS.down },
          areaStyle: { color: COLORS.drawdown, opacity: 0.4 },
          data: drawdownSeries(equity).map((p) => [p.time, Number(p.value.toFixed(3))]),
        },
      ],
    },
    size,
  );
}
