import { describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../core/plugins/evaluate.ts";
import { brief, entry, exit, flat, fromCloses, pluginDir } from "./helpers.ts";

// MACD(fast 2, slow 4, signal 2): EMA2 (alpha 2/3) - EMA4 (alpha 2/5); signal = EMA2 of the line, seeded
// with the mean of its first two values. The flat start makes every EMA exactly 10 and line = signal = 0
// (MACD is ready at index 4 = slow + signal - 2).
// Index: close | EMA2    | EMA4    | line     | signal   | histogram
//  8: 16       | 14      | 12.4    | +1.6     | +1.0667  | +0.533  cross up (line > 0)      -> buy
//  9: 16       | 15.333  | 13.84   | +1.4933  | +1.3511  | +0.142
// 10: 16       | 15.778  | 14.704  | +1.0738  | +1.1662  | -0.092  cross down               -> close
// 11:  8       | 10.593  | 12.022  | -1.4298  | -0.5645  | -0.865
// 12:  8       |  8.864  | 10.413  | -1.5492  | -1.2210  | -0.328
// 13:  9       |  8.955  |  9.848  | -0.8933  | -1.0025  | +0.109  cross up (line < 0)      -> buy, unless filtered
// 14:  9       |  8.985  |  9.509  | -0.5239  | -0.6835  | +0.160
// 15:  7       |  7.662  |  8.505  | -0.8437  | -0.7903  | -0.053  cross down               -> close
// (e.g. index 8: EMA2 = 10 + 2/3*6, EMA4 = 10 + 0.4*6, signal = 0 + 2/3*1.6.)
const closes = [...flat(10, 8), 16, 16, 16, 8, 8, 9, 9, 7];
const candles = { "BTC/USDT": fromCloses(closes, 0.5) };
const params = { fast: 2, slow: 4, signal: 2 };

describe("macd on a hand-checked series", () => {
  it("buys on each signal-line cross up and closes on each cross down", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("macd"), params, candles });
    expect(result.failed).toBeUndefined();
    expect(brief(result.intents)).toEqual([entry(8), exit(10), entry(13), exit(15)]);
  });

  it("with the zero-line filter, skips the cross up that happens below zero", async () => {
    const result = await evaluatePlugin({
      pluginDir: pluginDir("macd"),
      params: { ...params, zeroLineFilter: true },
      candles,
    });
    expect(brief(result.intents)).toEqual([entry(8), exit(10)]);
  });
});
