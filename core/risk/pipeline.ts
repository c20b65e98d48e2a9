import type { OrderIntent } from "../domain/index.ts";
import { fmt } from "./format.ts";
import { type RiskRule, type RiskWarning, type Ruling, reject, textOf } from "./rule.ts";
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
import { sizing } from "./sizing.ts";
import type { RiskSnapshot } from "./snapshot.ts";
import { type RiskEvaluation, Verdict } from "./verdict.ts";

export type { RiskEvaluation };

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

/**
 * Runs an intent through the rules. The intent is first sized (the "size" line of the verdict), then
 * each rule sees the amount the rules before it left: resizes compound. The first rejection ends the
 * run with that reason. The decision is approve when the amount never changed, resize when it did,
 * reject otherwise. Never throws: a rule that throws, or resizes to nonsense, rejects the intent,
 * since an order no rule could vouch for must not be sent. The reasons are written when read (Verdict).
 * @example judgeIntent(intent, snapshot).decision // "resize"
 */
export function judgeIntent(
  intent: OrderIntent,
  snapshot: RiskSnapshot,
  rules: readonly RiskRule[] = DEFAULT_RULES,
): Verdict {
  const sized = sizing(intent, snapshot);
  const lines: Ruling[] = [{ decision: sized.ok ? "approve" : "reject", rule: "size", reason: sized.reason }];
  if (!sized.ok) return new Verdict("reject", 0, lines);

  let alerts: RiskWarning[] | undefined;
  let amount = sized.amount;
  for (const rule of rules) {
    const ruling = runRule(rule, intent, amount, snapshot);
    lines.push(ruling);
    if (ruling.warning) {
      alerts ??= [];
      alerts.push(ruling.warning);
    }
    if (ruling.decision === "reject") return new Verdict("reject", 0, lines, alerts);
    if (ruling.decision === "resize") amount = ruling.amount;
  }
  return new Verdict(amount === sized.amount ? "approve" : "resize", amount, lines, alerts);
}

/**
 * judgeIntent with every reason written, as a plain object: what a caller that shows or stores the
 * whole verdict at once wants.
 * @example evaluateIntent(intent, snapshot)
 *   // { decision: "resize", amount: 0.02, rules: [{ rule: "size", ... }, ...], warnings: [], alerts: [] }
 */
export function evaluateIntent(
  intent: OrderIntent,
  snapshot: RiskSnapshot,
  rules: readonly RiskRule[] = DEFAULT_RULES,
): RiskEvaluation {
  return judgeIntent(intent, snapshot, rules).toJSON();
}

/** One rule, guarded: rules are pure and tested, but a bug in one must deny an order, not crash the engine. */
function runRule(rule: RiskRule, intent: OrderIntent, amount: number, snapshot: RiskSnapshot): Ruling {
  let ruling: Ruling;
  try {
    ruling = (rule.check ?? rule)(intent, amount, snapshot);
  } catch (error) {
    return {
      decision: "reject",
      rule: rule.ruleName,
      reason: `rule failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (ruling.decision !== "resize") return ruling;
  // Rules only ever shrink an order; growing it, or shrinking it to nothing, is a bug.
  const resized = ruling;
  if (!(resized.amount > 0) || !Number.isFinite(resized.amount) || resized.amount > amount) {
    return reject(
      resized.rule,
      () => `invalid resize from ${fmt(amount)} to ${fmt(resized.amount)}: ${textOf(resized.reason)}`,
    );
  }
  if (resized.amount === amount) return { decision: "approve", rule: resized.rule, reason: resized.reason };
  return resized;
}
