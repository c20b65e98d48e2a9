import { describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../core/plugins/evaluate.ts";
import { brief, entry, exit, fromCloses, pluginDir } from "./helpers.ts";

// RSI(3), Wilder: avgGain and avgLoss start as the means of the first 3 changes, then
// avg' = avg + (x - avg) / 3; RSI = 100 * avgGain / (avgGain + avgLoss). Oversold 30, overbought 70.
// Index: close | change | avgGain            | avgLoss              | RSI
//  3: 17        | -1     | 0                  | 1 (-1, -1, -1)       | 0
//  4: 16        | -1     | 0                  | 1                    | 0       still oversold: no buy yet
//  5: 19        | +3     | 0 + 3/3 = 1        | 1 - 1/3 = 2/3        | 60      up through 30     -> buy
//  6: 22        | +3     | 1 + 2/3 = 5/3      | 2/3 - 2/9 = 4/9      | 78.95   above 70          -> close
//  7: 18        | -4     | 5/3 * 2/3 = 10/9   | 4/9 + 32/27 = 44/27  | 40.54
//  8: 15        | -3     | 20/27              | 169/81               | 26.20   back under 30
//  9: 16        | +1     | 67/81              | 338/243              | 37.29   up through 30     -> buy
// 10: 17        | +1     | 215/243            | 676/729              | 48.83
// 11: 25        | +8     | 2374/729           | 1352/2187            | 84.05   above 70          -> close
const closes = [20, 19, 18, 17, 16, 19, 22, 18, 15, 16, 17, 25];
const candles = { "BTC/USDT": fromCloses(closes, 0.5) };
const params = { period: 3, oversold: 30, overbought: 70 };

describe("rsi-reversion on a hand-checked series", () => {
  it("buys when RSI climbs back through oversold and closes above overbought", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("rsi-reversion"), params, candles });
    expect(result.failed).toBeUndefined();
    expect(brief(result.intents)).toEqual([entry(5), exit(6), entry(9), exit(11)]);
  });

  it("uses the levels it is given: with oversold 40 the dip at 7 (40.54) is not low enough", async () => {
    // Oversold 40: index 5 (0 -> 60) buys, 6 closes; 7 is 40.54, not below 40; 8 (26.20) is, and 9
    // (37.29) has not climbed back through 40 yet; 10 (48.83) has -> buy; 11 (84.05) -> close.
    const result = await evaluatePlugin({
      pluginDir: pluginDir("rsi-reversion"),
      params: { ...params, oversold: 40, stopLossPct: 2 },
      candles,
    });
    expect(brief(result.intents)).toEqual([entry(5), exit(6), entry(10), exit(11)]);
    expect(result.intents[0]!.stopLoss).toEqual({ pct: 2 });
  });
});
