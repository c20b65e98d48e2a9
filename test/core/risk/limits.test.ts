import { describe, expect, expectTypeOf, it } from "vitest";
import type { TradingState as BusTradingState } from "../../../core/bus/index.ts";
import { DEFAULT_RISK_LIMITS } from "../../../core/domain/index.ts";
import { isStricter, mergeLimits, type TradingState } from "../../../core/risk/index.ts";

describe("mergeLimits", () => {
  it("returns the global limits when there is no override", () => {
    expect(mergeLimits(DEFAULT_RISK_LIMITS)).toEqual(DEFAULT_RISK_LIMITS);
    expect(mergeLimits(DEFAULT_RISK_LIMITS, {})).toEqual(DEFAULT_RISK_LIMITS);
  });

  it("lets the strategy override flat keys and nested keys one by one", () => {
    const merged = mergeLimits(DEFAULT_RISK_LIMITS, { maxPositionPct: 5, volatility: { action: "reject" } });
    expect(merged.maxPositionPct).toBe(5);
    expect(merged.volatility).toEqual({ atrPeriod: 14, maxAtrPct: 10, action: "reject" });
    expect(merged.stopLossGuard).toEqual(DEFAULT_RISK_LIMITS.stopLossGuard);
    expect(merged.maxExposurePct).toBe(50);
  });

  it("never blanks a limit with an undefined override", () => {
    const merged = mergeLimits(DEFAULT_RISK_LIMITS, { maxPositionPct: undefined, stopLossGuard: { stops: undefined } });
    expect(merged.maxPositionPct).toBe(10);
    expect(merged.stopLossGuard.stops).toBe(3);
  });

  it("unions disabled symbols (a strategy cannot re-enable a banned one) and replaces enabled ones", () => {
    const global = { ...DEFAULT_RISK_LIMITS, disabledSymbols: ["LUNA/USDT"], enabledSymbols: ["BTC/USDT", "ETH/USDT"] };
    const merged = mergeLimits(global, { disabledSymbols: ["DOGE/USDT", "LUNA/USDT"], enabledSymbols: ["ETH/USDT"] });
    expect(merged.disabledSymbols).toEqual(["LUNA/USDT", "DOGE/USDT"]);
    expect(merged.enabledSymbols).toEqual(["ETH/USDT"]);
  });

  it("does not mutate its inputs", () => {
    const before = JSON.stringify(DEFAULT_RISK_LIMITS);
    mergeLimits(DEFAULT_RISK_LIMITS, { volatility: { maxAtrPct: 1 }, disabledSymbols: ["X/Y"] });
    expect(JSON.stringify(DEFAULT_RISK_LIMITS)).toBe(before);
  });
});

describe("TradingState", () => {
  it("is the bus's TradingState", () => {
    expectTypeOf<TradingState>().toEqualTypeOf<BusTradingState>();
  });

  it("orders the states by strictness", () => {
    expect(isStricter("REDUCING", "ACTIVE")).toBe(true);
    expect(isStricter("HALTED", "REDUCING")).toBe(true);
    expect(isStricter("ACTIVE", "REDUCING")).toBe(false);
    expect(isStricter("REDUCING", "REDUCING")).toBe(false);
  });
});
