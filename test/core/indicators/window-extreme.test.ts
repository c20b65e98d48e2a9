import { describe, expect, it } from "vitest";
import { WindowExtreme } from "../../../core/indicators/index.ts";

describe("WindowExtreme", () => {
  it("keeps the max and min of the last `period` values (hand-computed)", () => {
    const hi = new WindowExtreme(3, true);
    expect([1, 5, 2, 1, 0, 0].map((x) => hi.push(x))).toEqual([1, 5, 5, 5, 2, 1]);
    const lo = new WindowExtreme(2, false);
    expect([3, 1, 4, 1, 5].map((x) => lo.push(x))).toEqual([3, 1, 1, 1, 1]);
  });

  it("agrees with a scan of the window on random data, ties and runs included", () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 48271) % 2147483647;
      return seed;
    };
    for (const period of [1, 2, 3, 7, 50]) {
      const hi = new WindowExtreme(period, true);
      const lo = new WindowExtreme(period, false);
      const values: number[] = [];
      for (let i = 0; i < 5000; i++) {
        // Few distinct values make ties common; every 500 values a rising run of 60 crosses block boundaries.
        const x = i % 500 < 60 ? i % 500 : next() % 10;
        values.push(x);
        const window = values.slice(-period);
        expect(hi.push(x)).toBe(Math.max(...window));
        expect(lo.push(x)).toBe(Math.min(...window));
      }
    }
  });

  it("reset empties the window", () => {
    const hi = new WindowExtreme(3, true);
    hi.push(9);
    hi.reset();
    expect(hi.count).toBe(0);
    expect(hi.push(1)).toBe(1);
  });
});
