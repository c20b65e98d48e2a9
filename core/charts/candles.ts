import type { Candle } from "../domain/index.ts";
import { candleIndexAt, downsampleCandles } from "./downsample.ts";
import { type Chart, type ChartSize, renderChart } from "./render.ts";
import { COLORS, formatNumber, formatUtc, noDataOption, titleOption, valueAxisLabel } from "./theme.ts";

export interface TradeMarker {
  readonly time: number;
  readonly price: number;
  readonly side: "buy" | "sell";
  readonly label?: string;
}

export interface Overlay {
  readonly name: string;
  /** One value per input candle (null where undefined, e.g. during warm-up). */
  readonly values: readonly (number | null)[];
}

export const MAX_CANDLES = 500;

/** The price panel's series (candlesticks, overlays, entries and exits) on the given axes; shared with the backtest chart. */
export function priceSeries(
  candles: readonly Candle[],
  trades: readonly TradeMarker[],
  overlays: readonly Overlay[],
  axes: { xAxisIndex: number; yAxisIndex: number },
): { shown: Candle[]; categories: string[]; series: object[] } {
  const shown = downsampleCandles(candles, MAX_CANDLES);
  const per = Math.ceil(candles.length / shown.length);
  const intraday = shown.length > 1 && (shown[1] as Candle).time - (shown[0] as Candle).time < 86_400_000;
  const categories = shown.map((c) => formatUtc(c.time, intraday));
  const series: object[] = [
    {
      name: "price",
      type: "candlestick",
      ...axes,
      itemStyle: { color: COLORS.up, color0: COLORS.down, borderColor: COLORS.up, borderColor0: COLORS.down },
      data: shown.map((c) => [c.open, c.close, c.low, c.high]),
    },
  ];
  for (const overlay of overlays) {
    const values = shown.map((_, i) => overlay.values[Math.min(candles.length - 1, i * per + per - 1)] ?? null);
    series.push({
      name: overlay.name,
      type: "line",
      ...axes,
      showSymbol: false,
      lineStyle: { width: 1.2 },
      data: values,
    });
  }
  for (const side of ["buy", "sell"] as const) {
    const marks = trades.filter((t) => t.side === side);
    if (marks.length === 0) continue;
    series.push({
      name: side === "buy" ? "entries/buys" : "exits/sells",
      type: "scatter",
      ...axes,
      symbol: "triangle",
      symbolRotate: side === "buy" ? 0 : 180,
      symbolSize: 11,
      itemStyle: { color: side === "buy" ? COLORS.up : COLORS.down, borderColor: "#111827", borderWidth: 0.6 },
      data: marks.map((t) => [categories[candleIndexAt(shown, t.time)], t.price]),
    });
  }
  return { shown, categories, series };
}

/**
 * Candlesticks with volume below, our entries and exits as triangles, and optional indicator lines.
 * More than 500 candles are aggregated into coarser ones; every trade marker is kept.
 * @example candleChart({ title: "BTC/USDT 1h", candles, trades: [{ time, price, side: "buy" }] }).png
 */
export function candleChart(
  input: { title?: string; candles: readonly Candle[]; trades?: readonly TradeMarker[]; overlays?: readonly Overlay[] },
  size?: ChartSize,
): Chart {
  if (input.candles.length === 0) return renderChart(noDataOption(input.title), size);
  const { shown, categories, series } = priceSeries(input.candles, input.trades ?? [], input.overlays ?? [], {
    xAxisIndex: 0,
    yAxisIndex: 0,
  });
  series.push({
    name: "volume",
    type: "bar",
    xAxisIndex: 1,
    yAxisIndex: 1,
    data: shown.map((c) => ({
      value: c.volume,
      itemStyle: { color: c.close >= c.open ? COLORS.up : COLORS.down, opacity: 0.5 },
    })),
  });
  return renderChart(
    {
      title: titleOption(input.title),
      legend: { top: 14, right: 30, textStyle: { color: COLORS.text } },
      grid: [
        { left: 80, right: 30, top: 60, height: "60%" },
        { left: 80, right: 30, top: "78%", height: "14%" },
      ],
      xAxis: [
        { type: "category", data: categories, gridIndex: 0, axisLabel: { show: false }, boundaryGap: true },
        { type: "category", data: categories, gridIndex: 1, axisLabel: { color: COLORS.muted } },
      ],
      yAxis: [
        { scale: true, gridIndex: 0, axisLabel: valueAxisLabel(2), splitLine: { lineStyle: { color: COLORS.grid } } },
        {
          gridIndex: 1,
          axisLabel: { color: COLORS.muted, formatter: (v: number) => formatNumber(v, 0) },
          splitLine: { show: false },
        },
      ],
      series,
    },
    size,
  );
}
