import { describe, expect, it } from "vitest";
import type { Candle } from "../../core/domain/candle.ts";
import { type EvaluatedIntent, evaluatePlugin } from "../../core/plugins/evaluate.ts";
import { parseOutput } from "../../core/plugins/sandbox/output.ts";
import { alignOnTime, alternationProblems, pluginDir, readSampleCandles } from "./helpers.ts";

// Real candles: the first 2000 hours of BTC/USDT (December 2020 - February 2021: a strong trend with
// sharp pullbacks), every plugin with its default params.
const btc1h: Record<string, Candle[]> = { "BTC/USDT": readSampleCandles("binance_BTC-USDT_1h.csv.gz", 2000) };

/**
 * Checks every intent of a run is well formed, whatever the plugin: each passes the host's own output
 * schema again (the barrier every sandbox answer crosses), sits on a candle of the run, and they come in
 * time order.
 */
function expectWellFormed(intents: readonly EvaluatedIntent[], symbols: readonly string[], length: number): void {
  for (const { index, time: _time, ...raw } of intents) {
    expect(() =>
      parseOutput(JSON.stringify({ intents: [raw], logs: [] }), { symbols, stateCapBytes: 0 }),
    ).not.toThrow();
    expect(Number.isInteger(index) && index >= 0 && index < length).toBe(true);
    expect(raw.type).toBe("market");
  }
  for (let k = 1; k < intents.length; k++) expect(intents[k]!.index).toBeGreaterThanOrEqual(intents[k - 1]!.index);
}

describe("single-position plugins on real BTC/USDT 1h candles", () => {
  const ids = [
    "sma-cross",
    "ema-cross",
    "macd",
    "rsi-reversion",
    "bollinger-reversion",
    "donchian-breakout",
    "supertrend",
  ];
  for (const id of ids) {
    it(`${id}: runs, trades, alternates entry and exit`, async () => {
      const result = await evaluatePlugin({ pluginDir: pluginDir(id), candles: btc1h });
      expect(result.failed).toBeUndefined();
      expect(result.intents.length).toBeGreaterThan(1);
      expectWellFormed(result.intents, ["BTC/USDT"], 2000);
      expect(alternationProblems(result.intents)).toEqual([]);
    });
  }
});

describe("accumulating plugins on real BTC/USDT 1h candles", () => {
  it("dca: one scheduled buy of the quote amount every 24 candles", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("dca"), candles: btc1h });
    expect(result.failed).toBeUndefined();
    expectWellFormed(result.intents, ["BTC/USDT"], 2000);
    const indices = result.intents.map((i) => i.index);
    expect(indices.length).toBeGreaterThan(50);
    for (let k = 1; k < indices.length; k++) expect(indices[k]! - indices[k - 1]!).toBe(24);
    expect(result.intents.every((i) => i.side === "buy" && !i.reduceOnly && i.size.kind === "quote")).toBe(true);
  });

  it("dca with dips and take-profit: every close comes after a buy, never two closes in a row", async () => {
    const result = await evaluatePlugin({
      pluginDir: pluginDir("dca"),
      params: { dipPct: 5, takeProfitPct: 8 },
      candles: btc1h,
    });
    expect(result.failed).toBeUndefined();
    expectWellFormed(result.intents, ["BTC/USDT"], 2000);
    let holding = false;
    for (const i of result.intents) {
      if (i.reduceOnly) {
        expect(holding).toBe(true);
        holding = false;
      } else {
        expect(i.side).toBe("buy");
        holding = true;
      }
    }
    expect(result.intents.some((i) => i.reduceOnly)).toBe(true);
  });

  it("grid: buys and sells slices in base units, never selling more than it bought", async () => {
    const result = await evaluatePlugin({ pluginDir: pluginDir("grid"), candles: btc1h });
    expect(result.failed).toBeUndefined();
    expectWellFormed(result.intents, ["BTC/USDT"], 2000);
    let held = 0;
    for (const i of result.intents) {
      // Slices are plain buys and sells of a base quantity (API v1 has no partial reduce-only order).
      expect(i.size.kind).toBe("base");
      expect(i.reduceOnly).toBe(false);
      held += i.side === "buy" ? i.size.value : -i.size.value;
      expect(held).toBeGreaterThanOrEqual(-1e-9);
    }
    expect(result.intents.filter((i) => i.side === "sell").length).toBeGreaterThan(5);
  });

  it("grid on a fixed range: buys only at or below a level, sells only when coming from inside the range", async () => {
    // BTC went from about 19,500 to 54,000 over these 2000 hours: a grid from 17,000 to 21,000 (levels
    // every 500) trades the early weeks and then has nothing left to do.
    const closes = btc1h["BTC/USDT"]!.map((c) => c.close);
    const result = await evaluatePlugin({
      pluginDir: pluginDir("grid"),
      params: { lower: 17_000, upper: 21_000, levels: 9, sliceQuote: 500, stopLossPct: 5 },
      candles: btc1h,
    });
    expect(result.failed).toBeUndefined();
    expectWellFormed(result.intents, ["BTC/USDT"], 2000);
    expect(result.intents.length).toBeGreaterThan(2);
    for (const i of result.intents) {
      if (i.side === "buy") expect(closes[i.index]).toBeLessThanOrEqual(20_500);
      else expect(closes[i.index - 1]).toBeLessThan(21_000);
    }
    // The stop (below 16,150) is never reached here.
    expect(result.intents.some((i) => i.reduceOnly)).toBe(false);
  });
});

describe("haa-rebalance on real BTC/USDT and ETH/USDT 1d candles", () => {
  const candles = alignOnTime({
    "BTC/USDT": readSampleCandles("binance_BTC-USDT_1d.csv"),
    "ETH/USDT": readSampleCandles("binance_ETH-USDT_1d.csv"),
  });
  const length = candles["BTC/USDT"]!.length;

  for (const topK of [1, 2]) {
    it(`top ${topK}: trades only on rebalance bars, never holds more than ${topK}`, async () => {
      const result = await evaluatePlugin({ pluginDir: pluginDir("haa-rebalance"), params: { topK }, candles });
      expect(result.failed).toBeUndefined();
      expectWellFormed(result.intents, ["BTC/USDT", "ETH/USDT"], length);
      expect(result.intents.length).toBeGreaterThan(4);
      // The first bar with 252 bars behind it rebalances, then every 21st bar.
      for (const i of result.intents) expect((i.index - 252) % 21).toBe(0);
      const held = new Set<string>();
      for (const i of result.intents) {
        if (i.reduceOnly) {
          expect(held.has(i.symbol)).toBe(true);
          held.delete(i.symbol);
        } else {
          expect(i.side).toBe("buy");
          expect(i.size).toEqual({ kind: "fraction", value: 1 / topK });
          expect(held.has(i.symbol)).toBe(false);
          held.add(i.symbol);
        }
        expect(held.size).toBeLessThanOrEqual(topK);
      }
    });
  }
});
