import type { OrderIntent, RiskVerdict } from "../domain/index.ts";
import { fmt } from "./format.ts";
import type { RiskRule, RiskWarning, RuleResult } from "./rule.ts";
import {
  balance,
  concurrentPositions,
  cooldown,
  dailyLoss,
  exitSize,
  maxDrawdown,
  minOrderSize,
  singlePosition,
  stopLossGuard,
  symbolEnabled,
  totalExposure,
  tradingState,
  volatility,
} from "./rules/index.ts";
import { sizeIntent } from "./sizing.ts";
import type { RiskSnapshot } from "./snapshot.ts";

/**
 * The rules in the order they run. Cheap yes/no checks first, so a rejection names the most basic
 * reason; then the resizing rules, tightest first; then the minimum size, on the amount that will
 * really be sent; the trading state last, as in NautilusTrader's RiskEngine.
 */
export const DEFAULT_RULES: readonly RiskRule[] = [
  exitSize,
  symbolEnabled,
  maxDrawdown,
  dailyLoss,
  cooldown,
  stopLossGuard,
  volatility,
  concurrentPositions,
  singlePosition,
  totalExposure,
  balance,
  minOrderSize,
  tradingState,
];

/** A verdict plus the structured warnings behind its `warnings` texts, ready for `risk.warning` events. */
export interface RiskEvaluation extends RiskVerdict {
  readonly alerts: readonly RiskWarning[];
}

type VerdictLine = RiskVerdict["rules"][number];

/**
 * Runs an intent through the rules. The intent is first sized (the "size" line of the verdict), then
 * each rule sees the amount the rules before it left: resizes compound. The first rejection ends the
 * run with that reason. The decision is approve when the amount never changed, resize when it did,
 * reject otherwise. Never throws: a rule that throws, or resizes to nonsense, rejects the intent,
 * since an order no rule could vouch for must not be sent.
 * @example evaluateIntent(intent, snapshot)
 *   // { decision: "resize", amount: 0.02, rules: [{ rule: "size", ... }, ...], warnings: [], alerts: [] }
 */
export function evaluateIntent(
  intent: OrderIntent,
  snapshot: RiskSnapshot,
  rules: readonly RiskRule[] = DEFAULT_RULES,
): RiskEvaluation {
  const sized = sizeIntent(intent, snapshot);
  const lines: VerdictLine[] = [{ rule: "size", decision: sized.ok ? "approve" : "reject", reason: sized.reason }];
  const alerts: RiskWarning[] = [];
  if (!sized.ok) return evaluation("reject", 0, lines, alerts);

  let amount = sized.amount;
  for (const rule of rules) {
    const verdict = runRule(rule, intent, amount, snapshot);
    lines.push({ rule: verdict.rule, decision: verdict.decision, reason: verdict.reason ?? "" });
    if (verdict.warning) alerts.push(verdict.warning);
    if (verdict.decision === "reject") return evaluation("reject", 0, lines, alerts);
    if (verdict.decision === "resize") amount = verdict.amount;
  }
  return evaluation(amount === sized.amount ? "approve" : "resize", amount, lines, alerts);
}

function evaluation(
  decision: RiskVerdict["decision"],
  amount: number,
  rules: VerdictLine[],
  alerts: RiskWarning[],
): RiskEvaluation {
  return { decision, amount, rules, warnings: alerts.map((a) => a.message), alerts };
}

/** One rule, guarded: rules are pure and tested, but a bug in one must deny an order, not crash the engine. */
function runRule(rule: RiskRule, intent: OrderIntent, amount: number, snapshot: RiskSnapshot): RuleResult {
  let verdict: RuleResult;
  try {
    verdict = rule(intent, amount, snapshot);
  } catch (error) {
    return {
      decision: "reject",
      rule: rule.ruleName,
      reason: `rule failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (verdict.decision !== "resize") return verdict;
  // Rules only ever shrink an order; growing it, or shrinking it to nothing, is a bug.
  if (!(verdict.amount > 0) || !Number.isFinite(verdict.amount) || verdict.amount > amount) {
    return {
      decision: "reject",
      rule: verdict.rule,
      reason: `invalid resize from ${fmt(amount)} to ${fmt(verdict.amount)}: ${verdict.reason}`,
    };
  }
  if (verdict.amount === amount) return { decision: "approve", rule: verdict.rule, reason: verdict.reason };
  return verdict;
}
