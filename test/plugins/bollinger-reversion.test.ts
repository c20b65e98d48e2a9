import { describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../core/plugins/evaluate.ts";
import { brief, entry, exit, flat, fromCloses, pluginDir } from "./helpers.ts";

// Bollinger(5, 1.5): middle = SMA5, lower = middle - 1.5 * population std dev of the last 5 closes.
// Index: window                  | middle | std                                      | lower
//  4: 10 10 10 10 10             | 10     | 0                                        | 10     close 10: not below
//  5: 10 10 10 10 8              | 9.6    | sqrt((4*0.16 + 2.56)/5) = sqrt(0.64) = 0.8| 8.4    close 8 < 8.4  -> buy
//  6: 10 10 10 8 8.5             | 9.3    |                                          |        close 8.5 < 9.3: hold
//  7: 10 10 8 8.5 9.6            | 9.22   |                                          |        close 9.6 >= 9.22 -> close
//  8-12: closes of 10 (flat, no position; the window is all 10 again by index 12)
// 13: 10 10 10 10 7              | 9.4    | sqrt((4*0.36 + 5.76)/5) = sqrt(1.44) = 1.2| 7.6    close 7 < 7.6  -> buy
// 14: 10 10 10 7 6.5             | 8.7    |                                          |        close 6.5 < 8.7: hold
// 15: 10 10 7 6.5 6              | 7.9    |                                          |        close 6 < 7.9: hold
// 16: 10 7 6.5 6 8               | 7.5    |                                          |        close 8 >= 7.5 -> close
const closes = [...flat(10, 5), 8, 8.5, 9.6, ...flat(10, 5), 7, 6.5, 6, 8];
const candles = { "BTC/USDT": fromCloses(closes, 0.5) };
const params = { period: 5, multiplier: 1.5 };

describe("bollinger-reversion on a hand-checked series", () => {
  it("buys a close below the lower band and closes at the middle band", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("bollinger-reversion"), params, candles });
    expect(result.failed).toBeUndefined();
    expect(brief(result.intents)).toEqual([entry(5), exit(7), entry(13), exit(16)]);
  });

  it("with wider bands (multiplier 2.5) the same dips are not stretched enough", async () => {
    // Index 5: lower = 9.6 - 2.5 * 0.8 = 7.6, close 8 is above; index 13: lower = 9.4 - 2.5 * 1.2 = 6.4,
    // close 7 is above. Index 14: window 10 10 10 7 6.5, std = sqrt((3*1.69 + 2.89 + 4.84)/5) = 1.6, lower
    // = 8.7 - 4 = 4.7; index 15: std = sqrt((2*4.41 + 0.81 + 1.96 + 3.61)/5) = 1.744, lower = 3.54: no entry.
    const result = await evaluatePlugin({
      pluginDir: pluginDir("bollinger-reversion"),
      params: { ...params, multiplier: 2.5 },
      candles,
    });
    expect(result.intents).toEqual([]);
  });

  it("attaches the stop-loss asked for", async () => {
    const result = await evaluatePlugin({
      pluginDir: pluginDir("bollinger-reversion"),
      params: { ...params, stopLossPct: 4, fraction: 0.25 },
      candles,
    });
    const entries = result.intents.filter((i) => !i.reduceOnly);
    expect(entries.map((i) => [i.index, i.size, i.stopLoss])).toEqual([
      [5, { kind: "fraction", value: 0.25 }, { pct: 4 }],
      [13, { kind: "fraction", value: 0.25 }, { pct: 4 }],
    ]);
  });
});
