import { describe, expect, it } from "vitest";
import { cleanCandles, cleanPoints, drawdownSeries, thinPoints } from "../../../core/charts/series.ts";
import type { Candle } from "../../../core/domain/index.ts";

const candle = (time: number, close: number): Candle => ({
  time,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});

describe("chart input cleaning", () => {
  it("drops points that cannot be drawn and sorts the rest by time", () => {
    const points = cleanPoints([
      { time: 3, value: 30 },
      { time: 1, value: Number.NaN },
      { time: 2, value: 20 },
      { time: Number.NaN, value: 5 },
      undefined as never,
      { time: 0, value: Number.POSITIVE_INFINITY },
    ]);
    expect(points).toEqual([
      { time: 2, value: 20 },
      { time: 3, value: 30 },
    ]);
    expect(cleanPoints(undefined)).toEqual([]);
  });

  it("keeps each candle's input position so overlays follow it, and counts a missing volume as 0", () => {
    const input = [
      candle(2, 20),
      { ...candle(1, 10), close: Number.NaN },
      candle(0, 5),
      { ...candle(3, 7), volume: Number.NaN },
    ];
    const { candles, index } = cleanCandles(input);
    expect(candles.map((c) => c.time)).toEqual([0, 2, 3]);
    expect(index).toEqual([2, 0, 3]);
    expect(candles[2]?.volume).toBe(0);
  });
});

describe("drawdown and thinning", () => {
  it("computes drawdown from the running peak, in percent", () => {
    const dd = drawdownSeries([100, 120, 90, 130, 65].map((value, time) => ({ time, value })));
    // Peaks 100, 120, 120, 130, 130: 0, 0, (90-120)/120 = -25%, 0, (65-130)/130 = -50%.
    expect(dd.map((p) => p.value)).toEqual([0, 0, -25, 0, -50]);
    expect(drawdownSeries([{ time: 0, value: -5 }])[0]?.value).toBe(0);
  });

  it("thins a long line to the size asked, keeping the lowest and highest points and the last", () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ time: i, value: Math.sin(i / 300) * 100 + i / 100 }));
    points[4321] = { time: 4321, value: -1_000 };
    points[7777] = { time: 7777, value: 1_000 };
    const thin = thinPoints(points, 500);
    expect(thin.length).toBeLessThanOrEqual(502);
    expect(thin).toContainEqual({ time: 4321, value: -1_000 });
    expect(thin).toContainEqual({ time: 7777, value: 1_000 });
    expect(thin.at(-1)).toEqual(points.at(-1));
    expect(thin.every((p, i) => i === 0 || p.time > (thin[i - 1]?.time as number))).toBe(true);
    expect(thinPoints(points.slice(0, 10), 500)).toHaveLength(10);
  });
});
