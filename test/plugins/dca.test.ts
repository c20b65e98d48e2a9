import { describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../core/plugins/evaluate.ts";
import { brief, entry, exit, flat, fromCloses, pluginDir, quote } from "./helpers.ts";

describe("dca on hand-checked series", () => {
  it("buys the quote amount on the first candle and every N candles after it", async () => {
    const candles = { "BTC/USDT": fromCloses(flat(100, 10)) };
    const result = await evaluatePlugin({
      pluginDir: pluginDir("dca"),
      params: { everyN: 3, quote: 250 },
      candles,
    });
    expect(result.failed).toBeUndefined();
    expect(brief(result.intents)).toEqual([0, 3, 6, 9].map((i) => entry(i, quote(250))));
  });

  it("buys once per dip from the recent high and takes profit above the average entry", async () => {
    // Single-price candles (high = low = close). Recent high = highest of the last 3 closes (this one
    // included); dip line = 90% of it. One buy per dip, re-armed by a close back above the line.
    // Index: close | recent high | dip line | signal
    //  2: 100       | 100         | 90       | -
    //  3:  95       | 100         | 90       | -
    //  4:  89       | 100         | 90       | 89 <= 90: dip -> buy 100 (1.1236 at 89)
    //  5:  85       | 95          | 85.5     | still below: same dip, no buy
    //  6:  84       | 89          | 80.1     | above the line: re-armed
    //  7:  75       | 85          | 76.5     | new dip -> buy 100 (1.3333 at 75)
    //  8:  80       | 84          | 75.6     | average entry 200 / (100/89 + 100/75) = 81.402; +5% = 85.47
    //  9:  86       | 86          | 77.4     | 86 >= 85.47: take profit -> close
    const candles = { "BTC/USDT": fromCloses([100, 100, 100, 95, 89, 85, 84, 75, 80, 86]) };
    const result = await evaluatePlugin({
      pluginDir: pluginDir("dca"),
      params: { everyN: 0, quote: 100, dipPct: 10, dipLookback: 3, takeProfitPct: 5 },
      candles,
    });
    expect(brief(result.intents)).toEqual([entry(4, quote(100)), entry(7, quote(100)), exit(9)]);
  });

  it("makes one buy when the schedule and a dip fall on the same candle", async () => {
    // everyN 2: scheduled at 0, 2, 4. Dip line 90% of the high of the last 2 closes: index 2 (80 vs 100)
    // is a dip and a scheduled buy at once -> one buy; index 3 (79, high 80, line 72) is neither.
    const candles = { "BTC/USDT": fromCloses([100, 100, 80, 79, 79]) };
    const result = await evaluatePlugin({
      pluginDir: pluginDir("dca"),
      params: { everyN: 2, quote: 50, dipPct: 10, dipLookback: 2 },
      candles,
    });
    expect(brief(result.intents)).toEqual([0, 2, 4].map((i) => entry(i, quote(50))));
  });
});
