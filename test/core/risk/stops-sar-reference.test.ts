import { readFileSync } from "node:fs";
import { PSAR } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { attachStops, parabolicSar, type StopState, updateStop } from "../../../core/risk/index.ts";

// Real daily BTC/USDT candles from Binance (data/SOURCES.md), 2017-08 onwards.
const candles = readFileSync(new URL("../../../data/binance_BTC-USDT_1d.csv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [, open, high, low, close] = line.split(",").map(Number);
    return { open: open as number, high: high as number, low: low as number, close: close as number };
  });

const reference = (from: number, step = 0.02, max = 0.2) =>
  PSAR.calculate({
    high: candles.slice(from).map((c) => c.high),
    low: candles.slice(from).map((c) => c.low),
    step,
    max,
  });

/** Within a millionth of a cent on BTC prices: the same arithmetic, at worst a different float order. */
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe("parabolic SAR against technicalindicators' PSAR, on real BTC/USDT daily candles", () => {
  it("matches the whole series, reversals included", () => {
    expect(candles.length).toBeGreaterThan(2_000);
    for (const [step, max] of [
      [0.02, 0.2],
      [0.01, 0.1],
      [0.04, 0.4],
    ] as const) {
      const ours = parabolicSar(candles, step, max);
      const theirs = reference(0, step, max);
      expect(ours.length).toBe(theirs.length);
      const mismatches = ours.flatMap((v, i) =>
        close(v, theirs[i] as number) ? [] : [{ i, ours: v, theirs: theirs[i] }],
      );
      expect(mismatches).toEqual([]);
      // The series must have trended both ways many times, or it checked little.
      const flips = ours.filter(
        (v, i) => i > 0 && v > (candles[i]?.high ?? 0) !== (ours[i - 1] ?? 0) > (candles[i - 1]?.high ?? 0),
      ).length;
      expect(flips).toBeGreaterThan(50);
    }
  });

  it("trails a long exactly as the indicator does, until the bar that reverses it", () => {
    // Open a long on every 31st bar; the stop in force before each later bar must be the indicator's
    // SAR for that bar (the indicator, run from the entry bar, starts long there too).
    let checkedStops = 0;
    let checkedTriggers = 0;
    for (let entry = 0; entry < candles.length - 50; entry += 31) {
      const expected = reference(entry);
      let state: StopState = attachStops(
        { side: "buy", trailingStop: { mode: "sar", step: 0.02, max: 0.2 } },
        { price: candles[entry]?.close as number, candle: candles[entry] },
      );
      for (let i = entry + 1; i < candles.length; i++) {
        const level = state.trailing?.stop as number;
        const bar = candles[i] as (typeof candles)[number];
        const update = updateStop(state, bar);
        if (update.triggered) {
          // the indicator reverses on this very bar (its row is then the old trend's EP, above the bar's low)
          expect(bar.low).toBeLessThanOrEqual(level);
          expect(expected[i - entry] as number).toBeGreaterThanOrEqual(bar.high);
          expect(close(update.triggered.level, level)).toBe(true);
          checkedTriggers++;
          break;
        }
        expect(close(level, expected[i - entry] as number)).toBe(true);
        checkedStops++;
        state = update.state;
      }
    }
    expect(checkedTriggers).toBeGreaterThan(60);
    expect(checkedStops).toBeGreaterThan(200);
  });
});
