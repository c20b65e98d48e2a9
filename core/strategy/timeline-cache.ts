import type { CandleColumns } from "../domain/candle.ts";
import { buildTimeline, type CandleSeries, type Timeline } from "./timeline.ts";

/** What the runner accepts as candles: a timeline, one symbol's columns, or candles by symbol. */
export type SeriesInput = Timeline | CandleColumns | Readonly<Record<string, CandleSeries>>;

/**
 * The timelines an instance's runner builds from what it is given, one per input object (a backtest
 * passes the same columns on every call), and facts about them it looks up often.
 * @example const cache = new TimelineCache(["BTC/USDT"]); cache.of(columns) === cache.of(columns) // true
 */
export class TimelineCache {
  private readonly timelines = new WeakMap<object, Timeline>();
  private readonly firsts = new WeakMap<Timeline, Float64Array>();

  constructor(private readonly symbols: readonly string[]) {}

  of(series: SeriesInput): Timeline {
    if (isTimeline(series)) return series;
    const cached = this.timelines.get(series);
    if (cached) return cached;
    const symbols = this.symbols;
    const timeline = isColumns(series)
      ? buildTimeline({ [symbols[0] as string]: series }, symbols.slice(0, 1))
      : buildTimeline(series as Readonly<Record<string, CandleSeries>>, symbols);
    this.timelines.set(series, timeline);
    return timeline;
  }

  /** Per symbol of the timeline, the first step with a candle of it (Infinity when it has none). */
  firstSteps(timeline: Timeline): Float64Array {
    let firsts = this.firsts.get(timeline);
    if (!firsts) {
      firsts = new Float64Array(timeline.symbols.length).fill(Number.POSITIVE_INFINITY);
      timeline.columns.forEach((c, s) => {
        for (let i = 0; i < timeline.length; i++) {
          if (Number.isNaN(c.open[i] as number)) continue;
          (firsts as Float64Array)[s] = i;
          break;
        }
      });
      this.firsts.set(timeline, firsts);
    }
    return firsts;
  }
}

function isTimeline(value: object): value is Timeline {
  return "columns" in value && "symbols" in value && "length" in value;
}

function isColumns(value: object): value is CandleColumns {
  return "close" in value && (value as CandleColumns).close instanceof Float64Array;
}
