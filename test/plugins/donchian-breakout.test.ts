import { describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../core/plugins/evaluate.ts";
import { brief, entry, exit, fromCloses, pluginDir } from "./helpers.ts";

// Every candle: high = close + 0.5, low = close - 0.5. Entry channel 4, exit channel 2, both over the
// candles BEFORE the current one.
// Index: close | highest high of previous 4     | lowest low of previous 2 | signal
//  4: 11        | 10.5 (0-3)                     |                          | 11 > 10.5      -> buy
//  5: 12        |                                | 9.5 (3, 4)               | hold
//  6: 12.5      |                                | 10.5 (4, 5)              | hold
//  7: 11.2      |                                | 11.5 (5, 6)              | 11.2 < 11.5    -> close
//  8: 11        | 13 (4-7: 11.5 12.5 13 11.7)    |                          | no breakout
//  9: 13.6      | 13 (5-8: 12.5 13 11.7 11.5)    |                          | 13.6 > 13      -> buy
// 10: 12        |                                | 10.5 (8, 9)              | hold
// 11: 10        |                                | 11.5 (9, 10)             | 10 < 11.5      -> close
const closes = [10, 10, 10, 10, 11, 12, 12.5, 11.2, 11, 13.6, 12, 10];
const candles = { "BTC/USDT": fromCloses(closes, 0.5) };
const params = { entryPeriod: 4, exitPeriod: 2, stopAtr: 0, atrPeriod: 2 };

describe("donchian-breakout on a hand-checked series", () => {
  it("buys a close above the prior N-high and closes a close below the prior M-low", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("donchian-breakout"), params, candles });
    expect(result.failed).toBeUndefined();
    expect(brief(result.intents)).toEqual([entry(4), exit(7), entry(9), exit(11)]);
    expect(result.intents[0]!.stopLoss).toBeUndefined();
  });

  it("puts the turtle stop 2 ATRs below the entry close", async () => {
    // ATR(2), Wilder, true range = max(high - low, |high - prev close|, |low - prev close|):
    //  1, 2: TR 1, 1            -> ATR at 2 = 1;       3: TR 1 -> 1
    //  4: TR max(1, |11.5-10|) = 1.5   -> 1 + (1.5 - 1)/2 = 1.25          stop = 11 - 2*1.25 = 8.5
    //  5: TR 1.5 -> 1.375;  6: TR 1 -> 1.1875;  7: TR max(1, |10.7-12.5|) = 1.8 -> 1.49375
    //  8: TR 1 -> 1.246875; 9: TR max(1, |14.1-11|) = 3.1 -> 2.1734375   stop = 13.6 - 4.346875 = 9.253125
    const result = await evaluatePlugin({
      pluginDir: pluginDir("donchian-breakout"),
      params: { ...params, stopAtr: 2 },
      candles,
    });
    expect(brief(result.intents)).toEqual([entry(4), exit(7), entry(9), exit(11)]);
    const stops = result.intents.filter((i) => !i.reduceOnly).map((i) => i.stopLoss as { price: number });
    expect(stops[0]!.price).toBeCloseTo(8.5, 9);
    expect(stops[1]!.price).toBeCloseTo(9.253125, 9);
  });
});
