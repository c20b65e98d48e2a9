import { describe, expect, it } from "vitest";
import {
  cagr,
  computeMetrics,
  downsideDeviation,
  drawdownStats,
  exposure,
  periodRate,
  periodsPerYear,
  riskRatios,
  sampleStd,
  stepReturns,
  summarise,
  tradeStats,
} from "../../../core/backtest/metrics/index.ts";
import { DAY, HOUR, makeRun, T0, trade } from "./metrics-fixture.ts";

// Every expected number below is worked out by hand in the comment beside it; the formulas are the ones
// docs/backtest-metrics.md writes down.

// Equity 100 (start) -> 110 -> 99 -> 108.9 -> 119.79: step returns +10%, -10%, +10%, +10%.
const CURVE = [110, 99, 108.9, 119.79];

describe("returns", () => {
  it("step returns start from the starting cash", () => {
    // 110/100 - 1 = 0.1; 99/110 - 1 = -0.1; 108.9/99 - 1 = 0.1; 119.79/108.9 - 1 = 0.1
    const r = Array.from(stepReturns(100, CURVE));
    expect(r.map((x) => Number(x.toFixed(12)))).toEqual([0.1, -0.1, 0.1, 0.1]);
  });

  it("total return and CAGR", () => {
    const m = computeMetrics(makeRun(CURVE), { periodsPerYear: 4 });
    expect(m.finalEquity).toBe(119.79);
    expect(m.totalReturn).toBeCloseTo(0.1979, 12); // 119.79 / 100 - 1
    expect(m.years).toBe(1); // 4 returns / 4 per year
    expect(m.cagr).toBeCloseTo(0.1979, 12); // (119.79/100)^(1/1) - 1
    // Two years: (121 / 100)^(1/2) - 1 = 1.1 - 1
    expect(cagr(100, 121, 2)).toBeCloseTo(0.1, 12);
    // Half a year: (110 / 100)^(1/0.5) - 1 = 1.21 - 1
    expect(cagr(100, 110, 0.5)).toBeCloseTo(0.21, 12);
    expect(cagr(100, 0, 1)).toBe(-1); // wiped out
    expect(cagr(100, 110, 0)).toBeNull(); // no time passed
  });

  it("annualised volatility, Sharpe and Sortino with a zero risk-free rate", () => {
    // mean = (0.1 - 0.1 + 0.1 + 0.1) / 4 = 0.05
    // squared deviations: 0.05² + 0.15² + 0.05² + 0.05² = 0.0025 + 0.0225 + 0.0025 + 0.0025 = 0.03
    // sample variance 0.03 / 3 = 0.01, sd = 0.1; annualised with 4 periods a year: 0.1 × √4 = 0.2
    // Sharpe = 0.05 / 0.1 × √4 = 1
    // downside: only -0.1 falls below 0: √(0.01 / 4) = 0.05; Sortino = 0.05 / 0.05 × √4 = 2
    const m = computeMetrics(makeRun(CURVE), { periodsPerYear: 4 });
    expect(m.volatility).toBeCloseTo(0.2, 12);
    expect(m.sharpe).toBeCloseTo(1, 12);
    expect(m.sortino).toBeCloseTo(2, 12);
    expect(sampleStd([1, 2, 6])).toBeCloseTo(Math.sqrt(7), 12); // ((1-3)² + (2-3)² + (6-3)²) / 2 = 7
    expect(downsideDeviation([0.1, -0.2, 0], 0)).toBeCloseTo(Math.sqrt(0.04 / 3), 12);
  });

  it("Sharpe and Sortino subtract the per-period risk-free rate", () => {
    // Annual 1.01^4 - 1 = 0.04060401 compounds from 1% a period over 4 periods.
    expect(periodRate(0.04060401, 4)).toBeCloseTo(0.01, 12);
    expect(periodRate(0.21, 2)).toBeCloseTo(0.1, 12); // 1.1² = 1.21
    // excess mean 0.05 - 0.01 = 0.04; Sharpe = 0.04 / 0.1 × 2 = 0.8
    // shortfalls below 0.01: only -0.1 - 0.01 = -0.11; √(0.0121 / 4) = 0.055; Sortino = 0.04 / 0.055 × 2 = 16/11
    const m = computeMetrics(makeRun(CURVE), { periodsPerYear: 4, riskFreeRate: 0.04060401 });
    expect(m.sharpe).toBeCloseTo(0.8, 10);
    expect(m.sortino).toBeCloseTo(16 / 11, 10);
    expect(m.volatility).toBeCloseTo(0.2, 12); // the rate does not move the spread
  });

  it("Calmar is CAGR over the depth of the worst drawdown", () => {
    // CAGR 0.1979 (one year); worst drawdown 99 / 110 - 1 = -0.1; Calmar = 0.1979 / 0.1 = 1.979
    const m = computeMetrics(makeRun(CURVE), { periodsPerYear: 4 });
    expect(m.calmar).toBeCloseTo(1.979, 12);
  });
});

describe("annualisation", () => {
  it("365 days a year: one year of candles of the timeframe", () => {
    expect(periodsPerYear("1h")).toBe(8760); // 365 × 24
    expect(periodsPerYear("5m")).toBe(105_120); // 365 × 24 × 12
    expect(periodsPerYear("1d")).toBe(365);
    expect(periodsPerYear("1w")).toBeCloseTo(365 / 7, 12);
  });

  it("252 trading days: candles per day counted from the data", () => {
    // Daily candles: one a day, 252 a year.
    const days = [0, 1, 2, 3, 4].map((d) => T0 + d * DAY);
    expect(periodsPerYear("1d", { daysPerYear: 252, times: days })).toBe(252);
    // A 7-candle session on each of two days: 14 candles over 2 days = 7 a day, 252 × 7 = 1764.
    const session = [0, 1].flatMap((d) => [14, 15, 16, 17, 18, 19, 20].map((h) => T0 + d * DAY + h * HOUR));
    expect(periodsPerYear("1h", { daysPerYear: 252, times: session })).toBe(1764);
    expect(periodsPerYear("1w", { daysPerYear: 252 })).toBe(52);
  });

  it("computeMetrics annualises from the run's timeframe", () => {
    const m = computeMetrics(makeRun(CURVE)); // 1h
    expect(m.periodsPerYear).toBe(8760);
    expect(m.years).toBeCloseTo(4 / 8760, 15);
    expect(m.volatility).toBeCloseTo(0.1 * Math.sqrt(8760), 10); // sd 0.1 per hour
  });
});

describe("drawdown", () => {
  it("depth and peak-to-recovery duration", () => {
    // Start 100 at t=0; 120 is the peak (t=1); 90 is 90/120 - 1 = -25% below it; 130 (t=3) recovers: 3 - 1 = 2.
    expect(drawdownStats(100, 0, [120, 90, 130], [1, 2, 3])).toEqual({ maxDrawdown: -0.25, maxDrawdownDuration: 2 });
    // The longest spell need not be the deepest: 100 -> 95 (-5%) for 5, then 100 -> 80 (-20%) for 2.
    // peak 100 at 0; 95 at 1..4; back to 100 at 5 (5 - 0 = 5); 80 at 6; 101 at 7 (7 - 5 = 2).
    const two = drawdownStats(100, 0, [95, 95, 95, 95, 100, 80, 101], [1, 2, 3, 4, 5, 6, 7]);
    expect(two.maxDrawdown).toBeCloseTo(-0.2, 12); // 80 / 100 - 1
    expect(two.maxDrawdownDuration).toBe(5);
    // Never recovered: runs from the peak (t=1) to the last point (t=3).
    expect(drawdownStats(100, 0, [110, 100, 99], [1, 2, 3]).maxDrawdownDuration).toBe(2);
  });

  it("the curve of the hand case: 10% deep, three days from the peak at 110 to 119.79", () => {
    const times = [1, 2, 3, 4].map((d) => T0 + d * DAY);
    const m = computeMetrics(makeRun(CURVE, { times, settings: { timeframe: "1d" } }));
    expect(m.maxDrawdown).toBeCloseTo(-0.1, 12); // 99 / 110 - 1
    expect(m.maxDrawdownDuration).toBe(3 * DAY); // 110 on day 1, back above it on day 4
  });

  it("a loss on the first candle counts against the starting cash, one step before it", () => {
    // start 100 at T0 - 1h; 90 at T0 (-10%); 100 at T0 + 1h recovers: 2 hours under water.
    const m = computeMetrics(makeRun([90, 100]));
    expect(m.maxDrawdown).toBeCloseTo(-0.1, 12);
    expect(m.maxDrawdownDuration).toBe(2 * HOUR);
  });
});

describe("trades", () => {
  // Four closed trades and one still open:
  //   +9 held 2h, -4 held 1h, +3 held 3h, 0 held 2h; open +5 (not counted).
  const trades = [
    trade(9, T0, T0 + 2 * HOUR),
    trade(-4, T0 + 3 * HOUR, T0 + 4 * HOUR),
    trade(3, T0 + 5 * HOUR, T0 + 8 * HOUR),
    trade(0, T0 + 8 * HOUR, T0 + 10 * HOUR),
    trade(5, T0 + 10 * HOUR, undefined),
  ];

  it("win rate, profit factor, expectancy, averages, extremes, holding time", () => {
    const s = tradeStats(trades);
    expect(s.trades).toBe(4);
    expect(s.openTrades).toBe(1);
    expect(s.wins).toBe(2); // +9, +3
    expect(s.losses).toBe(1); // -4; the 0 trade is neither
    expect(s.winRate).toBe(0.5); // 2 / 4
    expect(s.profitFactor).toBe(3); // (9 + 3) / 4
    expect(s.expectancy).toBe(2); // (9 - 4 + 3 + 0) / 4 = 0.5 × 6 + 0.25 × (-4)
    expect(s.averageWin).toBe(6); // (9 + 3) / 2
    expect(s.averageLoss).toBe(-4);
    expect(s.bestTrade).toMatchObject({ pnl: 9, pnlPct: 9, entryTime: T0 });
    expect(s.worstTrade).toMatchObject({ pnl: -4, pnlPct: -4, entryTime: T0 + 3 * HOUR });
    expect(s.averageHolding).toBe(2 * HOUR); // (2 + 1 + 3 + 2) / 4
  });

  it("exposure: candles with a position open at their open time, overlaps counted once", () => {
    const times = Array.from({ length: 10 }, (_, i) => T0 + i * HOUR);
    // [t0,t2) -> t0,t1; [t3,t4) -> t3; [t5,t8) and [t6,t7) -> t5,t6,t7; open from t9 -> t9: 7 of 10.
    const spans = [
      trade(1, T0, T0 + 2 * HOUR),
      trade(1, T0 + 3 * HOUR, T0 + 4 * HOUR),
      trade(1, T0 + 5 * HOUR, T0 + 8 * HOUR),
      trade(1, T0 + 6 * HOUR, T0 + 7 * HOUR, { symbol: "ETH/USDT" }),
      trade(1, T0 + 9 * HOUR, undefined),
    ];
    expect(exposure(times, spans)).toBeCloseTo(0.7, 12);
    expect(exposure(times, [])).toBe(0);
  });

  it("fees from every fill, buy-and-hold from the benchmark's first and last close", () => {
    const run = makeRun([100, 100, 100], { fees: [1, 0.5, 0.25], benchmark: [100, 90, 120] });
    const m = computeMetrics(run);
    expect(m.fees).toBe(1.75); // 1 + 0.5 + 0.25
    expect(m.buyAndHoldReturn).toBeCloseTo(0.2, 12); // 120 / 100 - 1
  });
});

describe("edge cases", () => {
  it("no trades and a flat curve: zero volatility, undefined ratios", () => {
    const m = computeMetrics(makeRun([100, 100, 100]));
    expect(m).toMatchObject({
      finalEquity: 100,
      totalReturn: 0,
      cagr: 0,
      volatility: 0,
      sharpe: null,
      sortino: null,
      calmar: null,
      maxDrawdown: 0,
      maxDrawdownDuration: 0,
      exposure: 0,
      trades: 0,
      winRate: null,
      profitFactor: null,
      expectancy: null,
      averageWin: null,
      averageLoss: null,
      bestTrade: null,
      worstTrade: null,
      averageHolding: null,
      fees: 0,
    });
  });

  it("all wins: profit factor is infinite, no average loss", () => {
    const s = tradeStats([trade(2, T0, T0 + HOUR), trade(4, T0 + HOUR, T0 + 2 * HOUR)]);
    expect(s.profitFactor).toBe(Number.POSITIVE_INFINITY);
    expect(s.winRate).toBe(1);
    expect(s.averageLoss).toBeNull();
    expect(s.expectancy).toBe(3);
  });

  it("zero volatility with steady growth: volatility 0, Sharpe and Sortino undefined", () => {
    // +1% every step: every return is 0.01, the spread is only rounding noise.
    const m = computeMetrics(makeRun([101, 102.01, 103.0301, 104.060401]));
    expect(m.volatility).toBe(0);
    expect(m.sharpe).toBeNull();
    expect(m.sortino).toBeNull(); // nothing below the risk-free rate
    expect(m.maxDrawdown).toBe(0);
    expect(riskRatios(Float64Array.of(0, 0, 0), 365, 0)).toEqual({ volatility: 0, sharpe: null, sortino: null });
  });

  it("one candle: a return and a drawdown, but no spread to measure", () => {
    const m = computeMetrics(makeRun([95]));
    expect(m.totalReturn).toBeCloseTo(-0.05, 12);
    expect(m.maxDrawdown).toBeCloseTo(-0.05, 12);
    expect(m.years).toBe(1 / 8760);
    expect(m.volatility).toBeNull();
    expect(m.sharpe).toBeNull();
    expect(m.sortino).toBeNull();
    expect(m.periods.day).toHaveLength(1);
  });

  it("no candles at all: the starting cash, nothing annualised", () => {
    const m = computeMetrics(makeRun([]));
    expect(m.finalEquity).toBe(100);
    expect(m.totalReturn).toBe(0);
    expect(m.cagr).toBeNull();
    expect(m.buyAndHoldReturn).toBeNull();
    expect(m.periods).toEqual({ day: [], week: [], month: [] });
  });

  it("summarise drops the breakdowns and nothing else", () => {
    const m = computeMetrics(makeRun(CURVE));
    const s = summarise(m);
    expect("periods" in s).toBe(false);
    expect({ ...s, periods: m.periods }).toEqual(m);
  });
});
