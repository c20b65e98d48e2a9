import { describe, expect, it } from "vitest";
import type { RiskVerdict } from "../../../core/domain/index.ts";
import {
  approve,
  DEFAULT_RULES,
  defineRule,
  EXIT_PASSES,
  evaluateIntent,
  nextTradingState,
  resize,
  type StateSwitch,
} from "../../../core/risk/index.ts";
import { buy, exit, MIN, position, snap, T0 } from "./fixtures.ts";

const RULE_ORDER = [
  "size",
  "exit-size",
  "symbol-enabled",
  "max-drawdown",
  "daily-loss",
  "cooldown",
  "stop-loss-guard",
  "volatility",
  "concurrent-positions",
  "single-position",
  "total-exposure",
  "balance",
  "min-order-size",
  "trading-state",
];

describe("evaluateIntent", () => {
  it("approves an intent no rule objects to, listing every rule's reason in order", () => {
    const verdict = evaluateIntent(buy(0.01), snap());
    expect(verdict.decision).toBe("approve");
    expect(verdict.amount).toBe(0.01);
    expect(verdict.rules.map((r) => r.rule)).toEqual(RULE_ORDER);
    expect(verdict.rules.every((r) => r.decision === "approve" && r.reason.length > 0)).toBe(true);
    expect(verdict.warnings).toEqual([]);
    const asStored: RiskVerdict = verdict; // the domain's verdict type, as stored and published
    expect(asStored.rules[0]).toEqual({ rule: "size", decision: "approve", reason: "0.01 BTC" });
  });

  it("compounds resizes: each rule sees the amount the previous ones left", () => {
    // single-position: 0.05 BTC = 25% → 0.02; total-exposure: ETH 4 200 + 0.02 × 50 000 = 52% → room
    // 800 USDT = 0.016; balance: 0.016 × 50 000 = 800 > 600 free → 0.012.
    const s = snap({
      cash: 600,
      positions: [position(2.1, { symbol: "ETH/USDT", strategyId: "s2", lastPrice: 2_000 })],
    });
    const verdict = evaluateIntent(buy(0.05), s);
    expect(verdict.decision).toBe("resize");
    expect(verdict.amount).toBe(0.012);
    const line = (rule: string) => verdict.rules.find((r) => r.rule === rule);
    expect(line("single-position")).toEqual({
      rule: "single-position",
      decision: "resize",
      reason: "position would be 25% of equity, limit 10%: resized to 0.02 BTC",
    });
    // 52% rather than 67%: it judged the 0.02 left by single-position, not the 0.05 asked for
    expect(line("total-exposure")?.reason).toBe("exposure would be 52% of equity, limit 50%: resized to 0.016 BTC");
    expect(line("balance")?.reason).toBe("costs 800 USDT, 600 USDT free: resized to 0.012 BTC");
    expect(line("min-order-size")?.reason).toBe("order of 0.012 BTC (600 USDT) meets the 10 USDT minimum");
  });

  it("stops at the first rejection, with its reason, and amount 0", () => {
    const s = snap({ tradingState: "HALTED", limits: { disabledSymbols: ["BTC/USDT"] } });
    const verdict = evaluateIntent(buy(0.01), s);
    expect(verdict.decision).toBe("reject");
    expect(verdict.amount).toBe(0);
    expect(verdict.rules.at(-1)).toEqual({
      rule: "symbol-enabled",
      decision: "reject",
      reason: "BTC/USDT is disabled",
    });
    expect(verdict.rules.map((r) => r.rule)).toEqual(["size", "exit-size", "symbol-enabled"]);
  });

  it("checks the trading state last", () => {
    const verdict = evaluateIntent(buy(0.03), snap({ tradingState: "HALTED" }));
    expect(verdict.decision).toBe("reject");
    expect(verdict.rules.map((r) => r.rule)).toEqual(RULE_ORDER);
    expect(verdict.rules.find((r) => r.rule === "single-position")?.decision).toBe("resize");
    expect(verdict.rules.at(-1)).toEqual({
      rule: "trading-state",
      decision: "reject",
      reason: "trading state HALTED: no orders are sent",
    });
  });

  it("REDUCING rejects entries and approves exits", () => {
    const s = snap({ tradingState: "REDUCING", positions: [position(0.01)] });
    expect(evaluateIntent(buy(0.01), s).rules.at(-1)?.reason).toBe("trading state REDUCING: only exits are allowed");
    expect(evaluateIntent(buy(0.01), s).decision).toBe("reject");
    expect(evaluateIntent(exit(0.01), s)).toMatchObject({ decision: "approve", amount: 0.01 });
  });

  it("HALTED rejects exits too", () => {
    const s = snap({ tradingState: "HALTED", positions: [position(0.02)] });
    expect(evaluateIntent(exit(0.01), s)).toMatchObject({ decision: "reject", amount: 0 });
  });

  describe("exits pass every entry rule", () => {
    // Every entry limit tripped at once: disabled symbol, 50% drawdown, 20% daily loss, a stop-out a
    // minute ago, a locked symbol, ATR% far above a rejecting filter, 10 positions open, exposure and
    // position far over their limits, no cash, REDUCING.
    const terrible = snap({
      equity: 5_000,
      dayStartEquity: 6_250,
      peakEquity: 10_000,
      cash: 0,
      atrPct: 60,
      tradingState: "REDUCING",
      recentStops: [3, 2, 1].map((m) => ({ symbol: "BTC/USDT", time: T0 - m * MIN })),
      positions: [
        position(0.3),
        ...Array.from({ length: 9 }, (_, i) =>
          position(1, { symbol: `C${i}/USDT`, strategyId: "s2", lastPrice: 1_000 }),
        ),
      ],
      limits: { disabledSymbols: ["BTC/USDT"], volatility: { action: "reject" } },
    });

    it("approves the exit, every rule approving", () => {
      const verdict = evaluateIntent(exit(0.1), terrible);
      expect(verdict.decision).toBe("approve");
      expect(verdict.amount).toBe(0.1);
      expect(verdict.rules.map((r) => r.rule)).toEqual(RULE_ORDER);
      expect(verdict.rules.filter((r) => r.decision !== "approve")).toEqual([]);
      for (const rule of [
        "symbol-enabled",
        "max-drawdown",
        "cooldown",
        "stop-loss-guard",
        "volatility",
        "concurrent-positions",
        "single-position",
        "total-exposure",
        "balance",
      ]) {
        expect(verdict.rules.find((r) => r.rule === rule)?.reason).toBe(EXIT_PASSES);
      }
      // the daily loss still warns: (6 250 − 5 000) / 6 250 = 20%, 400% of the 5% limit
      expect(verdict.warnings).toEqual(["daily loss 20% of day-start equity is 400% of the 5% limit"]);
    });

    it("while the same snapshot rejects an entry", () => {
      expect(evaluateIntent(buy(0.01), terrible).decision).toBe("reject");
    });
  });

  it("collects warnings from every rule, structured and as text", () => {
    // daily loss 3.6% (72% of 5%) and ATR% 12 over a warn-only 10% filter
    const verdict = evaluateIntent(buy(0.01), snap({ equity: 9_640, atrPct: 12 }));
    expect(verdict.decision).toBe("approve");
    expect(verdict.alerts).toEqual([
      { rule: "daily-loss", level: 70, message: "daily loss 3.6% of day-start equity is 72% of the 5% limit" },
      { rule: "volatility", level: 120, message: "ATR(14) is 12% of the price, above the 10% limit" },
    ]);
    expect(verdict.warnings).toEqual(verdict.alerts.map((a) => a.message));
  });

  it("rejects at the size step when the size is unusable", () => {
    expect(evaluateIntent(buy(-1), snap())).toEqual({
      decision: "reject",
      amount: 0,
      rules: [{ rule: "size", decision: "reject", reason: "size must be a positive number, got -1" }],
      warnings: [],
      alerts: [],
    });
  });

  it("counts only rule resizes, not the size step's rounding, as a resize", () => {
    const verdict = evaluateIntent(buy(0.0123456), snap());
    expect(verdict).toMatchObject({ decision: "approve", amount: 0.01234 });
  });

  it("rejects when a rule throws, instead of throwing", () => {
    const boom = defineRule("boom", () => {
      throw new Error("no price feed");
    });
    expect(evaluateIntent(buy(0.01), snap(), [boom])).toMatchObject({
      decision: "reject",
      rules: [{ rule: "size" }, { rule: "boom", decision: "reject", reason: "rule failed: no price feed" }],
    });
  });

  it("rejects a resize that grows the order, and treats a same-size resize as approval", () => {
    const grow = defineRule("grow", (_i, amount) => resize("grow", amount * 2, "bigger is better"));
    expect(evaluateIntent(buy(0.01), snap(), [grow]).rules[1]).toEqual({
      rule: "grow",
      decision: "reject",
      reason: "invalid resize from 0.01 to 0.02: bigger is better",
    });
    const same = defineRule("same", (_i, amount) => resize("same", amount, "no change"));
    expect(evaluateIntent(buy(0.01), snap(), [same])).toMatchObject({
      decision: "approve",
      rules: [{}, { decision: "approve" }],
    });
  });

  it("runs custom rule lists", () => {
    const note = defineRule("note", () => approve("note", "fine"));
    expect(evaluateIntent(buy(0.01), snap(), [note]).rules.map((r) => r.rule)).toEqual(["size", "note"]);
    expect(DEFAULT_RULES.at(-1)?.ruleName).toBe("trading-state");
  });
});

describe("nextTradingState", () => {
  const inputs = (over: Parameters<typeof snap>[0] = {}) => snap(over);

  it("switches to REDUCING when the daily loss reaches its limit", () => {
    expect(nextTradingState(inputs({ equity: 9_500 }))).toEqual({
      from: "ACTIVE",
      state: "REDUCING",
      reason: "daily loss 5% of day-start equity reached the 5% limit: exits only",
      by: "risk:daily-loss",
    });
  });

  it("switches to REDUCING when the drawdown reaches its limit", () => {
    // peak 13 000, equity 9 750: 25% down; the day itself is flat
    expect(nextTradingState(inputs({ equity: 9_750, dayStartEquity: 9_750, peakEquity: 13_000 }))).toEqual({
      from: "ACTIVE",
      state: "REDUCING",
      reason: "drawdown 25% from the equity peak reached the 25% limit: exits only",
      by: "risk:max-drawdown",
    });
  });

  it("returns undefined when nothing is tripped, or the state is already as strict", () => {
    expect(nextTradingState(inputs({ equity: 9_800 }))).toBeUndefined();
    expect(nextTradingState(inputs({ equity: 9_000, tradingState: "REDUCING" }))).toBeUndefined();
    expect(nextTradingState(inputs({ equity: 9_000, tradingState: "HALTED" }))).toBeUndefined();
  });

  it("never loosens the state, whatever a switch asks", () => {
    const loosen: StateSwitch = (i) => ({ from: i.tradingState, state: "ACTIVE", reason: "all good", by: "risk:x" });
    const halt: StateSwitch = (i) => ({ from: i.tradingState, state: "HALTED", reason: "exchange down", by: "risk:y" });
    expect(nextTradingState(inputs({ tradingState: "REDUCING" }), [loosen])).toBeUndefined();
    expect(nextTradingState(inputs({ tradingState: "REDUCING" }), [loosen, halt])?.state).toBe("HALTED");
  });
});
