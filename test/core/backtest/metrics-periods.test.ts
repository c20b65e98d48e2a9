import { describe, expect, it } from "vitest";
import { breakdowns, computeMetrics, isoWeek } from "../../../core/backtest/metrics/index.ts";
import { makeRun, trade } from "./metrics-fixture.ts";

const at = (month: number, day: number, hour = 0) => Date.UTC(2024, month - 1, day, hour);

// Start 100; points on Mon 1 Jan (12:00, 18:00), Tue 2 Jan, Mon 8 Jan, Thu 1 Feb 2024.
const times = [at(1, 1, 12), at(1, 1, 18), at(1, 2, 12), at(1, 8), at(2, 1)];
const equity = [101, 102, 99, 110, 121];
const exits = [at(1, 1, 15), at(1, 2, 13)];

describe("per-period breakdown", () => {
  const b = breakdowns(100, times, equity, exits);

  it("by UTC day, each from the previous day's last equity", () => {
    expect(b.day.map((p) => [p.period, p.startEquity, p.endEquity, p.trades])).toEqual([
      ["2024-01-01", 100, 102, 1],
      ["2024-01-02", 102, 99, 1],
      ["2024-01-08", 99, 110, 0],
      ["2024-02-01", 110, 121, 0],
    ]);
    // 102/100 - 1 = 0.02; 99/102 - 1 = -1/34; 110/99 - 1 = 1/9; 121/110 - 1 = 0.1
    const returns = b.day.map((p) => p.return);
    expect(returns[0]).toBeCloseTo(0.02, 12);
    expect(returns[1]).toBeCloseTo(-1 / 34, 12);
    expect(returns[2]).toBeCloseTo(1 / 9, 12);
    expect(returns[3]).toBeCloseTo(0.1, 12);
    expect(b.day[0]).toMatchObject({ first: at(1, 1, 12), last: at(1, 1, 18), pnl: 2 });
  });

  it("by ISO week (Monday to Sunday, UTC)", () => {
    // W01 = 1..7 Jan: 100 -> 99 (-1%); W02 = 8 Jan: 99 -> 110; W05 = 29 Jan..4 Feb: 110 -> 121.
    expect(b.week.map((p) => [p.period, p.startEquity, p.endEquity, p.trades])).toEqual([
      ["2024-W01", 100, 99, 2],
      ["2024-W02", 99, 110, 0],
      ["2024-W05", 110, 121, 0],
    ]);
    expect(b.week[0]?.return).toBeCloseTo(-0.01, 12);
  });

  it("by month", () => {
    // January 100 -> 110 (+10%), February 110 -> 121 (+10%).
    expect(b.month.map((p) => [p.period, p.startEquity, p.endEquity, p.trades])).toEqual([
      ["2024-01", 100, 110, 2],
      ["2024-02", 110, 121, 0],
    ]);
    expect(b.month.map((p) => Number(p.return.toFixed(12)))).toEqual([0.1, 0.1]);
  });

  it("ISO week numbers around the turn of the year", () => {
    expect(isoWeek(Date.UTC(2024, 0, 1))).toBe("2024-W01"); // a Monday
    expect(isoWeek(Date.UTC(2021, 0, 1))).toBe("2020-W53"); // a Friday: its Thursday is 31 Dec 2020
    expect(isoWeek(Date.UTC(2024, 11, 30))).toBe("2025-W01"); // Monday; that week's Thursday is 2 Jan 2025
    expect(isoWeek(Date.UTC(2023, 0, 1, 23, 59))).toBe("2022-W52"); // a Sunday
  });

  it("computeMetrics counts closed trades where they closed and can skip the breakdowns", () => {
    const run = makeRun(equity, { times, trades: exits.map((exit) => trade(1, exit - 3_600_000, exit)) });
    expect(computeMetrics(run).periods.day.map((p) => p.trades)).toEqual([1, 1, 0, 0]);
    expect(computeMetrics(run, { breakdowns: false }).periods).toEqual({ day: [], week: [], month: [] });
  });
});
