import { describe, expect, it } from "vitest";
import { parsePeriod } from "../../../bot/commands/builtin/backtest-period.ts";
import { stopKindOf } from "../../../bot/commands/notices.ts";
import { candleTimeOf } from "../../../bot/commands/services/market-chart.ts";
import { maxDrawdownPct, periodStart, thin } from "../../../bot/commands/services/pnl.ts";
import { matchPositions } from "../../../bot/commands/services/positions.ts";
import { flatten } from "../../../bot/commands/services/strategies.ts";
import { typedValue } from "../../../bot/commands/services/strategy-control.ts";
import type { PositionView } from "../../../bot/commands/services.ts";

const DAY = 86_400_000;

describe("reading what traders type", () => {
  it("reads backtest periods: spans, ranges, all; refuses the rest", () => {
    expect(parsePeriod("90d")).toEqual({ kind: "span", ms: 90 * DAY });
    expect(parsePeriod("2W")).toEqual({ kind: "span", ms: 14 * DAY });
    expect(parsePeriod("1y")).toEqual({ kind: "span", ms: 365 * DAY });
    expect(parsePeriod("all")).toEqual({ kind: "all" });
    expect(parsePeriod("2024-01-01..2024-01-31")).toEqual({
      kind: "range",
      from: Date.UTC(2024, 0, 1),
      to: Date.UTC(2024, 1, 1),
    });
    expect(parsePeriod("..2024-01-31")).toEqual({ kind: "range", to: Date.UTC(2024, 1, 1) });
    for (const bad of ["", "0d", "10x", "..", "2024-02-30..", "2024-03-01..2024-02-01", "yesterday"]) {
      expect(parsePeriod(bad), bad).toBeUndefined();
    }
  });

  it("types a param as its manifest declares it", () => {
    expect(typedValue({ type: "integer" }, "12")).toBe(12);
    expect(typedValue({ type: "number" }, "0.5")).toBe(0.5);
    expect(typedValue({ type: "number" }, "")).toBe("");
    expect(typedValue({ type: "boolean" }, "ON")).toBe(true);
    expect(typedValue({ type: "boolean" }, "no")).toBe(false);
    expect(typedValue({ type: "boolean" }, "maybe")).toBe("maybe");
    expect(typedValue({ type: "enum" }, "ema")).toBe("ema");
  });

  it("finds the positions a user names", () => {
    const at = (strategyId: string, symbol: string): PositionView => ({
      accountId: "paper",
      strategyId,
      symbol,
      quantity: 1,
      entryPrice: 1,
    });
    const open = [at("sma-btc", "BTC/USDT"), at("manual", "BTC/USDT"), at("perp", "BTC/USDT:USDT")];
    expect(matchPositions(open, "all")).toHaveLength(3);
    expect(matchPositions(open, "btc/usdt").map((p) => p.strategyId)).toEqual(["sma-btc", "manual"]);
    expect(matchPositions(open, "manual:BTC/USDT").map((p) => p.strategyId)).toEqual(["manual"]);
    expect(matchPositions(open, "BTC/USDT:USDT").map((p) => p.strategyId)).toEqual(["perp"]);
    expect(matchPositions(open, "perp:BTC/USDT:USDT").map((p) => p.strategyId)).toEqual(["perp"]);
    expect(matchPositions(open, "sma-eth:BTC/USDT")).toEqual([]);
  });
});

describe("reading what core stores", () => {
  it("finds the candle time and the stop kind in intent ids", () => {
    expect(candleTimeOf("sma-btc:BTC/USDT:1700000000000:0")).toBe(1_700_000_000_000);
    expect(candleTimeOf("perp:BTC/USDT:USDT:1700000000000:stop-loss")).toBe(1_700_000_000_000);
    expect(candleTimeOf("odd-id")).toBeUndefined();
    expect(stopKindOf("sma-btc:BTC/USDT:1700000000000:trailing-stop")).toBe("trailing-stop");
    expect(stopKindOf("sma-btc:BTC/USDT:1700000000000:take-profit")).toBe("take-profit");
    expect(stopKindOf("sma-btc:BTC/USDT:1700000000000:0")).toBeUndefined();
    expect(stopKindOf("sma-btc:BTC/USDT:1700000000000:close")).toBeUndefined();
  });

  it("flattens a risk override into lines", () => {
    expect(flatten({ maxPositionPct: 5, volatility: { action: "reject" }, disabledSymbols: ["A/B", "C/D"] })).toEqual([
      { name: "maxPositionPct", value: "5" },
      { name: "volatility.action", value: "reject" },
      { name: "disabledSymbols", value: "A/B, C/D" },
    ]);
  });
});

describe("PnL arithmetic", () => {
  it("starts periods at the UTC day, 7 and 30 days back, or never", () => {
    const latest = Date.UTC(2024, 2, 5, 13, 30);
    expect(periodStart("day", latest)).toBe(Date.UTC(2024, 2, 5));
    expect(periodStart("week", latest)).toBe(latest - 7 * DAY);
    expect(periodStart("month", latest)).toBe(latest - 30 * DAY);
    expect(periodStart("all", latest)).toBeUndefined();
  });

  it("measures the deepest fall from a running peak", () => {
    expect(maxDrawdownPct([{ equity: 100 }, { equity: 120 }, { equity: 90 }, { equity: 130 }])).toBe(25);
    expect(maxDrawdownPct([{ equity: 100 }, { equity: 110 }])).toBe(0);
    expect(maxDrawdownPct([])).toBe(0);
  });

  it("thins a long curve to evenly spaced points, keeping both ends", () => {
    const points = Array.from({ length: 10_001 }, (_, i) => i);
    const thinned = thin(points, 600);
    expect(thinned).toHaveLength(600);
    expect(thinned[0]).toBe(0);
    expect(thinned.at(-1)).toBe(10_000);
    expect(thin([1, 2, 3], 600)).toEqual([1, 2, 3]);
  });
});
