import type { BacktestRun } from "../../../core/backtest/types.ts";
import { backtestChart, candleChart, dailyPnlChart, equityChart } from "../../../core/charts/index.ts";
import type { Candle, CandleColumns, Side } from "../../../core/domain/index.ts";
import type { ChartImage } from "../views.ts";

/** One of our fills on a candle chart. */
export interface TradeMarker {
  readonly time: number;
  readonly price: number;
  readonly side: Side;
  readonly kind: "entry" | "exit";
}

/**
 * The charts chat commands send. Async so that an implementation may render off the main thread
 * later; `coreCharts` draws them with core/charts (ECharts SVG, resvg PNG).
 */
export interface ChartPort {
  equity(input: {
    readonly title: string;
    readonly quote: string;
    readonly points: readonly { readonly time: number; readonly equity: number }[];
  }): Promise<ChartImage>;
  daily(input: {
    readonly title: string;
    readonly quote: string;
    readonly days: readonly { readonly day: string; readonly pnl: number }[];
  }): Promise<ChartImage>;
  candles(input: {
    readonly title: string;
    readonly candles: CandleColumns;
    readonly markers: readonly TradeMarker[];
  }): Promise<ChartImage>;
  /** Price with the run's entries and exits (`candles`: the replayed range), equity and drawdown. */
  backtest(input: {
    readonly title: string;
    readonly run: BacktestRun;
    readonly candles: CandleColumns;
  }): Promise<ChartImage>;
}

/** The size of a chat chart: wide enough for a phone held sideways, small enough to upload fast. */
export const CHAT_CHART = { width: 1000, height: 600 } as const;
export const BACKTEST_CHART = { width: 1200, height: 800 } as const;

/**
 * The ChartPort over core/charts.
 * @example const { png, width } = await coreCharts.equity({ title: "paper equity", quote: "USDT", points })
 */
export const coreCharts: ChartPort = {
  async equity({ title, quote, points }) {
    const equity = points.map((p) => ({ time: p.time, value: p.equity }));
    return image(equityChart({ title: `${title} (${quote})`, equity, drawdown: true }, CHAT_CHART));
  },
  async daily({ title, quote, days }) {
    return image(dailyPnlChart({ title: `${title} (${quote})`, days }, CHAT_CHART));
  },
  async candles({ title, candles, markers }) {
    const trades = markers.map((m) => ({ time: m.time, price: m.price, side: m.side, label: m.kind }));
    return image(candleChart({ title, candles: candleList(candles), trades }, CHAT_CHART));
  },
  async backtest({ title, run, candles }) {
    const trades = run.trades.flatMap((t) => {
      const entry = { time: t.entryTime, price: t.entryPrice, side: t.direction === "long" ? "buy" : "sell" } as const;
      if (t.exitTime === undefined || t.exitPrice === undefined) return [entry];
      const exit = { time: t.exitTime, price: t.exitPrice, side: t.direction === "long" ? "sell" : "buy" } as const;
      return [entry, exit];
    });
    const equity = run.equity.map((p) => ({ time: p.time, value: p.equity }));
    return image(backtestChart({ title, candles: candleList(candles), trades, equity }, BACKTEST_CHART));
  },
};

function image(chart: { png: Uint8Array; width: number; height: number }): ChartImage {
  return { png: chart.png, width: chart.width, height: chart.height };
}

/**
 * Columns as the list of candles core/charts draws.
 * @example candleList(await loadCandles(store, key, range, cacheDir))[0] // { time, open, high, low, close, volume }
 */
export function candleList(c: CandleColumns): Candle[] {
  const out: Candle[] = [];
  for (let i = 0; i < c.time.length; i++) {
    const close = c.close[i] as number;
    if (Number.isNaN(close)) continue;
    out.push({
      time: c.time[i] as number,
      open: c.open[i] as number,
      high: c.high[i] as number,
      low: c.low[i] as number,
      close,
      volume: c.volume[i] as number,
    });
  }
  return out;
}
