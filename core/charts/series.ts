import type { Candle } from "../domain/index.ts";

/** A point of a line over time: equity, a benchmark, drawdown. `time` in epoch ms. */
export interface TimeValue {
  readonly time: number;
  readonly value: number;
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * The points that can be drawn (finite time and value), in time order. Callers hand over whatever the store or
 * a run produced; a NaN from a division by zero must not break the picture or the axis range.
 * @example cleanPoints([{ time: 2, value: 1 }, { time: 1, value: NaN }]) // [{ time: 2, value: 1 }]
 */
export function cleanPoints(points: readonly TimeValue[] | undefined): TimeValue[] {
  const out = (points ?? []).filter((p) => p && finite(p.time) && finite(p.value));
  return isSorted(out) ? out : [...out].sort((a, b) => a.time - b.time);
}

/**
 * The candles that can be drawn, in time order, with `index[i]`, the position candle i had in the input
 * (overlays are given per input candle and must follow the candles they belong to). A missing volume
 * counts as 0 rather than dropping the bar.
 * @example cleanCandles([good, { ...bad, close: NaN }]).candles.length // 1
 */
export function cleanCandles(candles: readonly Candle[] | undefined): { candles: Candle[]; index: number[] } {
  let index: number[] = [];
  const input = candles ?? [];
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c && finite(c.time) && finite(c.open) && finite(c.high) && finite(c.low) && finite(c.close)) index.push(i);
  }
  const at = (i: number) => input[i] as Candle;
  if (!isSorted(index.map((i) => ({ time: at(i).time })))) index = [...index].sort((a, b) => at(a).time - at(b).time);
  const out = index.map((i) => {
    const c = at(i);
    return finite(c.volume) ? c : { ...c, volume: 0 };
  });
  return { candles: out, index };
}

function isSorted(points: readonly { time: number }[]): boolean {
  for (let i = 1; i < points.length; i++)
    if ((points[i] as TimeValue).time < (points[i - 1] as TimeValue).time) return false;
  return true;
}

/**
 * At most about `max` points of a line, keeping each bucket's lowest and highest point (in time order), so a
 * drawdown's worst dip and an equity peak survive where plain every-nth sampling would skip them.
 * @example thinPoints(hundredThousandPoints, 2000).length // <= 2000
 */
export function thinPoints(points: readonly TimeValue[], max: number): TimeValue[] {
  if (points.length <= max) return [...points];
  const per = Math.ceil(points.length / Math.max(1, Math.floor(max / 2)));
  const out: TimeValue[] = [];
  for (let i = 0; i < points.length; i += per) {
    let lo = points[i] as TimeValue;
    let hi = lo;
    for (let j = i + 1; j < Math.min(points.length, i + per); j++) {
      const p = points[j] as TimeValue;
      if (p.value < lo.value) lo = p;
      if (p.value > hi.value) hi = p;
    }
    if (lo === hi) out.push(lo);
    else out.push(...(lo.time <= hi.time ? [lo, hi] : [hi, lo]));
  }
  // The last point is the current equity: it must be exactly where the line ends.
  const last = points[points.length - 1] as TimeValue;
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

/**
 * Drawdown from the running peak, in percent (0 or negative), one per point. A peak of 0 or below has no
 * meaningful percentage, so the drawdown reads 0 there.
 * @example drawdownSeries([100, 120, 90].map((value, time) => ({ time, value }))).map((p) => p.value) // [0, 0, -25]
 */
export function drawdownSeries(equity: readonly TimeValue[]): TimeValue[] {
  let peak = Number.NEGATIVE_INFINITY;
  return equity.map((p) => {
    peak = Math.max(peak, p.value);
    return { time: p.time, value: peak > 0 ? ((p.value - peak) / peak) * 100 : 0 };
  });
}
