import { describe, expect, it } from "vitest";
import {
  approve,
  balance,
  DEFAULT_RULES,
  defineRule,
  evaluateIntent,
  judgeIntent,
  reject,
  resize,
  Verdict,
} from "../../../core/risk/index.ts";
import { buy, exit, position, snap } from "./fixtures.ts";

/** A rule whose reason counts how often it was written. */
function counted(decision: "approve" | "resize" | "reject") {
  const calls = { n: 0 };
  const text = () => {
    calls.n++;
    return `${decision} #${calls.n}`;
  };
  const rule = defineRule("counted", (_intent, amount) =>
    decision === "approve"
      ? approve("counted", text)
      : decision === "resize"
        ? resize("counted", amount / 2, text)
        : reject("counted", text),
  );
  return { rule, calls };
}

describe("judgeIntent: the verdict with its reasons written when read", () => {
  const cases = [
    ["an approval", buy(0.01), snap()],
    [
      "compounding resizes",
      buy(0.05),
      snap({ cash: 600, positions: [position(2.1, { symbol: "ETH/USDT", strategyId: "s2", lastPrice: 2_000 })] }),
    ],
    ["a rejection", buy(0.01), snap({ tradingState: "HALTED" })],
    ["warnings", buy(0.01), snap({ equity: 9_640, atrPct: 12 })],
    ["an exit", exit(0.01), snap({ positions: [position(0.01)] })],
    ["an unusable size", buy(-1), snap()],
  ] as const;

  it.each(cases)("reads exactly as evaluateIntent for %s, as lines and as JSON", (_name, intent, snapshot) => {
    const lazy = judgeIntent(intent, snapshot);
    const eager = evaluateIntent(intent, snapshot);
    expect(lazy).toBeInstanceOf(Verdict);
    expect(lazy.decision).toBe(eager.decision);
    expect(lazy.amount).toBe(eager.amount);
    expect(lazy.rules).toEqual(eager.rules);
    expect(lazy.warnings).toEqual(eager.warnings);
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
  });

  it("writes no reason until one is read, and each only once", () => {
    const { rule, calls } = counted("resize");
    const verdict = judgeIntent(buy(0.01), snap(), [rule]);
    expect(verdict.decision).toBe("resize");
    expect(verdict.amount).toBe(0.005);
    expect(calls.n).toBe(0);
    expect(verdict.rules.at(-1)).toEqual({ rule: "counted", decision: "resize", reason: "resize #1" });
    expect(verdict.rules.at(-1)?.reason).toBe("resize #1");
    expect(calls.n).toBe(1);
  });

  it("names a rejection by writing only the rejecting rule's reason", () => {
    const passing = counted("approve");
    const refusing = counted("reject");
    const verdict = judgeIntent(buy(0.01), snap(), [passing.rule, refusing.rule]);
    expect(verdict.rejection()).toBe("reject #1");
    expect(passing.calls.n).toBe(0);
    expect(judgeIntent(buy(0.01), snap(), [passing.rule]).rejection()).toBeUndefined();
  });

  it("leaves a rule called on its own answering with its reason written", () => {
    const result = balance(buy(0.05), 0.05, snap({ cash: 1_000 }));
    expect(typeof result.reason).toBe("string");
    expect(result).toEqual({
      decision: "resize",
      rule: "balance",
      reason: "costs 2500 USDT, 1000 USDT free: resized to 0.02 BTC",
      amount: 0.02,
    });
    expect(DEFAULT_RULES.every((r) => typeof r.check === "function")).toBe(true);
  });
});
