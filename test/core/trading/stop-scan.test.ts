import { describe, expect, it } from "vitest";
import type { CandleColumns } from "../../../core/domain/index.ts";
import { allocateColumns } from "../../../core/market/columns.ts";
import { firstFixedTrigger, updateStop } from "../../../core/risk/stops/position-stops.ts";
import { StopBook } from "../../../core/trading/stops.ts";

/** A random walk around 100 with NaN rows (steps without a candle of the symbol), from a fixed seed. */
function walk(n: number, seed: number): CandleColumns {
  let s = seed;
  const next = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  const c = allocateColumns(n);
  let price = 100;
  for (let i = 0; i < n; i++) {
    c.time[i] = i * 60_000;
    if (next() < 0.05) {
      c.open[i] = c.high[i] = c.low[i] = c.close[i] = c.volume[i] = Number.NaN;
      continue;
    }
    const open = price * (1 + (next() - 0.5) * 0.004);
    const close = open * (1 + (next() - 0.5) * 0.004);
    c.open[i] = open;
    c.close[i] = close;
    c.high[i] = Math.max(open, close) * (1 + next() * 0.002);
    c.low[i] = Math.min(open, close) * (1 - next() * 0.002);
    c.volume[i] = 1;
    price = close;
  }
  return c;
}

/** The first index at which updateStop fires, candle by candle: the definition of a scan. */
function byUpdates(state: Parameters<typeof updateStop>[0], c: CandleColumns, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    if (Number.isNaN(c.open[i] as number)) continue;
    const update = updateStop(state, {
      open: c.open[i] as number,
      high: c.high[i] as number,
      low: c.low[i] as number,
      close: c.close[i] as number,
    });
    if (update.triggered) return i;
    state = update.state;
  }
  return to;
}

describe("scanning fixed stops ahead", () => {
  const candles = walk(20_000, 3);
  const states = [
    { side: "long", entryPrice: 100, stopLoss: 98, takeProfit: 103, trailing: null },
    { side: "long", entryPrice: 100, stopLoss: 97, takeProfit: null, trailing: null },
    { side: "short", entryPrice: 100, stopLoss: 102.5, takeProfit: 96, trailing: null },
    { side: "short", entryPrice: 100, stopLoss: null, takeProfit: 99, trailing: null },
  ] as const;

  it.each(states)("finds where updateStop would fire ($side, stop $stopLoss, target $takeProfit)", (state) => {
    const end = candles.open.length;
    const found = [0, 17, 500, 4_321].map((from) => firstFixedTrigger(state, candles, from, end));
    expect(found).toEqual([0, 17, 500, 4_321].map((from) => byUpdates(state, candles, from, end)));
    expect(found.some((at) => at < end)).toBe(true);
  });

  it("asked again from later steps, as a backtest does after every intent, answers as a fresh scan", () => {
    // Calm above 99 for 3 000 steps, then through it: windows before that find nothing, later ones the fall.
    const calm = walk(6_000, 9);
    for (let i = 0; i < 6_000; i++) {
      const level = i < 3_000 ? 100 + Math.sin(i / 50) * 0.5 : 98 + Math.sin(i / 50) * 0.5;
      if (Number.isNaN(calm.open[i] as number)) continue;
      calm.open[i] = level;
      calm.close[i] = level + 0.1;
      calm.high[i] = level + 0.3;
      calm.low[i] = level - 0.3;
    }
    const book = new StopBook();
    book.attach("s1", "X", { side: "buy", stopLoss: { pct: 1 } }, { price: 100 });
    const state = book.get("s1", "X");
    if (!state) throw new Error("no stops attached");
    const answers: number[] = [];
    for (let from = 0; from < 5_000; from += 37) {
      const to = Math.min(calm.open.length, from + 2_500);
      const answer = book.scan("X", calm, from, to);
      expect(answer).toBe(byUpdates(state, calm, from, to));
      answers.push(answer - from);
    }
    // Some scans ran to their end, some found the stop: both ways through what was scanned before.
    expect(answers.some((d) => d === 2_500)).toBe(true);
    expect(answers.some((d) => d < 2_500)).toBe(true);
  });
});
