import { describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../core/plugins/evaluate.ts";
import { base, brief, type Expected, exit, fromCloses, pluginDir } from "./helpers.ts";

// Grid 90..110 with 5 levels: 90, 95, 100, 105, 110 (index 0..4). A slice is 100 quote at its level's
// price: 100/100 = 1 at 100, 100/95 at 95, 100/105 at 105, 100/90 at 90. Crossing = previous close on
// one side, this close on the level or beyond. The slices of all the levels one candle crosses go in one
// order; the slice bought at level i is sold when a close rises through level i + 1.
// Index: close | crossed            | intents
//  0: 102      | (first close)      | -
//  1:  99      | 100 down           | buy level 2 (1)
//  2:  96      | -                  | -
//  3:  94      | 95 down            | buy level 1 (100/95)
//  4:  97      | 95 up              | (level 0 holds nothing) -
//  5: 101      | 100 up             | sell level 1's slice (100/95)
//  6: 106      | 105 up             | sell level 2's slice (1)
//  7:  99      | 105, 100 down      | buy levels 3 and 2 in one order (100/105 + 1)
//  8:  88      | 95, 90 down        | buy levels 1 and 0 in one order (100/95 + 100/90)
//  9:  96      | 90, 95 up          | sell level 0's slice at 95 (100/90); level 1's waits for 100
// 10:  80      | 95, 90 down        | level 1 still held; buy level 0 (100/90)
//              |                    |   -- or, with a 10% stop (a close below 81): close everything
// 11:  96      | 90, 95 up          | sell level 0's slice (100/90) -- or, after the stop: nothing held
const closes = [102, 99, 96, 94, 97, 101, 106, 99, 88, 96, 80, 96];
const candles = { "BTC/USDT": fromCloses(closes, 0.5) };
const params = { lower: 90, upper: 110, levels: 5, sliceQuote: 100 };

const buy = (index: number, quantity: number): Expected => ({
  index,
  side: "buy",
  reduceOnly: false,
  size: base(quantity),
});
// ctx.sell is a plain sell (API v1 has no partial reduce-only order); the plugin never sells more than it holds.
const sell = (index: number, quantity: number): Expected => ({
  index,
  side: "sell",
  reduceOnly: false,
  size: base(quantity),
});

const upToIndex9 = [
  buy(1, 1),
  buy(3, 100 / 95),
  sell(5, 100 / 95),
  sell(6, 1),
  buy(7, 100 / 105 + 1),
  buy(8, 100 / 95 + 100 / 90),
  sell(9, 100 / 90),
];

describe("grid on a hand-checked series", () => {
  it("buys a slice at each level crossed down and sells it one level up", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("grid"), params, candles });
    expect(result.failed).toBeUndefined();
    expect(brief(result.intents)).toEqual([...upToIndex9, buy(10, 100 / 90), sell(11, 100 / 90)]);
  });

  it("closes everything and empties the grid when price falls through the stop", async () => {
    const result = await evaluatePlugin({
      pluginDir: pluginDir("grid"),
      params: { ...params, stopLossPct: 10 },
      candles,
    });
    expect(brief(result.intents)).toEqual([...upToIndex9, exit(10)]);
  });

  it("centres an automatic grid on the first close", async () => {
    // lower = upper = 0, autoRangePct 10, first close 100: levels 90, 95, 100, 105, 110 (up to rounding).
    // 1: 102, up through 100, nothing held; 2: 99, down through 100 -> buy level 2 (100/100 = 1);
    // 3: 106, up through 105 -> sell it.
    const auto = { "BTC/USDT": fromCloses([100, 102, 99, 106], 0.5) };
    const result = await evaluatePlugin({
      pluginDir: pluginDir("grid"),
      params: { levels: 5, sliceQuote: 100, autoRangePct: 10 },
      candles: auto,
    });
    const about1 = base(expect.closeTo(1, 9));
    expect(brief(result.intents)).toEqual([
      { ...buy(2, 1), size: about1 },
      { ...sell(3, 1), size: about1 },
    ]);
  });
});
