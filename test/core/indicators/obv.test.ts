import { IndicatorsSync } from "@ixjb94/indicators";
import { OBV } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { Obv, obv } from "../../../core/indicators/index.ts";
import { candles, compareTail, DATASETS, typed } from "./candles.ts";

describe("Obv", () => {
  it("adds volume on up closes, subtracts on down closes (hand-computed)", () => {
    const o = new Obv();
    expect(o.ready).toBe(false);
    expect(o.value).toBeNaN();
    expect(o.update(10, 100)).toBe(0);
    expect(o.ready).toBe(true);
    expect(o.update(11, 50)).toBe(50);
    expect(o.update(11, 70)).toBe(50);
    expect(o.update(9, 20)).toBe(30);
    expect(Array.from(obv(Float64Array.of(10, 11, 11, 9), Float64Array.of(100, 50, 70, 20)))).toEqual([0, 50, 50, 30]);
  });

  it("reset starts from 0 again", () => {
    const o = new Obv();
    o.update(1, 5);
    o.update(2, 5);
    o.reset();
    expect(o.value).toBeNaN();
    expect(o.update(1, 5)).toBe(0);
  });

  it.each(DATASETS)("matches @ixjb94/indicators and technicalindicators on %s", (file) => {
    const cols = candles(file);
    const { close, volume } = typed(cols);
    const ours = obv(close, volume);
    expect(compareTail(ours, new IndicatorsSync().obv(cols.close, cols.volume))).toBe(cols.rows);
    // technicalindicators starts on the second candle with the same running total.
    expect(compareTail(ours, OBV.calculate({ close: cols.close, volume: cols.volume }), { sameWarmup: false })).toBe(
      cols.rows - 1,
    );
  });
});
