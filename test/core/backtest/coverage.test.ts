import { describe, expect, it } from "vitest";
import type { BacktestInput } from "../../../core/backtest/input.ts";
import { computeMetrics } from "../../../core/backtest/metrics/index.ts";
import { coverageNote, missingData, replayedData } from "../../../core/backtest/report/coverage.ts";
import { jsonReport, textReport } from "../../../core/backtest/report/index.ts";
import type { BacktestRun } from "../../../core/backtest/types.ts";
import { DAY, HOUR, makeRun, T0 } from "./metrics-fixture.ts";

/** Hourly steps from `start`, `count` of them. */
function hours(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i * HOUR);
}

/** A flat run at `times` asking for [from, to). */
function runAt(times: readonly number[], from: number | undefined, to: number | undefined) {
  return makeRun(
    times.map(() => 100),
    { times, settings: { from, to } },
  );
}

const note = (run: BacktestRun) => coverageNote(missingData(run));

describe("coverage note", () => {
  it("says nothing when the candles cover the range asked for", () => {
    expect(note(runAt(hours(T0, 48), T0, T0 + 48 * HOUR))).toBeUndefined();
    // A range left open at either end asks for whatever is stored.
    expect(note(runAt(hours(T0 + 30 * DAY, 48), undefined, undefined))).toBeUndefined();
  });

  it("names the stretch before the first candle and after the last one", () => {
    // Asked for January 1 to February 9, 2024; candles only from Jan 20 00:00 to Jan 25 23:00.
    const times = hours(T0 + 19 * DAY, 6 * 24);
    expect(note(runAt(times, T0, T0 + 40 * DAY))).toBe(
      "none stored from 2024-01-01 00:00 to 2024-01-20 00:00; none stored from 2024-01-26 00:00 to 2024-02-10 00:00",
    );
  });

  it("names the longest hole inside, and how many there are", () => {
    // Two days, a 9-day hole, two days, a 12-day hole, two days.
    const a = hours(T0, 48);
    const b = hours(T0 + 11 * DAY, 48);
    const c = hours(T0 + 25 * DAY, 48);
    expect(note(runAt([...a, ...b, ...c], T0, T0 + 27 * DAY))).toBe(
      "none stored from 2024-01-14 00:00 to 2024-01-26 00:00 (a hole in the series, the longest of 2: quantchat candles --gaps)",
    );
  });

  it("lets a weekend, a holiday or ten candles go unsaid", () => {
    // A 6-day hole and a 6-day late start on hourly candles: shorter than a week.
    const times = [...hours(T0 + 6 * DAY, 24), ...hours(T0 + 13 * DAY, 24)];
    expect(note(runAt(times, T0, T0 + 14 * DAY))).toBeUndefined();
    // Weekly candles: a month is under ten candles, so it goes unsaid; eleven weeks are not.
    // Two weekly candles, `gap` weeks without one, a third.
    const weekly = (gap: number) =>
      makeRun([100, 100, 100], {
        times: [T0, T0 + 7 * DAY, T0 + (2 + gap) * 7 * DAY],
        settings: { timeframe: "1w", from: T0, to: T0 + (3 + gap) * 7 * DAY },
      });
    expect(note(weekly(4))).toBeUndefined();
    expect(note(weekly(11))).toMatch(/^none stored from 2024-01-15 00:00 to 2024-04-01 00:00 \(a hole/);
  });

  it("is a line of the report's header, under the range", () => {
    const run = runAt(hours(T0 + 19 * DAY, 48), T0, T0 + 21 * DAY);
    const lines = textReport(run, computeMetrics(run)).split("\n");
    expect(lines[1]).toMatch(/^2024-01-20 00:00 \.\. 2024-01-21 23:00 UTC, 48 candles$/);
    expect(lines[2]).toBe("data      none stored from 2024-01-01 00:00 to 2024-01-20 00:00");
    expect(lines[3]).toMatch(/^params {4}/);
  });

  it("is in --json too, as times under data.missing", () => {
    const run = runAt(hours(T0 + 19 * DAY, 48), T0, T0 + 21 * DAY);
    expect(jsonReport(run, computeMetrics(run)).data).toEqual({
      first: T0 + 19 * DAY,
      last: T0 + 19 * DAY + 47 * HOUR,
      candles: 48,
      missing: { before: { from: T0, to: T0 + 19 * DAY } },
    });
    const full = runAt(hours(T0, 48), T0, T0 + 2 * DAY);
    expect(jsonReport(full, computeMetrics(full)).data).not.toHaveProperty("missing");
  });
});

describe("replayed data of a prepared input (what a sweep's runs share)", () => {
  /** Hourly candles at `times`, all at 100. */
  const columns = (times: readonly number[]) => {
    const flat = () => Float64Array.from(times, () => 100);
    return { time: Float64Array.from(times), open: flat(), high: flat(), low: flat(), close: flat(), volume: flat() };
  };
  const inputOf = (candles: Record<string, number[]>, start: number, from: number, to: number) =>
    ({
      symbols: Object.keys(candles),
      candles: Object.fromEntries(Object.entries(candles).map(([s, t]) => [s, columns(t)])),
      start,
      settings: { timeframe: "1h", from, to },
    }) as unknown as BacktestInput;

  it("counts the steps from the start, not the warm-up candles before it, and names what is missing", () => {
    // 24 warm-up hours before Jan 20, then Jan 20..21 traded; Jan 1..Feb 1 asked for.
    const input = inputOf({ "BTC/USDT": hours(T0 + 18 * DAY, 72) }, T0 + 19 * DAY, T0, T0 + 31 * DAY);
    expect(replayedData(input)).toEqual({
      first: T0 + 19 * DAY,
      last: T0 + 21 * DAY - HOUR,
      candles: 48,
      missing: { before: { from: T0, to: T0 + 19 * DAY }, after: { from: T0 + 21 * DAY, to: T0 + 31 * DAY } },
    });
  });

  it("joins the symbols' times, so a hole one symbol fills is no hole", () => {
    // BTC: days 0-1 and 12-13; ETH: days 2-11. Together every hour of 14 days.
    const btc = [...hours(T0, 48), ...hours(T0 + 12 * DAY, 48)];
    const eth = hours(T0 + 2 * DAY, 10 * 24);
    expect(replayedData(inputOf({ "BTC/USDT": btc, "ETH/USDT": eth }, T0, T0, T0 + 14 * DAY))).toEqual({
      first: T0,
      last: T0 + 14 * DAY - HOUR,
      candles: 14 * 24,
    });
    expect(replayedData(inputOf({ "BTC/USDT": btc }, T0, T0, T0 + 14 * DAY)).missing).toEqual({
      hole: { from: T0 + 2 * DAY, to: T0 + 12 * DAY, count: 1 },
    });
  });
});
