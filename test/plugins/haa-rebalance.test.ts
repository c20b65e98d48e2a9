import { describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../core/plugins/evaluate.ts";
import { brief, type Expected, fraction, fromCloses, pluginDir } from "./helpers.ts";

// Three symbols, lookbacks 1, 2, 3, 4 bars, rebalance every 2 bars, top 2, so each holding is 1/2.
// score = mean over n in {1,2,3,4} of close[t] / close[t-n] - 1; the first scorable bar is t = 4.
// t  |  A   B   C
// 0-3| 100 100 100
// 4  | 110 105  95   A: all four returns +0.10 -> 0.10; B 0.05; C -0.05 => hold A, B       -> buy A, buy B
// 5  | 120 100  90
// 6  | 130  90  95   A: (130/120-1 + 130/110-1 + 0.3 + 0.3)/4 = (0.0833+0.1818+0.3+0.3)/4 = 0.216
//    |               B: (-0.1 - 0.1429 - 0.1 - 0.1)/4 < 0;  C: (0.0556 + 0 - 0.05 - 0.05)/4 = -0.011
//    |               => hold A only                                                        -> close B
// 7  | 140  80 105
// 8  | 100  85 120   A: 100/140, 100/130, 100/120, 100/110 all < 1 -> negative
//    |               B: (0.0625 - 0.0556 - 0.15 - 0.1905)/4 < 0
//    |               C: (120/105-1 + 120/95-1 + 120/90-1 + 120/95-1)/4 = (0.1429+0.2632+0.3333+0.2632)/4 = 0.251
//    |               => hold C                                                             -> close A, buy C
// 9  |  90  95 130
// 10 |  95 100 140   A: (0.0556 - 0.05 - 0.3214 - 0.2692)/4 < 0
//    |               B: (100/95-1 + 100/85-1 + 100/80-1 + 100/90-1)/4 = (0.0526+0.1765+0.25+0.1111)/4 = 0.148
//    |               C: (140/130-1 + 140/120-1 + 140/105-1 + 140/95-1)/4 = (0.0769+0.1667+0.3333+0.4737)/4 = 0.263
//    |               => hold C (held) and B                                                -> buy B
const A = [100, 100, 100, 100, 110, 120, 130, 140, 100, 90, 95];
const B = [100, 100, 100, 100, 105, 100, 90, 80, 85, 95, 100];
const C = [100, 100, 100, 100, 95, 90, 95, 105, 120, 130, 140];
const candles = { "A/USDT": fromCloses(A, 1), "B/USDT": fromCloses(B, 1), "C/USDT": fromCloses(C, 1) };
const params = { rebalanceEvery: 2, topK: 2, lookback1: 1, lookback2: 2, lookback3: 3, lookback4: 4 };

const buy = (index: number, symbol: string): Expected => ({
  index,
  side: "buy",
  reduceOnly: false,
  size: fraction(0.5),
  symbol,
});
const close = (index: number, symbol: string): Expected => ({
  index,
  side: "sell",
  reduceOnly: true,
  size: fraction(1),
  symbol,
});

describe("haa-rebalance on a hand-made 3-symbol series", () => {
  it("holds the top 2 with positive momentum, rebalancing every 2 bars", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("haa-rebalance"), params, candles });
    expect(result.failed).toBeUndefined();
    expect(brief(result.intents, true)).toEqual([
      buy(4, "A/USDT"),
      buy(4, "B/USDT"),
      close(6, "B/USDT"),
      close(8, "A/USDT"),
      buy(8, "C/USDT"),
      buy(10, "B/USDT"),
    ]);
  });

  it("with top 1, holds only the leader, each time with the whole allocation", async () => {
    // Leaders: t=4 A, t=6 A (held), t=8 C, t=10 C (held).
    const result = await evaluatePlugin({
      pluginDir: pluginDir("haa-rebalance"),
      params: { ...params, topK: 1 },
      candles,
    });
    expect(brief(result.intents, true)).toEqual([
      { ...buy(4, "A/USDT"), size: fraction(1) },
      close(8, "A/USDT"),
      { ...buy(8, "C/USDT"), size: fraction(1) },
    ]);
  });
});
