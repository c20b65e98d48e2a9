import { describe, expect, it } from "vitest";
import { findGaps } from "../../../core/market/gaps.ts";
import { appendStats } from "../../../core/market/series.ts";

const H = 3_600_000;

describe("findGaps", () => {
  it("lists each hole with the candles around it and how many are missing", () => {
    const t0 = Date.UTC(2024, 0, 1);
    const times = [0, 1, 2, 5, 6, 7, 8, 20].map((i) => t0 + i * H);
    expect(findGaps(times, "1h")).toEqual([
      { after: t0 + 2 * H, before: t0 + 5 * H, missing: 2 },
      { after: t0 + 8 * H, before: t0 + 20 * H, missing: 11 },
    ]);
  });

  it("finds nothing in a complete series, a single candle or an empty one", () => {
    expect(findGaps([0, H, 2 * H], "1h")).toEqual([]);
    expect(findGaps([H], "1h")).toEqual([]);
    expect(findGaps(new Float64Array(0), "1h")).toEqual([]);
  });

  it("works on Float64Array columns and other timeframes", () => {
    const day = 24 * H;
    expect(findGaps(new Float64Array([0, day, 4 * day]), "1d")).toEqual([{ after: day, before: 4 * day, missing: 2 }]);
  });
});

describe("appendStats", () => {
  const before = { count: 3, first: 10 * H, last: 12 * H, gaps: 0 };

  it("adds a block after the stored range, counting the hole between them", () => {
    expect(appendStats(before, { count: 2, first: 13 * H, last: 14 * H, gaps: 0 }, H)).toEqual({
      count: 5,
      first: 10 * H,
      last: 14 * H,
      gaps: 0,
    });
    expect(appendStats(before, { count: 2, first: 15 * H, last: 17 * H, gaps: 1 }, H)).toMatchObject({ gaps: 2 });
  });

  it("adds a block before the stored range", () => {
    expect(appendStats(before, { count: 1, first: 5 * H, last: 5 * H, gaps: 0 }, H)).toEqual({
      count: 4,
      first: 5 * H,
      last: 12 * H,
      gaps: 1,
    });
  });

  it("gives up on an overlapping block, which needs a recount", () => {
    expect(appendStats(before, { count: 2, first: 12 * H, last: 13 * H, gaps: 0 }, H)).toBeUndefined();
  });
});
