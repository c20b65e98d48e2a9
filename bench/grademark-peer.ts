import { DataFrame } from "data-forge";
import "data-forge-indicators";
import { backtest as grademark } from "grademark";
import type { CandleColumns } from "../core/domain/index.ts";
import { Sma } from "../core/indicators/index.ts";

// The JS backtesting peer of the backtest bench (issue 5): grademark 0.3 on sma-cross's rules (long on
// a cross of the fast SMA above the slow one, flat on a cross below), measured two ways:
// - favoured: the SMAs by our own plain loop, so that only grademark's backtest() and the DataFrame it
//   reads are its time. Nobody uses grademark so, but it is the strictest reference we can give it.
// - as documented: the SMAs by data-forge-indicators on a DataFrame of the bars (`.sma(n)`, then
//   `withSeries(...).skip(...)`), as grademark's first example computes its indicator; our figure also
//   includes the plugin computing its SMAs. The cross itself (this bar's gap and the last one's) is still
//   our plain loop: grademark's own lookback would be slower, and it would not change what is compared.
// Neither sizes or charges fees (grademark has neither); each returns its number of trades.

type Bar = { time: Date; open: number; high: number; low: number; close: number; volume: number };
type CrossBar = Bar & { gap: number; previous: number };

/** grademark with the SMAs precomputed by a plain loop (favours it), each bar one literal with its gap. */
export function grademarkFavoured(c: CandleColumns, fastPeriod: number, slowPeriod: number): number {
  const bars = new Array<CrossBar>(c.close.length);
  const fast = new Sma(fastPeriod);
  const slow = new Sma(slowPeriod);
  let previous = Number.NaN;
  for (let i = 0; i < c.close.length; i++) {
    const close = c.close[i] as number;
    fast.update(close);
    slow.update(close);
    const gap = slow.ready ? fast.value - slow.value : Number.NaN;
    bars[i] = {
      time: new Date(c.time[i] as number),
      open: c.open[i] as number,
      high: c.high[i] as number,
      low: c.low[i] as number,
      close,
      volume: c.volume[i] as number,
      gap,
      previous,
    };
    previous = gap;
  }
  return crossTrades(bars);
}

/** grademark with its SMAs from data-forge-indicators, as its first example computes an indicator. */
export function grademarkDocumented(c: CandleColumns, fastPeriod: number, slowPeriod: number): number {
  const frame = new DataFrame(barsOf(c));
  const closes = frame.deflate((bar) => bar.close);
  const bars = frame
    .withSeries({ fast: closes.sma(fastPeriod), slow: closes.sma(slowPeriod) })
    .skip(slowPeriod - 1)
    .toArray() as (CrossBar & { fast: number; slow: number })[];
  let previous = Number.NaN;
  for (const bar of bars) {
    bar.gap = bar.fast - bar.slow;
    bar.previous = previous;
    previous = bar.gap;
  }
  return crossTrades(bars);
}

function barsOf(c: CandleColumns): Bar[] {
  const bars = new Array<Bar>(c.close.length);
  for (let i = 0; i < c.close.length; i++) {
    bars[i] = {
      time: new Date(c.time[i] as number),
      open: c.open[i] as number,
      high: c.high[i] as number,
      low: c.low[i] as number,
      close: c.close[i] as number,
      volume: c.volume[i] as number,
    };
  }
  return bars;
}

/** grademark's backtest() entering on a cross up and exiting on a cross down; its number of trades. */
function crossTrades(bars: CrossBar[]): number {
  const strategy = {
    entryRule: (enter: () => void, args: { bar: CrossBar }) => {
      if (args.bar.previous <= 0 && args.bar.gap > 0) enter();
    },
    exitRule: (exit: () => void, args: { bar: CrossBar }) => {
      if (args.bar.previous >= 0 && args.bar.gap < 0) exit();
    },
  };
  // grademark's generic strategy type does not infer from a literal.
  return grademark(strategy as any, new DataFrame(bars)).length;
}
