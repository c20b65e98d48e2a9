import { describe, expect, it } from "vitest";
import {
  insertRiskVerdict,
  listRiskVerdicts,
  type RiskVerdictRecord,
} from "../../../core/store/repositories/risk-verdicts.ts";
import {
  GLOBAL_SCOPE,
  getTradingState,
  listTradingStates,
  setTradingState,
} from "../../../core/store/repositories/trading-state.ts";
import { DIALECTS, useMigratedStore } from "../../helpers/db.ts";

const T0 = 1_700_000_000_000;

function verdict(overrides: Partial<RiskVerdictRecord> = {}): RiskVerdictRecord {
  return {
    intentId: "i-1",
    strategyId: "sma-btc",
    symbol: "BTC/USDT",
    side: "buy",
    decision: "resize",
    amount: 0.05,
    rules: [
      { rule: "max-position", decision: "resize", reason: "position would be 14% of equity; limit 10%" },
      { rule: "symbol-enabled", decision: "approve", reason: "" },
    ],
    warnings: ["daily loss at 72% of the limit"],
    time: T0,
    ...overrides,
  };
}

describe.each(DIALECTS)("risk verdicts and trading state on %s", (dialect) => {
  const store = useMigratedStore(dialect, "risk");

  it("stores a verdict with its rules and warnings and gives it an id", async () => {
    const db = store().db;
    const id = await insertRiskVerdict(db, verdict({ intentId: "rt" }));
    expect(typeof id).toBe("number");
    expect(await listRiskVerdicts(db, { intentId: "rt" })).toEqual([{ id, ...verdict({ intentId: "rt" }) }]);
  });

  it("numbers verdicts in order and lists them by strategy and decision", async () => {
    const db = store().db;
    const a = await insertRiskVerdict(db, verdict({ strategyId: "lv", decision: "approve", time: T0 }));
    const b = await insertRiskVerdict(db, verdict({ strategyId: "lv", decision: "reject", amount: 0, time: T0 + 1 }));
    const c = await insertRiskVerdict(db, verdict({ strategyId: "lv", decision: "reject", amount: 0, time: T0 + 2 }));
    expect(a).toBeLessThan(b);
    expect(b).toBeLessThan(c);
    expect((await listRiskVerdicts(db, { strategyId: "lv" })).map((v) => v.id)).toEqual([c, b, a]);
    expect((await listRiskVerdicts(db, { strategyId: "lv", decision: "reject", limit: 1 })).map((v) => v.id)).toEqual([
      c,
    ]);
    expect((await listRiskVerdicts(db, { strategyId: "lv", since: T0 + 1, order: "asc" })).map((v) => v.id)).toEqual([
      b,
      c,
    ]);
  });

  it("keeps one trading state per scope, replaced on change", async () => {
    const db = store().db;
    expect(await getTradingState(db)).toBeUndefined();
    await setTradingState(db, {
      scope: GLOBAL_SCOPE,
      state: "HALTED",
      reason: "kill switch",
      changedBy: "telegram:1",
      changedAt: T0,
    });
    await setTradingState(db, { scope: "paper", state: "REDUCING", changedBy: "risk:max-drawdown", changedAt: T0 + 1 });
    await setTradingState(db, { scope: GLOBAL_SCOPE, state: "ACTIVE", changedBy: "telegram:1", changedAt: T0 + 2 });
    expect(await getTradingState(db)).toEqual({
      scope: "global",
      state: "ACTIVE",
      changedBy: "telegram:1",
      changedAt: T0 + 2,
    });
    expect(await getTradingState(db, "paper")).toEqual({
      scope: "paper",
      state: "REDUCING",
      changedBy: "risk:max-drawdown",
      changedAt: T0 + 1,
    });
    expect((await listTradingStates(db)).map((s) => s.scope)).toEqual(["global", "paper"]);
  });
});
