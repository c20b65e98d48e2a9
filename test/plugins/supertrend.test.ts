import { describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../core/plugins/evaluate.ts";
import { brief, cover, entry, exit, fromOhlc, pluginDir, shortEntry } from "./helpers.ts";

// SuperTrend(period 2, multiplier 1) on Wilder's ATR(2). basic bands = (H+L)/2 -/+ ATR; the lower band
// only rises and the upper only falls unless the previous close broke through it; the trend starts down.
// Index: O H L C         | TR | ATR                      | bands (final)               | direction
//  0-3: 20 21 19 20      | 2  | 2 (ready at 2)           | upper 22, lower 18          | down (start)
//  4: 20 25 20 25        | 5  | 2 + (5-2)/2 = 3.5        | upper 22 (26 > 22, kept)    | 25 > 22: up       -> buy
//  5: 25 26 24 25        | 2  | 2.75                     | lower 25-2.75 = 22.25       | up
//  6: 25 26 24 25        | 2  | 2.375                    | lower 22.625                | up
//  7: 25 25 20 20        | 5  | 3.6875                   | lower 22.625 (18.81 lower)  | 20 < 22.625: down -> close
//  8: 20 21 19 20        | 2  | 2.84375                  | upper 20+2.84 = 22.84375    | down
//  9: 20 27 20 27        | 7  | 4.921875                 | upper 22.84375 (kept)       | 27 > 22.84: up    -> buy
// 10: 27 27 15 15        | 12 | 8.4609375                | lower 23.5-4.92 = 18.578    | 15 < 18.58: down  -> close
const candles = {
  "BTC/USDT": fromOhlc([
    [20, 21, 19, 20],
    [20, 21, 19, 20],
    [20, 21, 19, 20],
    [20, 21, 19, 20],
    [20, 25, 20, 25],
    [25, 26, 24, 25],
    [25, 26, 24, 25],
    [25, 25, 20, 20],
    [20, 21, 19, 20],
    [20, 27, 20, 27],
    [27, 27, 15, 15],
  ]),
};
const params = { period: 2, multiplier: 1 };

describe("supertrend on a hand-checked series", () => {
  it("buys when the direction turns up and closes when it turns down, with an ATR trailing stop", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("supertrend"), params, candles });
    expect(result.failed).toBeUndefined();
    expect(brief(result.intents)).toEqual([entry(4), exit(7), entry(9), exit(10)]);
    for (const i of result.intents.filter((i) => !i.reduceOnly)) {
      expect(i.trailingStop).toEqual({ mode: "atr", multiple: 1, period: 2 });
    }
  });

  it("attaches no trailing stop when it is turned off", async () => {
    const result = await evaluatePlugin({
      pluginDir: pluginDir("supertrend"),
      params: { ...params, trailingStop: false },
      candles,
    });
    expect(result.intents.map((i) => i.trailingStop)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("with allowShort, reverses at each turn", async () => {
    const result = await evaluatePlugin({
      pluginDir: pluginDir("supertrend"),
      params: { ...params, allowShort: true },
      candles,
    });
    expect(brief(result.intents)).toEqual([
      entry(4),
      exit(7),
      shortEntry(7),
      cover(9),
      entry(9),
      exit(10),
      shortEntry(10),
    ]);
  });
});
