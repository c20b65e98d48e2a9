import type { Candle, CandleColumns } from "../domain/candle.ts";
import { FIELDS_PER_SYMBOL } from "../plugins/sandbox/isolate/limits.ts";

/** Candles of one symbol: columns (the backtester's shape) or plain candles. */
export type CandleSeries = CandleColumns | readonly Candle[];

/**
 * Several symbols' candles merged by time: step `i` is the time `time[i]`, and `columns[s]` holds symbol
 * `s`'s candle of that step, or NaN in every field when it has none. A single symbol given as columns is
 * used as is (no copy).
 */
export interface Timeline {
  readonly symbols: readonly string[];
  readonly length: number;
  readonly time: Float64Array;
  readonly columns: readonly CandleColumns[];
}

const FIELDS = ["open", "high", "low", "close", "volume"] as const;

/**
 * Merges series by time (the union of their timestamps, each strictly increasing). Symbols keep the
 * order given: within a step, onCandle runs in that order.
 * @example buildTimeline({ "BTC/USDT": candles }).length === candles.length
 */
export function buildTimeline(
  series: Readonly<Record<string, CandleSeries>>,
  symbols: readonly string[] = Object.keys(series),
): Timeline {
  if (symbols.length === 0) throw new Error("a timeline needs at least one symbol");
  const columns = symbols.map((symbol) => {
    const s = series[symbol];
    if (!s) throw new Error(`no candles given for ${symbol}`);
    const c = toColumns(s);
    checkIncreasing(c.time, symbol);
    return c;
  });
  if (columns.length === 1) {
    const only = columns[0] as CandleColumns;
    return { symbols: [...symbols], length: only.time.length, time: only.time, columns };
  }
  const time = mergeTimes(columns.map((c) => c.time));
  const aligned = columns.map((c) => align(c, time));
  return { symbols: [...symbols], length: time.length, time, columns: aligned };
}

/** The candle of symbol index `s` at step `i`, or undefined when it has none there. */
export function candleAt(timeline: Timeline, s: number, i: number): Candle | undefined {
  const c = timeline.columns[s];
  if (!c || i < 0 || i >= timeline.length) return undefined;
  const open = c.open[i] as number;
  if (Number.isNaN(open)) return undefined;
  return {
    time: timeline.time[i] as number,
    open,
    high: c.high[i] as number,
    low: c.low[i] as number,
    close: c.close[i] as number,
    volume: c.volume[i] as number,
  };
}

/** The latest candle of symbol `s` at or before step `i`. */
export function lastCandleAt(timeline: Timeline, s: number, i: number): Candle | undefined {
  for (let k = Math.min(i, timeline.length - 1); k >= 0; k--) {
    const candle = candleAt(timeline, s, k);
    if (candle) return candle;
  }
  return undefined;
}

/** Steps [start, start + steps) packed for the sandbox: time, then per symbol open, high, low, close, volume. */
export function packWindow(timeline: Timeline, start: number, steps: number): Float64Array {
  const out = new Float64Array(steps * (1 + FIELDS_PER_SYMBOL * timeline.symbols.length));
  out.set(timeline.time.subarray(start, start + steps), 0);
  timeline.columns.forEach((c, s) => {
    FIELDS.forEach((field, f) => {
      out.set(c[field].subarray(start, start + steps), steps * (1 + FIELDS_PER_SYMBOL * s + f));
    });
  });
  return out;
}

/** Candles as columns; columns pass through. */
export function toColumns(series: CandleSeries): CandleColumns {
  if (!Array.isArray(series)) return series as CandleColumns;
  const candles = series as readonly Candle[];
  const n = candles.length;
  const out = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const c = candles[i] as Candle;
    out.time[i] = c.time;
    out.open[i] = c.open;
    out.high[i] = c.high;
    out.low[i] = c.low;
    out.close[i] = c.close;
    out.volume[i] = c.volume;
  }
  return out;
}

function checkIncreasing(time: Float64Array, symbol: string): void {
  for (let i = 1; i < time.length; i++) {
    if (!((time[i] as number) > (time[i - 1] as number))) {
      throw new Error(`${symbol}: candle times must be strictly increasing (index ${i})`);
    }
  }
}

/**
 * The union of several series' open times, sorted: a timeline's steps, without aligning the candles.
 * @example mergeTimes([Float64Array.of(0, 2), Float64Array.of(1, 2)]) // Float64Array [0, 1, 2]
 */
export function mergeTimes(times: readonly Float64Array[]): Float64Array {
  if (times.length === 1) return times[0] as Float64Array;
  const all = new Set<number>();
  for (const t of times) for (const v of t) all.add(v);
  return Float64Array.from([...all].sort((a, b) => a - b));
}

function align(columns: CandleColumns, time: Float64Array): CandleColumns {
  const n = time.length;
  const out = {
    time,
    open: new Float64Array(n).fill(Number.NaN),
    high: new Float64Array(n).fill(Number.NaN),
    low: new Float64Array(n).fill(Number.NaN),
    close: new Float64Array(n).fill(Number.NaN),
    volume: new Float64Array(n).fill(Number.NaN),
  };
  let k = 0;
  for (let i = 0; i < columns.time.length; i++) {
    const t = columns.time[i] as number;
    while ((time[k] as number) < t) k++;
    for (const field of FIELDS) out[field][k] = columns[field][i] as number;
  }
  return out;
}
