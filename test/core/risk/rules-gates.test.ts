import { describe, expect, it } from "vitest";
import {
  cooldown,
  dailyLoss,
  EXIT_PASSES,
  maxDrawdown,
  stopLossGuard,
  symbolEnabled,
  tradingState,
  volatility,
} from "../../../core/risk/index.ts";
import { buy, exit, MIN, snap, T0 } from "./fixtures.ts";

describe("trading-state", () => {
  it("ACTIVE approves entries and exits", () => {
    expect(tradingState(buy(0.01), 0.01, snap())).toEqual({
      decision: "approve",
      rule: "trading-state",
      reason: "trading state ACTIVE",
    });
    expect(tradingState(exit(0.01), 0.01, snap()).decision).toBe("approve");
  });

  it("REDUCING rejects entries and lets exits through", () => {
    const s = snap({ tradingState: "REDUCING" });
    expect(tradingState(buy(0.01), 0.01, s)).toEqual({
      decision: "reject",
      rule: "trading-state",
      reason: "trading state REDUCING: only exits are allowed",
    });
    expect(tradingState(exit(0.01), 0.01, s)).toEqual({
      decision: "approve",
      rule: "trading-state",
      reason: "trading state REDUCING: exits allowed",
    });
  });

  it("HALTED rejects everything, exits included", () => {
    const s = snap({ tradingState: "HALTED" });
    const halted = { decision: "reject", rule: "trading-state", reason: "trading state HALTED: no orders are sent" };
    expect(tradingState(buy(0.01), 0.01, s)).toEqual(halted);
    expect(tradingState(exit(0.01), 0.01, s)).toEqual(halted);
  });
});

describe("symbol-enabled", () => {
  it("approves any symbol when no allow-list is set", () => {
    expect(symbolEnabled(buy(0.01), 0.01, snap()).reason).toBe("BTC/USDT is enabled");
  });

  it("rejects a disabled symbol, even one the allow-list names", () => {
    const s = snap({ limits: { disabledSymbols: ["BTC/USDT"], enabledSymbols: ["BTC/USDT"] } });
    expect(symbolEnabled(buy(0.01), 0.01, s)).toEqual({
      decision: "reject",
      rule: "symbol-enabled",
      reason: "BTC/USDT is disabled",
    });
  });

  it("rejects a symbol missing from the allow-list", () => {
    const s = snap({ limits: { enabledSymbols: ["ETH/USDT", "SOL/USDT"] } });
    expect(symbolEnabled(buy(0.01), 0.01, s).reason).toBe(
      "BTC/USDT is not in the enabled symbols (ETH/USDT, SOL/USDT)",
    );
  });

  it("lets an exit out of a disabled symbol", () => {
    const s = snap({ limits: { disabledSymbols: ["BTC/USDT"] } });
    expect(symbolEnabled(exit(0.01), 0.01, s)).toEqual({
      decision: "approve",
      rule: "symbol-enabled",
      reason: EXIT_PASSES,
    });
  });
});

describe("daily-loss (limit 5%)", () => {
  it("approves quietly below 70% of the limit", () => {
    // (10 000 − 9 800) / 10 000 = 2%, 40% of the limit
    const verdict = dailyLoss(buy(0.01), 0.01, snap({ equity: 9_800 }));
    expect(verdict).toEqual({
      decision: "approve",
      rule: "daily-loss",
      reason: "daily loss 2% of day-start equity, limit 5%",
    });
  });

  it("warns at 70% of the limit", () => {
    // 360 / 10 000 = 3.6% of day-start equity = 72% of 5%
    const verdict = dailyLoss(buy(0.01), 0.01, snap({ equity: 9_640 }));
    const text = "daily loss 3.6% of day-start equity is 72% of the 5% limit";
    expect(verdict).toEqual({
      decision: "approve",
      rule: "daily-loss",
      reason: text,
      warning: { rule: "daily-loss", level: 70, message: text },
    });
  });

  it("warns at exactly 70%, float noise forgiven", () => {
    // 350 / 10 000 × 100 = 3.5000000000000004: still exactly 70% of 5% for a trader
    expect(dailyLoss(buy(0.01), 0.01, snap({ equity: 9_650 })).warning?.level).toBe(70);
  });

  it("warns at 90% of the limit", () => {
    // 4.6% = 92% of 5%
    const verdict = dailyLoss(buy(0.01), 0.01, snap({ equity: 9_540 }));
    expect(verdict.decision).toBe("approve");
    expect(verdict.warning).toEqual({
      rule: "daily-loss",
      level: 90,
      message: "daily loss 4.6% of day-start equity is 92% of the 5% limit",
    });
  });

  it("rejects entries at 100% of the limit", () => {
    const verdict = dailyLoss(buy(0.01), 0.01, snap({ equity: 9_500 }));
    expect(verdict).toMatchObject({
      decision: "reject",
      reason: "daily loss 5% of day-start equity is 100% of the 5% limit: no new entries until the next UTC day",
      warning: { level: 100 },
    });
  });

  it("always lets exits through, warning included", () => {
    const verdict = dailyLoss(exit(0.01), 0.01, snap({ equity: 8_000 }));
    expect(verdict).toMatchObject({
      decision: "approve",
      reason: "daily loss 20% of day-start equity is 400% of the 5% limit: exits stay allowed",
      warning: { level: 100 },
    });
  });

  it("counts a winning day as no loss", () => {
    expect(dailyLoss(buy(0.01), 0.01, snap({ equity: 10_500 })).reason).toBe(
      "daily loss 0% of day-start equity, limit 5%",
    );
  });

  it("says so when there is no day-start equity", () => {
    expect(dailyLoss(buy(0.01), 0.01, snap({ dayStartEquity: 0 })).reason).toBe(
      "no day-start equity recorded: daily loss not measured",
    );
  });
});

describe("max-drawdown (limit 25%)", () => {
  it("locks entries once the drawdown reaches the limit", () => {
    // (12 000 − 9 000) / 12 000 = 25%
    expect(maxDrawdown(buy(0.01), 0.01, snap({ equity: 9_000, peakEquity: 12_000 }))).toEqual({
      decision: "reject",
      rule: "max-drawdown",
      reason: "drawdown 25% from the equity peak reached the 25% limit: new entries locked",
    });
  });

  it("approves below the limit", () => {
    // 2 000 / 12 000 = 16.666…%
    expect(maxDrawdown(buy(0.01), 0.01, snap({ equity: 10_000, peakEquity: 12_000 })).reason).toBe(
      "drawdown 16.67% from the equity peak, limit 25%",
    );
  });

  it("lets exits through", () => {
    expect(maxDrawdown(exit(0.01), 0.01, snap({ equity: 1_000, peakEquity: 12_000 })).decision).toBe("approve");
  });
});

describe("volatility (ATR(14)%, limit 10%)", () => {
  it("rejects above the threshold when configured to reject", () => {
    const s = snap({ atrPct: 12.5, limits: { volatility: { action: "reject" } } });
    expect(volatility(buy(0.01), 0.01, s)).toEqual({
      decision: "reject",
      rule: "volatility",
      reason: "ATR(14) is 12.5% of the price, above the 10% limit",
    });
  });

  it("only warns when configured to warn", () => {
    const verdict = volatility(buy(0.01), 0.01, snap({ atrPct: 12.5 }));
    expect(verdict).toEqual({
      decision: "approve",
      rule: "volatility",
      reason: "ATR(14) is 12.5% of the price, above the 10% limit (warning only)",
      warning: { rule: "volatility", level: 125, message: "ATR(14) is 12.5% of the price, above the 10% limit" },
    });
  });

  it("computes ATR% from the ATR and the price", () => {
    // 1 500 / 50 000 = 3%
    expect(volatility(buy(0.01), 0.01, snap({ atr: 1_500 })).reason).toBe("ATR(14) is 3% of the price, limit 10%");
    // 6 000 / 50 000 = 12%
    expect(
      volatility(buy(0.01), 0.01, snap({ atr: 6_000, limits: { volatility: { action: "reject" } } })).decision,
    ).toBe("reject");
  });

  it("says so while the ATR is unknown", () => {
    expect(volatility(buy(0.01), 0.01, snap()).reason).toBe("ATR(14) not known yet: volatility filter not applied");
  });

  it("lets exits through", () => {
    const s = snap({ atrPct: 80, limits: { volatility: { action: "reject" } } });
    expect(volatility(exit(0.01), 0.01, s).decision).toBe("approve");
  });
});

describe("cooldown (60 min)", () => {
  it("rejects an entry soon after a stop-out on the symbol", () => {
    const s = snap({ recentStops: [{ symbol: "BTC/USDT", time: T0 - 12 * MIN }] });
    expect(cooldown(buy(0.01), 0.01, s)).toEqual({
      decision: "reject",
      rule: "cooldown",
      reason: "BTC/USDT stopped out 12 min ago: cooldown 60 min, entries allowed again in 48 min",
    });
  });

  it("counts from the latest stop-out", () => {
    const s = snap({
      recentStops: [
        { symbol: "BTC/USDT", time: T0 - 50 * MIN },
        { symbol: "BTC/USDT", time: T0 - 5 * MIN },
      ],
    });
    expect(cooldown(buy(0.01), 0.01, s).reason).toMatch(/stopped out 5 min ago.*again in 55 min/);
  });

  it("approves once the cooldown is over, and for other symbols", () => {
    const s = snap({
      recentStops: [
        { symbol: "BTC/USDT", time: T0 - 60 * MIN },
        { symbol: "ETH/USDT", time: T0 - MIN },
      ],
    });
    expect(cooldown(buy(0.01), 0.01, s)).toEqual({
      decision: "approve",
      rule: "cooldown",
      reason: "no stop-out on BTC/USDT in the last 60 min",
    });
  });

  it("lets exits through", () => {
    expect(cooldown(exit(0.01), 0.01, snap({ recentStops: [{ symbol: "BTC/USDT", time: T0 }] })).decision).toBe(
      "approve",
    );
  });
});

describe("stop-loss-guard (3 stops in 240 min lock 240 min)", () => {
  const stops = (...minutesAgo: number[]) => minutesAgo.map((m) => ({ symbol: "BTC/USDT", time: T0 - m * MIN }));

  it("locks the symbol after 3 stop-outs within the window, from the third", () => {
    // stops 200, 120 and 60 min ago span 140 min ≤ 240; locked until 60 min ago + 240 = 180 min from now
    expect(stopLossGuard(buy(0.01), 0.01, snap({ recentStops: stops(200, 120, 60) }))).toEqual({
      decision: "reject",
      rule: "stop-loss-guard",
      reason: "3 stop-outs on BTC/USDT within 240 min: locked for another 180 min",
    });
  });

  it("does not lock when the stops are spread wider than the window", () => {
    // 500 → 100 min ago spans 400 min; only the last is within 240 min
    expect(stopLossGuard(buy(0.01), 0.01, snap({ recentStops: stops(500, 300, 100) }))).toEqual({
      decision: "approve",
      rule: "stop-loss-guard",
      reason: "1 of 3 stop-outs on BTC/USDT in the last 240 min",
    });
  });

  it("unlocks when the lock has run out", () => {
    // 400, 350, 300 min ago: locked until 300 − 240 = 60 min ago
    expect(stopLossGuard(buy(0.01), 0.01, snap({ recentStops: stops(400, 350, 300) })).decision).toBe("approve");
  });

  it("counts only the symbol's own stops", () => {
    const s = snap({ recentStops: [...stops(30, 20), { symbol: "ETH/USDT", time: T0 - 10 * MIN }] });
    expect(stopLossGuard(buy(0.01), 0.01, s).reason).toBe("2 of 3 stop-outs on BTC/USDT in the last 240 min");
  });

  it("lets exits through", () => {
    expect(stopLossGuard(exit(0.01), 0.01, snap({ recentStops: stops(3, 2, 1) })).decision).toBe("approve");
  });
});
