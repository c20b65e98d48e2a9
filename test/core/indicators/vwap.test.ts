import { VWAP } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Vwap, vwap } from "../../../core/indicators/index.ts";
import { candles, close, compareTail, DATASETS, typed } from "./candles.ts";

const DAY = 86_400_000;

describe("Vwap", () => {
  it("weights the typical price by volume (hand-computed)", () => {
    const v = new Vwap();
    expect(v.update(12, 8, 10, 100)).toBe(10); // typical (12 + 8 + 10) / 3 = 10
    expect(v.update(22, 18, 20, 300)).toBe(17.5); // (10 * 100 + 20 * 300) / 400
    expect(v.update(31, 29, 30, 0)).toBe(17.5); // no volume, no weight
  });

  it("restarts at each UTC day with resetDaily", () => {
    const v = new Vwap(true);
    const t0 = Date.UTC(2024, 0, 1);
    v.update(12, 8, 10, 100, t0);
    expect(v.update(22, 18, 20, 300, t0 + 23 * 3_600_000)).toBe(17.5);
    expect(v.update(33, 27, 30, 50, t0 + DAY)).toBe(30); // new day: only this candle
    expect(v.update(42, 38, 40, 50, t0 + DAY + 60_000)).toBe(35);
  });

  it("is undefined while no volume has traded, also after a reset of the session", () => {
    const v = new Vwap(true);
    const t0 = Date.UTC(2024, 0, 1);
    expect(v.update(10, 10, 10, 0, t0)).toBeUndefined();
    expect(v.ready).toBe(false);
    expect(v.value).toBeNaN();
    expect(v.update(10, 10, 10, 5, t0 + 60_000)).toBe(10);
    expect(v.update(20, 20, 20, 0, t0 + DAY)).toBeUndefined();
    expect(v.ready).toBe(false);
    v.reset();
    expect(v.value).toBeNaN();
  });

  it("needs the candle time with resetDaily", () => {
    expect(() => new Vwap(true).update(1, 1, 1, 1)).toThrow(RangeError);
  });

  it.each(DATASETS)("cumulative VWAP matches technicalindicators on %s", (file) => {
    const cols = candles(file);
    const { high, low, close: c, volume } = typed(cols);
    const theirs = VWAP.calculate({ high: cols.high, low: cols.low, close: cols.close, volume: cols.volume });
    expect(compareTail(vwap(high, low, c, volume), theirs)).toBe(cols.rows);
  });

  it("daily VWAP matches a plain per-day computation on hourly ETH candles", () => {
    // Reference: for each row, sum typical * volume and volume over the rows of the same UTC date so far.
    const cols = candles("binance_ETH-USDT_1h.csv.gz");
    const { high, low, close: c, volume, time } = typed(cols);
    const ours = vwap(high, low, c, volume, time);
    let day = "";
    let pv = 0;
    let vol = 0;
    for (let i = 0; i < cols.rows; i++) {
      const date = new Date(cols.time[i]!).toISOString().slice(0, 10);
      if (date !== day) {
        day = date;
        pv = 0;
        vol = 0;
      }
      pv += ((cols.high[i]! + cols.low[i]! + cols.close[i]!) / 3) * cols.volume[i]!;
      vol += cols.volume[i]!;
      expect(close(ours[i]!, pv / vol)).toBe(true);
    }
  });
});
