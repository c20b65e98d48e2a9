import { describe, expect, it } from "vitest";
import { IntentIds } from "../../../core/strategy/intents.ts";
import { LiveSteps } from "../../../core/strategy/live-steps.ts";
import { buildTimeline, candleAt, lastCandleAt, packWindow } from "../../../core/strategy/timeline.ts";

const c = (time: number, close: number) => ({ time, open: close, high: close + 1, low: close - 1, close, volume: 2 });

describe("buildTimeline", () => {
  it("merges symbols by time; a symbol without a candle at a step reads NaN there", () => {
    const t = buildTimeline({ A: [c(10, 1), c(20, 2), c(40, 4)], B: [c(20, 20), c(30, 30)] });
    expect([...t.time]).toEqual([10, 20, 30, 40]);
    expect([...(t.columns[0]?.close ?? [])]).toEqual([1, 2, Number.NaN, 4]);
    expect([...(t.columns[1]?.close ?? [])]).toEqual([Number.NaN, 20, 30, Number.NaN]);
    expect(candleAt(t, 1, 0)).toBeUndefined();
    expect(candleAt(t, 1, 2)).toEqual(c(30, 30));
    expect(lastCandleAt(t, 1, 3)).toEqual(c(30, 30));
  });

  it("uses a single symbol's columns without copying, and refuses unordered times", () => {
    const columns = buildTimeline({ A: [c(1, 1), c(2, 2)] }).columns[0]!;
    expect(buildTimeline({ A: columns }).columns[0]).toBe(columns);
    expect(() => buildTimeline({ A: [c(2, 1), c(2, 2)] })).toThrow(/strictly increasing \(index 1\)/);
  });

  it("packs a window as time, then open, high, low, close, volume per symbol", () => {
    const t = buildTimeline({ A: [c(10, 1), c(20, 2), c(30, 3)], B: [c(20, 5), c(30, 6)] });
    const w = packWindow(t, 1, 2);
    expect([...w]).toEqual([20, 30, 2, 3, 3, 4, 1, 2, 2, 3, 2, 2, 5, 6, 6, 7, 4, 5, 5, 6, 2, 2]);
  });
});

describe("LiveSteps", () => {
  it("releases a step when every symbol arrived, or when a later candle shows the others have a gap", () => {
    const steps = new LiveSteps(["A", "B"]);
    expect(steps.add("A", c(10, 1))).toEqual([]);
    expect(steps.add("B", c(10, 5)).map((t) => [...t.time])).toEqual([[10]]);
    expect(steps.add("A", c(20, 2))).toEqual([]);
    const released = steps.add("A", c(30, 3)); // B never sent 20
    expect(released.map((t) => [t.time[0], t.columns[1]?.close[0]])).toEqual([[20, Number.NaN]]);
    expect(steps.add("B", c(10, 9))).toEqual([]); // late repeat: ignored
  });
});

describe("IntentIds", () => {
  it("numbers intents per symbol and candle time", () => {
    const ids = new IntentIds("s");
    expect([ids.next("A", 1), ids.next("A", 1), ids.next("B", 1), ids.next("A", 2)]).toEqual([
      "s:A:1:0",
      "s:A:1:1",
      "s:B:1:0",
      "s:A:2:0",
    ]);
  });

  it("counts a symbol from 0 again once another candle time came between, even back at an older time", () => {
    const ids = new IntentIds("s");
    const seen = [ids.next("A", 5), ids.next("A", 5), ids.next("B", 6), ids.next("A", 5), ids.next("B", 5)];
    seen.push(ids.next("B", 6), ids.next("B", 6));
    expect(seen).toEqual(["s:A:5:0", "s:A:5:1", "s:B:6:0", "s:A:5:0", "s:B:5:0", "s:B:6:0", "s:B:6:1"]);
  });
});
