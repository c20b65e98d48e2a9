import { describe, expect, it } from "vitest";
import type { Candle, CandleColumns } from "../../../core/domain/index.ts";
import { Atr } from "../../../core/indicators/atr.ts";
import { toColumns } from "../../../core/strategy/timeline.ts";
import { AtrBook } from "../../../core/trading/atr-book.ts";

/** 400 candles of a made-up walk, with gaps (rows of NaN, as a timeline holds them). */
function columns(): CandleColumns {
  const candles: Candle[] = [];
  let price = 100;
  for (let i = 0; i < 400; i++) {
    const next = price * (1 + Math.sin(i * 0.7) * 0.01);
    const gap = i === 50 || i === 51 || i === 300;
    candles.push({
      time: i * 60_000,
      open: gap ? Number.NaN : price,
      high: gap ? Number.NaN : Math.max(price, next) * 1.002,
      low: gap ? Number.NaN : Math.min(price, next) * 0.998,
      close: gap ? Number.NaN : next,
      volume: 0,
    });
    price = next;
  }
  return toColumns(candles);
}

describe("AtrBook", () => {
  it("adds a stretch of columns exactly as candle by candle, gaps skipped", () => {
    const c = columns();
    const one = new AtrBook();
    const many = new AtrBook();
    one.value("BTC/USDT", 14); // an ATR that exists before the candles, and one seeded after
    many.value("BTC/USDT", 14);
    for (let i = 0; i < 200; i++) {
      if (!Number.isNaN(c.open[i] as number))
        one.add("BTC/USDT", c.high[i] as number, c.low[i] as number, c.close[i] as number);
    }
    many.addColumns("BTC/USDT", c, 0, 200);
    expect(many.value("BTC/USDT", 14)).toBe(one.value("BTC/USDT", 14));
    expect(many.value("BTC/USDT", 20)).toBe(one.value("BTC/USDT", 20));
    for (let i = 200; i < 400; i++) {
      if (!Number.isNaN(c.open[i] as number))
        one.add("BTC/USDT", c.high[i] as number, c.low[i] as number, c.close[i] as number);
    }
    many.addColumns("BTC/USDT", c, 200, 400);
    const reference = new Atr(14);
    for (let i = 0; i < 400; i++) {
      if (!Number.isNaN(c.open[i] as number))
        reference.update(c.high[i] as number, c.low[i] as number, c.close[i] as number);
    }
    expect(many.value("BTC/USDT", 14)).toBe(reference.value);
    expect(many.value("BTC/USDT", 20)).toBe(one.value("BTC/USDT", 20));
  });
});
