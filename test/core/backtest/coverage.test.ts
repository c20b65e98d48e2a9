import { describe, expect, it } from "vitest";
import { computeMetrics } from "../../../core/backtest/metrics/index.ts";
import { coverageNote } from "../../../core/backtest/report/coverage.ts";
import { jsonReport, textReport } from "../../../core/backtest/report/index.ts";
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

describe("coverage note", () => {
  it("says nothing when the candles cover the range asked for", () => {
    expect(coverageNote(runAt(hours(T0, 48), T0, T0 + 48 * HOUR))).toBeUndefined();
    // A range left open at either end asks for whatever is stored.
    expect(coverageNote(runAt(hours(T0 + 30 * DAY, 48), undefined, undefined))).toBeUndefined();
  });

  it("names the stretch before the first candle and after the last one", () => {
    // Asked for January 1 to February 9, 2024; candles only from Jan 20 00:00 to Jan 25 23:00.
    const times = hours(T0 + 19 * DAY, 6 * 24);
    expect(coverageNote(runAt(times, T0, T0 + 40 * DAY))).toBe(
      "none stored from 2024-01-01 00:00 to 2024-01-20 00:00; none stored from 2024-01-26 00:00 to 2024-02-10 00:00",
    );
  });

  it("names the longest hole inside, and how many there are", () => {
    // Two days, a 9-day hole, two days, a 12-day hole, two days.
    const a = hours(T0, 48);
    const b = hours(T0 + 11 * DAY, 48);
    const c = hours(T0 + 25 * DAY, 48);
    expect(coverageNote(runAt([...a, ...b, ...c], T0, T0 + 27 * DAY))).toBe(
      "none stored from 2024-01-14 00:00 to 2024-01-26 00:00 (a hole in the series, the longest of 2: quantchat candles --gaps)",
    );
  });

  it("lets a weekend, a holiday or ten candles go unsaid", () => {
    // A 6-day hole and a 6-day late start on hourly candles: shorter than a week.
    const times = [...hours(T0 + 6 * DAY, 24), ...hours(T0 + 13 * DAY, 24)];
    expect(coverageNote(runAt(times, T0, T0 + 14 * DAY))).toBeUndefined();
    // Weekly candles: a month is under ten candles, so it goes unsaid; eleven weeks are not.
    // Two weekly candles, `gap` weeks without one, a third.
    const weekly = (gap: number) =>
      makeRun([100, 100, 100], {
        times: [T0, T0 + 7 * DAY, T0 + (2 + gap) * 7 * DAY],
        settings: { timeframe: "1w", from: T0, to: T0 + (3 + gap) * 7 * DAY },
      });
    expect(coverageNote(weekly(4))).toBeUndefined();
    expect(coverageNote(weekly(11))).toMatch(/^none stored from 2024-01-15 00:00 to 2024-04-01 00:00 \(a hole/);
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
