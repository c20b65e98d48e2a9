import { describe, expect, it } from "vitest";
import { computeMetrics } from "../../../core/backtest/metrics/index.ts";
import { parseWalkForward, splitWindows } from "../../../core/backtest/walk-forward.ts";
import { stitchRuns } from "../../../core/backtest/walk-forward-stitch.ts";
import { HOUR, makeRun, T0, trade } from "./metrics-fixture.ts";

const DAY = 86_400_000;

describe("walk-forward windows", () => {
  it("roll by the test length: train 40, test 20 over [0, 100)", () => {
    // [0,40) -> [40,60); [20,60) -> [60,80); [40,80) -> [80,100); a fourth would test [100,120), past the end.
    expect(splitWindows(0, 100, { train: 40, test: 20, step: 20 })).toEqual([
      { index: 0, trainFrom: 0, trainTo: 40, testFrom: 40, testTo: 60 },
      { index: 1, trainFrom: 20, trainTo: 60, testFrom: 60, testTo: 80 },
      { index: 2, trainFrom: 40, trainTo: 80, testFrom: 80, testTo: 100 },
    ]);
  });

  it("only whole test windows; a longer step leaves gaps between tests", () => {
    // to = 110: the 10 after 100 cannot hold a whole test window.
    expect(splitWindows(0, 110, { train: 40, test: 20, step: 20 })).toHaveLength(3);
    // step 30: tests [40,60) and [70,90); the next would train [60,100) and test [100,120).
    expect(splitWindows(0, 100, { train: 40, test: 20, step: 30 }).map((w) => [w.testFrom, w.testTo])).toEqual([
      [40, 60],
      [70, 90],
    ]);
    expect(splitWindows(0, 50, { train: 40, test: 20, step: 20 })).toEqual([]); // too short for one
  });

  it("parses the flag in minutes, hours, days and weeks", () => {
    expect(parseWalkForward("train=180d,test=30d")).toEqual({ train: 180 * DAY, test: 30 * DAY, step: 30 * DAY });
    expect(parseWalkForward("train=4w, test=36h, step=90m")).toEqual({
      train: 28 * DAY,
      test: 36 * HOUR,
      step: 90 * 60_000,
    });
    expect(() => parseWalkForward("train=180d")).toThrow("--walk-forward train=180d: both train and test are needed");
    expect(() => parseWalkForward("train=180x,test=1d")).toThrow(/expected train=<length>,test=<length>/);
    expect(() => parseWalkForward("train=0d,test=1d")).toThrow("lengths must be greater than 0");
    expect(() => parseWalkForward("train=1d,train=2d,test=1d")).toThrow("train is given twice");
  });
});

describe("stitching the test windows", () => {
  it("compounds each window on the equity the earlier ones ended with", () => {
    // Window 1: 100 -> 110 (+10%), one trade +10. Window 2 restarts at 100: 100 -> 95 -> 105 (+5%).
    // Stitched: window 2 scaled by 110/100 = 1.1: 104.5, 115.5; out-of-sample return 115.5/100 - 1 = 15.5%
    // (= 1.1 × 1.05 - 1); its trade's pnl 5 becomes 5.5.
    const a = makeRun([105, 110], { trades: [trade(10, T0, T0 + HOUR)], fees: [1] });
    const b = makeRun([95, 105], {
      times: [T0 + 2 * HOUR, T0 + 3 * HOUR],
      trades: [trade(5, T0 + 2 * HOUR, T0 + 3 * HOUR)],
      fees: [2],
    });
    const run = stitchRuns([a, b]);
    expect(run.equity.map((p) => Number(p.equity.toFixed(9)))).toEqual([105, 110, 104.5, 115.5]);
    expect(run.trades.map((t) => Number(t.pnl.toFixed(9)))).toEqual([10, 5.5]);
    expect(run.fills.map((f) => Number(f.fee.toFixed(9)))).toEqual([1, 2.2]);
    expect(run.data).toEqual({ first: T0, last: T0 + 3 * HOUR, candles: 4 });
    const m = computeMetrics(run);
    expect(m.totalReturn).toBeCloseTo(0.155, 12);
    // Drawdown across the seam: 110 -> 104.5 is 104.5/110 - 1 = -5%.
    expect(m.maxDrawdown).toBeCloseTo(-0.05, 12);
    expect(m.trades).toBe(2);
  });
});
