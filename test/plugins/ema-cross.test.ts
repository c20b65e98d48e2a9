import { describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../core/plugins/evaluate.ts";
import { brief, cover, entry, exit, flat, fromCloses, pluginDir, shortEntry } from "./helpers.ts";

// fast = EMA(2), alpha 2/3; slow = EMA(4), alpha 2/5; both seeded with their SMA, which the flat start
// makes exactly 10. ema' = ema + alpha * (close - ema).
// Index: close | EMA2                          | EMA4                         | fast - slow
//  0-4: 10     | 10                            | 10                           |  0
//  5: 13       | 10 + 2/3*3 = 12               | 10 + 0.4*3 = 11.2            | +0.8    cross up   -> buy
//  6: 13       | 12 + 2/3*1 = 12.667           | 11.2 + 0.4*1.8 = 11.92       | +0.747
//  7: 10       | 12.667 - 2/3*2.667 = 10.889   | 11.92 - 0.4*1.92 = 11.152    | -0.263  cross down -> close
//  8:  9       | 10.889 - 2/3*1.889 = 9.630    | 11.152 - 0.4*2.152 = 10.291  | -0.662
//  9: 12       | 9.630 + 2/3*2.370 = 11.210    | 10.291 + 0.4*1.709 = 10.975  | +0.235  cross up   -> buy
// 10: 12       | 11.210 + 2/3*0.790 = 11.737   | 10.975 + 0.4*1.025 = 11.385  | +0.352
// 11: 10       | 11.737 - 2/3*1.737 = 10.579   | 11.385 - 0.4*1.385 = 10.831  | -0.252  cross down -> close
const closes = [...flat(10, 5), 13, 13, 10, 9, 12, 12, 10];
const candles = { "ETH/USDT": fromCloses(closes, 0.5) };
const params = { fast: 2, slow: 4 };

describe("ema-cross on a hand-checked series", () => {
  it("buys on each cross up and closes on each cross down", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("ema-cross"), params, candles });
    expect(result.failed).toBeUndefined();
    expect(brief(result.intents)).toEqual([entry(5), exit(7), entry(9), exit(11)]);
    expect(result.intents.every((i) => i.symbol === "ETH/USDT" && i.type === "market")).toBe(true);
  });

  it("with allowShort, flips between long and short at each cross", async () => {
    const result = await evaluatePlugin({
      pluginDir: pluginDir("ema-cross"),
      params: { ...params, allowShort: true },
      candles,
    });
    expect(brief(result.intents)).toEqual([
      entry(5),
      exit(7),
      shortEntry(7),
      cover(9),
      entry(9),
      exit(11),
      shortEntry(11),
    ]);
  });

  it("carries a stop-loss on entries when asked", async () => {
    const result = await evaluatePlugin({
      pluginDir: pluginDir("ema-cross"),
      params: { ...params, stopLossPct: 3 },
      candles,
    });
    expect(result.intents.filter((i) => !i.reduceOnly).map((i) => i.stopLoss)).toEqual([{ pct: 3 }, { pct: 3 }]);
  });
});
