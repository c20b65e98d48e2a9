import type { BacktestRun, BacktestSettings, BacktestTrade } from "../../../core/backtest/types.ts";
import type { Fill } from "../../../core/domain/index.ts";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const T0 = Date.UTC(2024, 0, 1); // a Monday

/** Settings of a hand-made run: 1h BTC/USDT, 100 of cash, no fees. */
export function settings(overrides: Partial<BacktestSettings> = {}): BacktestSettings {
  return {
    plugin: "sma-cross",
    exchange: "binance",
    symbols: ["BTC/USDT"],
    timeframe: "1h",
    from: T0,
    to: T0 + 10 * HOUR,
    params: { fast: 10, slow: 30 },
    cash: 100,
    fees: { kind: "percent", makerPct: 0.1, takerPct: 0.1 },
    slippageBps: 0,
    fill: "next-open",
    allowShort: false,
    risk: null,
    closeAtEnd: false,
    ...overrides,
  };
}

/**
 * A run whose equity points are `equity` at `times` (hourly from T0 when left out), with `trades` and
 * fills carrying `fees`. The benchmark repeats the equity, which is enough for tests not about it.
 */
export function makeRun(
  equity: readonly number[],
  options: {
    times?: readonly number[];
    trades?: readonly BacktestTrade[];
    fees?: readonly number[];
    benchmark?: readonly number[];
    settings?: Partial<BacktestSettings>;
  } = {},
): BacktestRun {
  const times = options.times ?? equity.map((_, i) => T0 + i * HOUR);
  const closes = options.benchmark ?? equity;
  return {
    settings: settings(options.settings),
    plugin: { id: "sma-cross", version: "1.0.0", codeHash: "ab".repeat(32) },
    data: { first: times[0] ?? T0, last: times[times.length - 1] ?? T0, candles: times.length },
    fills: (options.fees ?? []).map((fee, i) => fill(i, fee)),
    trades: options.trades ?? [],
    equity: equity.map((value, i) => ({ time: times[i] as number, equity: value, cash: value })),
    benchmark: closes.map((close, i) => ({ time: times[i] ?? T0 + i * HOUR, close })),
    verdicts: { approved: 0, resized: 0, rejected: 0 },
    openAtEnd: [],
  };
}

/** A closed (or, without `exit`, open) long trade of one unit. */
export function trade(
  pnl: number,
  entryTime: number,
  exitTime: number | undefined,
  extra: Partial<BacktestTrade> = {},
): BacktestTrade {
  return {
    symbol: "BTC/USDT",
    direction: "long",
    quantity: 1,
    entryTime,
    entryPrice: 100,
    ...(exitTime === undefined ? {} : { exitTime, exitPrice: 100 + pnl }),
    pnl,
    pnlPct: pnl, // one unit at 100: pnl in quote equals pnl in percent
    fees: 0,
    ...extra,
  };
}

function fill(i: number, fee: number): Fill {
  return {
    id: `f${i}`,
    clientOrderId: `c${i}`,
    accountId: "backtest",
    strategyId: "backtest",
    symbol: "BTC/USDT",
    side: i % 2 === 0 ? "buy" : "sell",
    amount: 1,
    price: 100,
    fee,
    feeCurrency: "USDT",
    time: T0 + i * HOUR,
  };
}
