import { describe, expect, it } from "vitest";
import type { CandleColumns } from "../../../core/domain/index.ts";
import { Atr } from "../../../core/indicators/atr.ts";
import { AtrBook } from "../../../core/trading/atr-book.ts";

/** 400 candles of a made-up walk, with two gaps (NaN rows) in it. */
function columns(): CandleColumns {
  const n = 400;
  const c = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let price = 100;
  for (let i = 0; i < n; i++) {
    const next = price * (1 + Math.sin(i * 0.7) * 0.01);
    c.time[i] = i * 60_000;
    c.open[i] = price;
    c.close[i] = next;
    c.high[i] = Math.max(price, next) * 1.002;
    c.low[i] = Math.min(price, next) * 0.998;
    price = next;
  }
  for (const gap of [50, 51, 300]) for (const k of ["open", "high", "low", "close"] as const) c[k][gap] = Number.NaN;
  return c;
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
