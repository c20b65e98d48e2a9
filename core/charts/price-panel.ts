import type { Candle } from "../domain/index.ts";
import { bucketCandles, bucketLast, candleIndexAt, MAX_CANDLES } from "./downsample.ts";
import type { LegendItem } from "./header.ts";
import { COLORS, OVERLAY_COLORS } from "./theme.ts";

/** One of our fills drawn on the price: a triangle pointing up (buy) or down (sell), its tip at the price. */
export interface TradeMarker {
  readonly time: number;
  readonly price: number;
  readonly side: "buy" | "sell";
  /** A word shown beside the marker ("entry", "exit", "stop") when there are few enough to read. */
  readonly label?: string;
}

/** An indicator line over the candles, e.g. an SMA. */
export interface Overlay {
  readonly name: string;
  /** One value per input candle; null (or NaN) where undefined, e.g. during warm-up. */
  readonly values: readonly (number | null)[];
}

/** The price panel of the candle and backtest charts, as series on the axes given. */
export interface PricePanel {
  /** Open time of each drawn candle (after aggregation): the category axis. */
  readonly times: number[];
  readonly candles: Candle[];
  /** How many input candles each drawn candle aggregates. */
  readonly size: number;
  readonly series: object[];
  readonly legend: LegendItem[];
  /** The price range to show: candles, overlays and markers. */
  readonly low: number;
  readonly high: number;
  readonly markers: number;
}

const MARKER_LABELS_UP_TO = 30;

/**
 * Candlesticks, overlays and trade markers for candles already cleaned and in time order (overlay values
 * aligned with them). Beyond MAX_CANDLES the candles are aggregated; every trade inside the candles' time
 * range keeps its marker, on the drawn candle whose span holds it.
 * @example pricePanel(candles, trades, [], { xAxisIndex: 0, yAxisIndex: 0 }).series.length // 3: candles, buys, sells
 */
export function pricePanel(
  input: readonly Candle[],
  trades: readonly TradeMarker[],
  overlays: readonly Overlay[],
  axes: { xAxisIndex: number; yAxisIndex: number },
): PricePanel {
  const { candles, size } = bucketCandles(input, MAX_CANDLES);
  const times = candles.map((c) => c.time);
  let low = Math.min(...candles.map((c) => c.low));
  let high = Math.max(...candles.map((c) => c.high));
  const series: object[] = [
    {
      name: "price",
      type: "candlestick",
      ...axes,
      large: false,
      barMaxWidth: 14,
      itemStyle: {
        color: COLORS.up,
        color0: COLORS.down,
        borderColor: COLORS.up,
        borderColor0: COLORS.down,
        borderColorDoji: COLORS.muted,
      },
      data: candles.map((c) => [c.open, c.close, c.low, c.high]),
    },
  ];
  const legend: LegendItem[] = [{ name: "price" }];
  overlays.forEach((overlay, k) => {
    const values = bucketLast(overlay.values, size, candles.length);
    for (const v of values) if (v !== null) [low, high] = [Math.min(low, v), Math.max(high, v)];
    const color = OVERLAY_COLORS[k % OVERLAY_COLORS.length];
    series.push({
      name: overlay.name,
      type: "line",
      ...axes,
      showSymbol: false,
      color,
      lineStyle: { width: 1.5, color },
      data: values,
    });
    legend.push({ name: overlay.name });
  });
  const placed = placeTrades(input, candles, trades);
  for (const t of placed) [low, high] = [Math.min(low, t.price), Math.max(high, t.price)];
  const symbolSize = placed.length > 100 ? 10 : 13;
  const withLabels = placed.length <= MARKER_LABELS_UP_TO;
  for (const side of ["buy", "sell"] as const) {
    const marks = placed.filter((t) => t.side === side);
    if (marks.length === 0) continue;
    const color = side === "buy" ? COLORS.buy : COLORS.sell;
    series.push({
      name: side,
      type: "scatter",
      ...axes,
      z: 5,
      symbol: "triangle",
      symbolSize,
      // The tip sits on the fill price: buys from below, sells (turned over) from above.
      symbolRotate: side === "buy" ? 0 : 180,
      symbolOffset: [0, side === "buy" ? symbolSize / 2 : -symbolSize / 2],
      color,
      itemStyle: { color, opacity: 1, borderColor: COLORS.background, borderWidth: 1 },
      label: {
        show: withLabels,
        position: side === "buy" ? "bottom" : "top",
        distance: 3,
        fontSize: 10,
        color,
        // A white chip keeps the word readable on top of candles of the same colour.
        backgroundColor: COLORS.background,
        padding: [1, 3],
        borderRadius: 2,
        formatter: (p: { name?: string }) => p.name ?? "",
      },
      data: marks.map((t) => ({ value: [t.index, t.price], name: t.label ?? "" })),
    });
    legend.push({ name: side, icon: "triangle" });
  }
  return { times, candles, size, series, legend, low, high, markers: placed.length };
}

/**
 * Each trade with the index of the drawn candle it belongs to. Trades before the first candle or after the
 * last one closed are left out: a marker at the edge would claim a fill at a price the chart does not show.
 */
function placeTrades(
  input: readonly Candle[],
  drawn: readonly Candle[],
  trades: readonly TradeMarker[],
): (TradeMarker & { index: number })[] {
  const last = input[input.length - 1] as Candle;
  const step = input.length > 1 ? last.time - (input[input.length - 2] as Candle).time : 0;
  const out: (TradeMarker & { index: number })[] = [];
  for (const t of trades) {
    if (!t || !Number.isFinite(t.time) || !Number.isFinite(t.price)) continue;
    if (step > 0 ? t.time >= last.time + step : t.time > last.time) continue;
    const index = candleIndexAt(drawn, t.time);
    if (index >= 0) out.push({ ...t, index });
  }
  return out;
}
