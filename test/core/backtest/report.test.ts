import { describe, expect, it } from "vitest";
import { computeMetrics } from "../../../core/backtest/metrics/index.ts";
import {
  backtestChartInput,
  formatDuration,
  formatMoney,
  formatPct,
  formatQuantity,
  formatRatio,
  jsonReport,
  stringifyReport,
  textReport,
  thinEquity,
} from "../../../core/backtest/report/index.ts";
import { DAY, HOUR, makeRun, T0, trade } from "./metrics-fixture.ts";

describe("number formatting", () => {
  it("percentages, signed for returns", () => {
    expect(formatPct(0.12345)).toBe("12.35%");
    expect(formatPct(0.05, { signed: true })).toBe("+5.00%");
    expect(formatPct(-0.25)).toBe("-25.00%");
    expect(formatPct(12.5)).toBe("1,250.00%");
    expect(formatPct(-0.00001)).toBe("0.00%"); // no sign on a rounded zero
    expect(formatPct(null)).toBe("n/a");
  });

  it("money with thousands separators, ratios with two decimals and ∞", () => {
    expect(formatMoney(12345.678)).toBe("12,345.68");
    expect(formatMoney(-1234567.1)).toBe("-1,234,567.10");
    expect(formatMoney(3, { signed: true })).toBe("+3.00");
    expect(formatRatio(1.2345)).toBe("1.23");
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe("∞");
    expect(formatRatio(null)).toBe("n/a");
  });

  it("durations in their two largest units", () => {
    expect(formatDuration(3 * DAY + 4 * HOUR)).toBe("3d 4h");
    expect(formatDuration(3 * DAY)).toBe("3d");
    expect(formatDuration(90 * 60_000)).toBe("1h 30m");
    expect(formatDuration(45 * 60_000)).toBe("45m");
    expect(formatDuration(61_000)).toBe("1m 1s");
    expect(formatDuration(0)).toBe("0m");
    expect(formatDuration(null)).toBe("n/a");
  });

  it("prices and quantities to 8 significant digits", () => {
    expect(formatQuantity(42123.5)).toBe("42,123.5");
    expect(formatQuantity(0.000123456789)).toBe("0.00012346");
    expect(formatQuantity(1.5)).toBe("1.5");
  });
});

describe("text report", () => {
  // 1d candles from Sunday 31 Dec 2023; start 10,000; equity 11,000 -> 9,900 -> 10,890 -> 11,979.
  // Three closed trades (+1,000, -1,100, +990) and one still open; 4 periods a year so CAGR = total return.
  const times = [0, 1, 2, 3].map((d) => T0 - DAY + d * DAY);
  const run = {
    ...makeRun([11_000, 9_900, 10_890, 11_979], {
      times,
      settings: { cash: 10_000, timeframe: "1d", params: { fast: 10, slow: 30 }, slippageBps: 2 },
      trades: [
        trade(1_000, times[0] as number, times[1] as number, { pnlPct: 10 }),
        trade(-1_100, times[1] as number, times[2] as number, { pnlPct: -10 }),
        trade(990, times[2] as number, times[3] as number, { pnlPct: 10 }),
        trade(1_089, times[3] as number, undefined, { pnlPct: 10 }),
      ],
      fees: [10, 11, 9.9],
      benchmark: [100, 90, 95, 120],
    }),
    openAtEnd: [{ symbol: "BTC/USDT", quantity: 0.25, entryPrice: 43_560, lastPrice: 47_916 }],
  };
  const metrics = computeMetrics(run, { periodsPerYear: 4 });
  const text = textReport(run, metrics, { id: "bt_1234" });

  it("says what ran: plugin, code hash, series, range, params, settings", () => {
    expect(text.split("\n").slice(0, 4)).toEqual([
      "sma-cross 1.0.0 (code abababababab)  BTC/USDT 1d on binance",
      "2023-12-31 00:00 .. 2024-01-03 00:00 UTC, 4 candles",
      "params    fast=10 slow=30",
      "settings  cash 10,000.00, fee 0.1%, slippage 2 bps, fill next-open, long only, risk rules off, " +
        "open positions valued at the last close",
    ]);
  });

  it("groups returns, risk and trades, the figures aligned down the whole report", () => {
    // Total return 11,979 / 10,000 - 1 = 19.79%; buy and hold 120 / 100 - 1 = 20%; fees 10 + 11 + 9.9.
    // Drawdown 9,900 / 11,000 - 1 = -10%, from the peak on day 0 to 11,979 on day 3.
    // Profit factor (1,000 + 990) / 1,100 = 1.81; expectancy (1,000 - 1,100 + 990) / 3 = 296.67.
    const block = (title: string) => text.slice(text.indexOf(`${title}\n`)).split("\n\n")[0];
    expect(block("Returns")).toBe(
      [
        "Returns",
        "  Final equity      11,979.00  from 10,000.00",
        "  Total return        +19.79%",
        "  CAGR                +19.79%  over 1.00 years",
        "  Buy and hold        +20.00%  BTC/USDT",
        "  Fees paid             30.90",
      ].join("\n"),
    );
    expect(block("Risk")).toContain("  Max drawdown        -10.00%\n  Longest drawdown         3d  peak to recovery");
    expect(block("Trades")).toBe(
      [
        "Trades",
        "  Trades                    3  + 1 open at the end",
        "  Win rate             66.67%  2 won, 1 lost",
        "  Profit factor          1.81",
        "  Expectancy          +296.67  per trade",
        "  Average win         +995.00",
        "  Average loss      -1,100.00",
        "  Best trade          +10.00%  +1,000.00",
        "  Worst trade         -10.00%  -1,100.00",
        "  Average holding          1d",
      ].join("\n"),
    );
  });

  it("lists monthly returns, what is open at the end, and the stored id last", () => {
    // December: 10,000 -> 11,000; January: 11,000 -> 11,979 = +8.90%, all three trades closed in it.
    expect(text).toContain(
      "Monthly returns\n  2023-12  +10.00%  +1,000.00, 0 trades closed\n  2024-01   +8.90%  +979.00, 3 trades closed",
    );
    expect(text).toContain("open at the end: BTC/USDT long 0.25 from 43,560, valued at 47,916");
    expect(text.endsWith("stored as bt_1234\n")).toBe(true);
  });

  it("says n/a and ∞ where a metric is undefined or infinite", () => {
    const flat = makeRun([100, 100]);
    const none = textReport(flat, computeMetrics(flat));
    expect(none).toMatch(/Sharpe +n\/a/);
    expect(none).toMatch(/Profit factor +n\/a/);
    const wins = makeRun([100, 110], { trades: [trade(10, T0, T0 + HOUR)] });
    expect(textReport(wins, computeMetrics(wins))).toMatch(/Profit factor +∞/);
  });
});

describe("JSON report", () => {
  it("has every metric, the breakdowns, the run, and null for an infinite profit factor", () => {
    const run = makeRun([100, 110], { trades: [trade(10, T0, T0 + HOUR)] });
    const metrics = computeMetrics(run);
    const doc = JSON.parse(stringifyReport(jsonReport(run, metrics, { id: "x", engineVersion: "0.1.0" })));
    const { periods, ...summary } = metrics;
    expect(Object.keys(doc.metrics).sort()).toEqual(Object.keys(summary).sort());
    expect(doc.metrics.profitFactor).toBeNull();
    expect(doc.breakdowns.day).toHaveLength(periods.day.length);
    expect(doc).toMatchObject({ id: "x", engineVersion: "0.1.0", plugin: run.plugin, settings: run.settings });
    expect(doc.trades).toHaveLength(1);
    expect(doc.equity).toHaveLength(2);
  });
});

describe("JSON text", () => {
  it("reads back as what JSON.stringify writes, with each row of a list on one line", () => {
    const value = {
      n: 1,
      missing: undefined,
      closes: [100.5, Number.NaN],
      equity: [
        { time: 1, equity: 10_000, cash: 10_000 },
        { time: 2, equity: Number.POSITIVE_INFINITY, cash: 0 },
      ],
      nested: { empty: [], none: {}, deep: [{ inner: { x: 1 } }], at: new Date(0) },
      text: 'a "quoted" word',
    };
    const text = stringifyReport(value, 2);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    const lines = text.split("\n");
    expect(lines).toContain('    {"time":1,"equity":10000,"cash":10000},');
    expect(lines).toContain('    {"time":2,"equity":null,"cash":0}');
    expect(lines).toContain('    "empty": [],');
    // A record that holds another record is laid out, not squeezed onto a line.
    expect(lines).toContain('        "inner": {');
    expect(stringifyReport(value)).toBe(JSON.stringify(value));
  });
});

describe("chart input", () => {
  it("thins a long equity curve but keeps its start and each bucket's lowest point", () => {
    // 10 points in buckets of 4: [0..3] low 97 at 2, last 103; [4..7] low 90 at 5, last 100; [8, 9] low 104 (last).
    // The first point is neither its bucket's low nor its last, and stays: the curve starts from the cash.
    const values = [100, 99, 97, 103, 95, 90, 101, 100, 106, 104];
    const equity = values.map((v, i) => ({ time: i, equity: v, cash: v }));
    expect(thinEquity(equity, 3)).toEqual([
      { time: 0, value: 100 },
      { time: 2, value: 97 },
      { time: 3, value: 103 },
      { time: 5, value: 90 },
      { time: 7, value: 100 },
      { time: 9, value: 104 },
    ]);
    expect(thinEquity(equity, 10)).toHaveLength(10);
  });

  it("candles of the first symbol, a marker per fill, the headline in the title", () => {
    const run = makeRun([100, 110], { fees: [0, 0] });
    const columns = {
      time: Float64Array.of(T0, T0 + HOUR),
      open: Float64Array.of(1, 2),
      high: Float64Array.of(3, 4),
      low: Float64Array.of(0.5, 1.5),
      close: Float64Array.of(2, 3),
      volume: Float64Array.of(10, 20),
    };
    const input = backtestChartInput(run, computeMetrics(run), columns);
    // Returns 0 and +10%: mean 0.05, sd √(2 × 0.05²) = 0.0707; Sharpe 0.05 / 0.0707 × √8760 = 66.18.
    expect(input.title).toBe("sma-cross BTC/USDT 1h: +10.00%, Sharpe 66.18");
    expect(input.candles[1]).toEqual({ time: T0 + HOUR, open: 2, high: 4, low: 1.5, close: 3, volume: 20 });
    expect(input.trades).toEqual([
      { time: T0, price: 100, side: "buy" },
      { time: T0 + HOUR, price: 100, side: "sell" },
    ]);
    expect(input.equity).toEqual([
      { time: T0, value: 100 },
      { time: T0 + HOUR, value: 110 },
    ]);
  });
});
