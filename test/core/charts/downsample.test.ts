import { describe, expect, it } from "vitest";
import { bucketCandles, bucketLast, candleIndexAt, downsampleCandles } from "../../../core/charts/downsample.ts";
import { shippedCandles } from "./helpers.ts";

const candles = shippedCandles("binance_BTC-USDT_1h.csv.gz", 1_201);

describe("candle downsampling", () => {
  it("aggregates runs of candles as a coarser timeframe would, keeping the first and the last", () => {
    const { candles: shown, size } = bucketCandles(candles, 500);
    expect(size).toBe(3);
    expect(shown).toHaveLength(401);
    const first = shown[0]!;
    expect(first.time).toBe(candles[0]!.time);
    expect(first.open).toBe(candles[0]!.open);
    expect(first.close).toBe(candles[2]!.close);
    expect(first.high).toBe(Math.max(...candles.slice(0, 3).map((c) => c.high)));
    expect(first.low).toBe(Math.min(...candles.slice(0, 3).map((c) => c.low)));
    expect(first.volume).toBeCloseTo(
      candles.slice(0, 3).reduce((v, c) => v + c.volume, 0),
      9,
    );
    // The last bucket holds only the last candle: it closes exactly where the series does.
    expect(shown.at(-1)).toEqual(candles.at(-1));
    expect(Math.max(...shown.map((c) => c.high))).toBe(Math.max(...candles.map((c) => c.high)));
    expect(Math.min(...shown.map((c) => c.low))).toBe(Math.min(...candles.map((c) => c.low)));
  });

  it("leaves short series alone", () => {
    expect(downsampleCandles(candles.slice(0, 500), 500)).toEqual(candles.slice(0, 500));
  });

  it("takes an overlay's last finite value per bucket", () => {
    expect(bucketLast([1, 2, null, Number.NaN, 5], 2, 3)).toEqual([2, null, 5]);
  });

  it("finds the candle whose span holds a time", () => {
    const t = candles.map((c) => c.time);
    expect(candleIndexAt(candles, t[3]!)).toBe(3);
    expect(candleIndexAt(candles, t[3]! + 1_000)).toBe(3);
    expect(candleIndexAt(candles, t[0]! - 1)).toBe(-1);
    expect(candleIndexAt(candles, t.at(-1)! + 10 * 3_600_000)).toBe(candles.length - 1);
  });
});
