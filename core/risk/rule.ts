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

/**
 * A reason as text, or as the function that writes it. Every intent runs through every rule, but most
 * verdicts are only counted (a backtest's tens of thousands): the text is written when someone reads it
 * (the store, a subscriber, chat), and is then exactly what it would have been.
 */
export type Reason = string | (() => string);

/** What a rule's check returns: a RuleResult whose reason may not be written yet. */
export type Ruling = (
  | { readonly decision: "approve"; readonly rule: string; readonly reason?: Reason }
  | { readonly decision: "resize"; readonly rule: string; readonly reason: Reason; readonly amount: number }
  | { readonly decision: "reject"; readonly rule: string; readonly reason: Reason }
) & { readonly warning?: RiskWarning };

/** The check inside a rule: the intent, the amount it has after the earlier rules, the snapshot. */
export type RuleCheck = (intent: OrderIntent, amount: number, snapshot: RiskSnapshot) => Ruling;

/**
 * A named, pure risk rule. It never throws and always says why. Called, it answers with its reason
 * written; the pipeline calls its `check`, which may leave the reason for later.
 */
export type RiskRule = ((intent: OrderIntent, amount: number, snapshot: RiskSnapshot) => RuleResult) & {
  readonly ruleName: string;
  readonly check: RuleCheck;
};

/**
 * Names a check, making it a rule.
 * @example const always = defineRule("always", () => approve("always", "fine"));
 */
export function defineRule(name: string, check: RuleCheck): RiskRule {
  return Object.assign(
    (intent: OrderIntent, amount: number, snapshot: RiskSnapshot) => written(check(intent, amount, snapshot)),
    { ruleName: name, check },
  );
}

/**
 * A reason's text.
 * @example textOf(() => `${1 + 1} BTC`) // "2 BTC"
 */
export function textOf(reason: Reason): string;
export function textOf(reason: Reason | undefined): string | undefined;
export function textOf(reason: Reason | undefined): string | undefined {
  return typeof reason === "function" ? reason() : reason;
}

/**
 * A ruling with its reason written: the same keys in the same order.
 * @example written(approve("x", () => "fine")) // { decision: "approve", rule: "x", reason: "fine" }
 */
export function written(ruling: Ruling): RuleResult {
  if (typeof ruling.reason !== "function") return ruling as RuleResult;
  const reason = ruling.reason();
  const base =
    ruling.decision === "resize"
      ? { decision: ruling.decision, rule: ruling.rule, reason, amount: ruling.amount }
      : { decision: ruling.decision, rule: ruling.rule, reason };
  return ruling.warning ? { ...base, warning: ruling.warning } : base;
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
  const passes = fixed(approve(name, EXIT_PASSES));
  return defineRule(name, (intent, amount, snapshot) => (intent.reduceOnly ? passes : check(intent, amount, snapshot)));
}

/**
 * A ruling that never changes (a constant reason), built once and shared by every verdict that gives it.
 * @example const ENTRY = fixed(approve("exit-size", "an entry, not an exit"));
 */
export function fixed<T extends Ruling>(ruling: T): T {
  return Object.freeze(ruling);
}

/** @example approve("symbol-enabled", "BTC/USDT is enabled") */
export function approve(rule: string, reason: Reason, warning?: Omit<RiskWarning, "rule">): Ruling {
  return warning
    ? { decision: "approve", rule, reason, warning: { rule, ...warning } }
    : { decision: "approve", rule, reason };
}

/** @example resize("single-position", 0.02, "position would be 14% of equity, limit 10%: resized to 0.02 BTC") */
export function resize(rule: string, amount: number, reason: Reason): Ruling {
  return { decision: "resize", rule, reason, amount };
}

/** @example reject("trading-state", "trading state HALTED: no new orders") */
export function reject(rule: string, reason: Reason, warning?: Omit<RiskWarning, "rule">): Ruling {
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
