import type { OrderIntent, RuleVerdict } from "../domain/index.ts";
import type { RiskSnapshot } from "./snapshot.ts";

/**
 * A limit getting close, raised beside a rule's decision. `level` says how far into the limit, in
 * percent (70 = 70% of it used). The shape is the bus's `risk.warning` payload.
 */
export interface RiskWarning {
  readonly rule: string;
  readonly level: number;
  readonly message: string;
}

/** A rule's verdict, with a warning when a limit is near. Still a `RuleVerdict`. */
export type RuleResult = RuleVerdict & { readonly warning?: RiskWarning };

/** The check inside a rule: the intent, the amount it has after the earlier rules, the snapshot. */
export type RuleCheck = (intent: OrderIntent, amount: number, snapshot: RiskSnapshot) => RuleResult;

/** A named, pure risk rule. It never throws and always says why. */
export type RiskRule = RuleCheck & { readonly ruleName: string };

/**
 * Names a check, making it a rule.
 * @example const always = defineRule("always", () => approve("always", "fine"));
 */
export function defineRule(name: string, check: RuleCheck): RiskRule {
  return Object.assign(
    (intent: OrderIntent, amount: number, snapshot: RiskSnapshot) => check(intent, amount, snapshot),
    {
      ruleName: name,
    },
  );
}

/** The reason every entry-limiting rule gives an exit. */
export const EXIT_PASSES = "exit: entry limits never block an exit";

/**
 * A rule that limits entries only. A trader must always be able to get out, so exits (reduce-only
 * intents) pass it untouched, whatever the limit says. The wrapper makes that hold for every such rule
 * by construction rather than by each rule remembering to check.
 * @example const noAlts = entryRule("no-alts", (i) => reject("no-alts", `${i.symbol} is an alt`));
 */
export function entryRule(name: string, check: RuleCheck): RiskRule {
  return defineRule(name, (intent, amount, snapshot) =>
    intent.reduceOnly ? approve(name, EXIT_PASSES) : check(intent, amount, snapshot),
  );
}

/** @example approve("symbol-enabled", "BTC/USDT is enabled") */
export function approve(rule: string, reason: string, warning?: Omit<RiskWarning, "rule">): RuleResult {
  return warning
    ? { decision: "approve", rule, reason, warning: { rule, ...warning } }
    : { decision: "approve", rule, reason };
}

/** @example resize("single-position", 0.02, "position would be 14% of equity, limit 10%: resized to 0.02 BTC") */
export function resize(rule: string, amount: number, reason: string): RuleResult {
  return { decision: "resize", rule, reason, amount };
}

/** @example reject("trading-state", "trading state HALTED: no new orders") */
export function reject(rule: string, reason: string, warning?: Omit<RiskWarning, "rule">): RuleResult {
  return warning
    ? { decision: "reject", rule, reason, warning: { rule, ...warning } }
    : { decision: "reject", rule, reason };
}

/**
 * True when `value` has reached `threshold`, float noise forgiven: a loss of 3.4999999999999996% has
 * reached a 3.5% threshold.
 * @example reached(0.035 * 100, 3.5) // true
 */
export function reached(value: number, threshold: number): boolean {
  return !exceeds(threshold, value);
}

/**
 * True when `value` is above `limit` by more than float noise: 0.1 + 0.2 is not "above" 0.3.
 * @example exceeds(0.1 + 0.2, 0.3) // false
 */
export function exceeds(value: number, limit: number): boolean {
  return value - limit > 1e-9 * Math.max(1, Math.abs(limit));
}
