import { describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../core/plugins/evaluate.ts";
import { brief, cover, entry, exit, flat, fraction, fromCloses, pluginDir, shortEntry } from "./helpers.ts";

// fast = SMA(2), slow = SMA(4) of the close. Index: close | SMA2 | SMA4 | fast - slow
//  0-4: 10                  | 10   | 10    |  0     (SMA4 ready at 3; equal lines are no cross)
//  5: 12  (10+12)/2 = 11    | (10+10+10+12)/4 = 10.5  | +0.5  cross up   -> buy
//  6: 13  12.5              | (10+10+12+13)/4 = 11.25 | +1.25
//  7: 14  13.5              | (10+12+13+14)/4 = 12.25 | +1.25
//  8: 13  13.5              | (12+13+14+13)/4 = 13    | +0.5
//  9: 11  12                | (13+14+13+11)/4 = 12.75 | -0.75 cross down -> close
// 10:  9  10                | (14+13+11+9)/4  = 11.75 | -1.75
// 11:  8  8.5               | (13+11+9+8)/4   = 10.25 | -1.75
// 12:  8  8                 | (11+9+8+8)/4    = 9     | -1
// 13: 10  9                 | (9+8+8+10)/4    = 8.75  | +0.25 cross up   -> buy
// 14: 12  11                | (8+8+10+12)/4   = 9.5   | +1.5
// 15:  7  9.5               | (8+10+12+7)/4   = 9.25  | +0.25 (still above: no signal)
// 16:  6  6.5               | (10+12+7+6)/4   = 8.75  | -2.25 cross down -> close
// 17:  6  6                 | (12+7+6+6)/4    = 7.75  | -1.75
const closes = [...flat(10, 5), 12, 13, 14, 13, 11, 9, 8, 8, 10, 12, 7, 6, 6];
const candles = { "BTC/USDT": fromCloses(closes, 0.5) };
const params = { fast: 2, slow: 4 };

describe("sma-cross on a hand-checked series", () => {
  it("buys on each cross up and closes on each cross down", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("sma-cross"), params, candles });
    expect(result.failed).toBeUndefined();
    expect(brief(result.intents)).toEqual([entry(5), exit(9), entry(13), exit(16)]);
  });

  it("attaches the stop-loss and take-profit asked for, with the entry fraction", async () => {
    const result = await evaluatePlugin({
      pluginDir: pluginDir("sma-cross"),
      params: { ...params, fraction: 0.5, stopLossPct: 5, takeProfitPct: 10 },
      candles,
    });
    expect(brief(result.intents)).toEqual([entry(5, fraction(0.5)), exit(9), entry(13, fraction(0.5)), exit(16)]);
    for (const i of result.intents.filter((i) => !i.reduceOnly)) {
      expect(i.stopLoss).toEqual({ pct: 5 });
      expect(i.takeProfit).toEqual({ pct: 10 });
    }
    for (const i of result.intents.filter((i) => i.reduceOnly)) expect(i.stopLoss).toBeUndefined();
  });

  it("with allowShort, reverses into a short on each cross down and back on each cross up", async () => {
    const result = await evaluatePlugin({
      pluginDir: pluginDir("sma-cross"),
      params: { ...params, allowShort: true },
      candles,
    });
    // 5: flat -> long; 9: close the long, open a short; 13: cover, go long; 16: close, short again.
    expect(brief(result.intents)).toEqual([
      entry(5),
      exit(9),
      shortEntry(9),
      cover(13),
      entry(13),
      exit(16),
      shortEntry(16),
    ]);
  });

  it("sees no position without fills, so it asks to enter on every cross up and never to close", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("sma-cross"), params, candles, fill: "none" });
    expect(brief(result.intents)).toEqual([entry(5), entry(13)]);
  });

  it("refuses a fast period that is not shorter than the slow one", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("sma-cross"), params: { fast: 4, slow: 4 }, candles });
    expect(result.failed?.message).toMatch(/fast \(4\) must be shorter than slow \(4\)/);
    expect(result.intents).toEqual([]);
  });
});
