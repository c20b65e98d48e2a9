import { describe, expect, it } from "vitest";
import { timeAxisLabel, timeLabels } from "../../../core/charts/time-labels.ts";

const H = 3_600_000;
const D = 24 * H;
const hourly = (from: number, n: number, step = H) => Array.from({ length: n }, (_, i) => from + i * step);
const atMost = (n: number) => (labels: readonly string[]) => labels.length <= n;

describe("time labels on category axes", () => {
  it("labels the bars where a round period begins, the finest period that fits", () => {
    const times = hourly(Date.UTC(2020, 11, 1, 0), 300); // 12.5 days of hours
    const labels = timeLabels(times, atMost(8));
    // Days would be 12 labels: too many. Every second day (UTC midnight, even days since 1970) fits.
    expect([...labels.values()]).toEqual([
      "2020-12-02",
      "2020-12-04",
      "2020-12-06",
      "2020-12-08",
      "2020-12-10",
      "2020-12-12",
    ]);
    for (const [index, text] of labels) expect(new Date(times[index] as number).toISOString().slice(0, 10)).toBe(text);
  });

  it("shows hours within a day and the date at midnight", () => {
    const times = hourly(Date.UTC(2024, 0, 1, 18), 12);
    // 18:00 to 05:00: every 3 hours fits in 4 labels (the first bar opens on one), every 4 in 3, every 6 in 2.
    expect([...timeLabels(times, atMost(4)).values()]).toEqual(["18:00", "21:00", "2024-01-02", "03:00"]);
    expect([...timeLabels(times, atMost(3)).values()]).toEqual(["20:00", "2024-01-02", "04:00"]);
    expect([...timeLabels(times, atMost(2)).values()]).toEqual(["18:00", "2024-01-02"]);
  });

  it("labels the first bar when it starts exactly on a period, and months over long ranges", () => {
    const days = hourly(Date.UTC(2024, 0, 1), 366, D);
    const labels = timeLabels(days, atMost(12));
    expect(labels.get(0)).toBe("2024-01");
    expect([...labels.values()]).toHaveLength(12);
    expect([...labels.values()].at(-1)).toBe("2024-12");
  });

  it("names the period's start when an aggregated bar began earlier", () => {
    // 6-hour buckets starting at 03:00: the day starts inside the bucket that opened at 21:00.
    const times = hourly(Date.UTC(2024, 0, 1, 3), 8, 6 * H);
    const labels = timeLabels(times, atMost(2));
    expect([...labels.entries()]).toEqual([[4, "2024-01-02"]]);
  });

  it("falls back to the first bar's exact time for a series shorter than a minute", () => {
    expect([...timeLabels([Date.UTC(2024, 0, 1, 9, 30, 5)], atMost(5)).entries()]).toEqual([[0, "2024-01-01 09:30"]]);
    expect(timeLabels([], atMost(5)).size).toBe(0);
  });
});

describe("time axis labels", () => {
  it("prints hours over short spans, dates over weeks, months over years", () => {
    expect(timeAxisLabel(2 * D)(Date.UTC(2024, 2, 1, 6))).toBe("06:00");
    expect(timeAxisLabel(2 * D)(Date.UTC(2024, 2, 1))).toBe("2024-03-01");
    expect(timeAxisLabel(60 * D)(Date.UTC(2024, 2, 15))).toBe("2024-03-15");
    expect(timeAxisLabel(500 * D)(Date.UTC(2024, 2, 1))).toBe("2024-03");
    expect(timeAxisLabel(2000 * D)(Date.UTC(2024, 0, 1))).toBe("2024");
  });
});
