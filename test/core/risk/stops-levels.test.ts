import { describe, expect, it } from "vitest";
import {
  attachStops,
  levelProblem,
  type StopState,
  stopFill,
  stopLossPrice,
  takeProfitPrice,
  targetFill,
  updateStop,
} from "../../../core/risk/index.ts";

const bar = (open: number, high: number, low: number, close: number) => ({ open, high, low, close });

describe("stop-loss and take-profit levels", () => {
  it("reads a pct as a distance from the entry, mirrored for shorts", () => {
    expect(stopLossPrice({ pct: 2 }, 100, "long")).toBe(98);
    expect(stopLossPrice({ pct: 2 }, 100, "short")).toBe(102);
    expect(takeProfitPrice({ pct: 5 }, 100, "long")).toBe(105);
    expect(takeProfitPrice({ pct: 5 }, 100, "short")).toBe(95);
  });

  it("keeps an absolute price as given", () => {
    expect(stopLossPrice({ price: 97.5 }, 100, "long")).toBe(97.5);
    expect(takeProfitPrice({ price: 91 }, 100, "short")).toBe(91);
  });

  it("names levels on the wrong side of the entry", () => {
    expect(levelProblem("stop-loss", 98, 100, "long")).toBeUndefined();
    expect(levelProblem("stop-loss", 101, 100, "long")).toBe("a long's stop-loss must be below the entry 100, got 101");
    expect(levelProblem("take-profit", 99, 100, "long")).toBe(
      "a long's take-profit must be above the entry 100, got 99",
    );
    expect(levelProblem("stop-loss", 99, 100, "short")).toBe("a short's stop-loss must be above the entry 100, got 99");
    expect(levelProblem("take-profit", 0, 100, "short")).toBe("take-profit must be a positive price, got 0");
  });
});

describe("intrabar fills", () => {
  it("fills a long's stop at the stop when the low reaches it", () => {
    expect(stopFill("long", 95, bar(100, 101, 95, 96))).toBe(95); // touching is enough
    expect(stopFill("long", 95, bar(100, 101, 94, 96))).toBe(95);
    expect(stopFill("long", 95, bar(100, 101, 95.01, 96))).toBeUndefined();
  });

  it("fills at the open when the bar gapped through the stop", () => {
    expect(stopFill("long", 95, bar(93, 96, 92, 94))).toBe(93);
    expect(stopFill("short", 105, bar(107, 108, 104, 106))).toBe(107);
  });

  it("mirrors for a short", () => {
    expect(stopFill("short", 105, bar(100, 106, 99, 104))).toBe(105);
    expect(stopFill("short", 105, bar(100, 104.99, 99, 104))).toBeUndefined();
  });

  it("fills a take-profit at its level, never better", () => {
    expect(targetFill("long", 110, bar(105, 111, 104, 109))).toBe(110);
    expect(targetFill("long", 110, bar(112, 115, 111, 114))).toBe(110);
    expect(targetFill("short", 90, bar(95, 96, 89, 91))).toBe(90);
    expect(targetFill("long", 110, bar(105, 109.99, 104, 109))).toBeUndefined();
  });
});

describe("updateStop with a stop-loss and a take-profit", () => {
  const long: StopState = { side: "long", entryPrice: 100, stopLoss: 95, takeProfit: 110, trailing: null };
  const short: StopState = { side: "short", entryPrice: 100, stopLoss: 105, takeProfit: 90, trailing: null };

  it("attaches levels from the intent", () => {
    expect(attachStops({ side: "buy", stopLoss: { pct: 5 }, takeProfit: { price: 110 } }, { price: 100 })).toEqual(
      long,
    );
    expect(attachStops({ side: "sell", stopLoss: { pct: 5 }, takeProfit: { pct: 10 } }, { price: 100 })).toEqual(short);
    expect(attachStops({ side: "buy" }, { price: 100 })).toEqual({ ...long, stopLoss: null, takeProfit: null });
  });

  it("does nothing while the bar stays between the levels", () => {
    expect(updateStop(long, bar(100, 105, 96, 104))).toEqual({ state: long });
  });

  it("fires the stop-loss at its level", () => {
    expect(updateStop(long, bar(100, 104, 94, 96)).triggered).toEqual({
      kind: "stop-loss",
      price: 95,
      level: 95,
      reason: "stop-loss 95 hit: low 94 reached it, filled at 95",
    });
  });

  it("fills a gap through the stop at the open", () => {
    expect(updateStop(long, bar(93, 96, 92, 94)).triggered).toEqual({
      kind: "stop-loss",
      price: 93,
      level: 95,
      reason: "stop-loss 95 hit: the bar opened at 93, through the stop, filled at the open",
    });
  });

  it("fires the take-profit at its level", () => {
    expect(updateStop(long, bar(105, 111, 104, 109)).triggered).toEqual({
      kind: "take-profit",
      price: 110,
      level: 110,
      reason: "take-profit 110 hit: high 111 reached it, filled at 110",
    });
  });

  it("assumes the stop-loss came first when both are inside one bar", () => {
    expect(updateStop(long, bar(100, 111, 94, 105)).triggered).toEqual({
      kind: "stop-loss",
      price: 95,
      level: 95,
      reason:
        "stop-loss 95 and take-profit 110 both inside the bar (low 94, high 111): stop-loss assumed first, filled at 95",
    });
    expect(updateStop(short, bar(100, 106, 89, 95)).triggered?.reason).toBe(
      "stop-loss 105 and take-profit 90 both inside the bar (low 89, high 106): stop-loss assumed first, filled at 105",
    );
  });

  it("knows the take-profit came first when the bar opened beyond it", () => {
    // the open is the bar's first price: at 112 the target was already passed, whatever the low did later
    const verdict = updateStop(long, bar(112, 113, 94, 95)).triggered;
    expect(verdict).toEqual({
      kind: "take-profit",
      price: 110,
      level: 110,
      reason: "take-profit 110 hit: the bar opened at 112, beyond it, filled at 110",
    });
    expect(updateStop(long, bar(112, 115, 111, 114)).triggered?.reason).toBe(
      "take-profit 110 hit: the bar opened at 112, beyond it, filled at 110",
    );
  });

  it("mirrors everything for a short", () => {
    expect(updateStop(short, bar(100, 106, 95, 104)).triggered).toMatchObject({ kind: "stop-loss", price: 105 });
    expect(updateStop(short, bar(95, 96, 89, 91)).triggered).toMatchObject({ kind: "take-profit", price: 90 });
    expect(updateStop(short, bar(107, 108, 104, 106)).triggered).toMatchObject({ kind: "stop-loss", price: 107 });
    expect(updateStop(short, bar(100, 104, 91, 95)).triggered).toBeUndefined();
  });
});
