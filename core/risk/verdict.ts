import type { RiskVerdict } from "../domain/index.ts";
import { type RiskWarning, type Ruling, textOf } from "./rule.ts";

/** A verdict plus the structured warnings behind its `warnings` texts, ready for `risk.warning` events. */
export interface RiskEvaluation extends RiskVerdict {
  readonly alerts: readonly RiskWarning[];
}

type VerdictLine = RiskVerdict["rules"][number];

const NONE: readonly never[] = Object.freeze([]);

/**
 * The verdict of the pipeline with its reasons written when they are first read: `rules` (the store,
 * the `risk.verdict` event, chat) gives exactly the lines evaluateIntent gives, and so does JSON. Most
 * verdicts are only counted (a backtest's tens of thousands), and writing a dozen reasons with their
 * numbers cost more than judging the intent.
 * @example const v = judgeIntent(intent, snapshot); v.decision // "resize"; v.rules[0].reason // "0.02 BTC"
 */
export class Verdict implements RiskEvaluation {
  readonly #lines: readonly Ruling[];
  #rules: readonly VerdictLine[] | undefined;
  #warnings: readonly string[] | undefined;

  constructor(
    readonly decision: RiskVerdict["decision"],
    readonly amount: number,
    lines: readonly Ruling[],
    readonly alerts: readonly RiskWarning[] = NONE,
  ) {
    this.#lines = lines;
  }

  /** Every rule's line, in the order the rules ran (the size step first). */
  get rules(): readonly VerdictLine[] {
    this.#rules ??= this.#lines.map(line);
    return this.#rules;
  }

  get warnings(): readonly string[] {
    if (this.alerts.length === 0) return NONE;
    this.#warnings ??= this.alerts.map((a) => a.message);
    return this.#warnings;
  }

  /** The reason of the first rule that rejected, written alone (what an order denied says). */
  rejection(): string | undefined {
    for (const ruling of this.#lines) if (ruling.decision === "reject") return textOf(ruling.reason) ?? "";
    return undefined;
  }

  /** The plain RiskEvaluation, keys in evaluateIntent's order. */
  toJSON(): RiskEvaluation {
    return {
      decision: this.decision,
      amount: this.amount,
      rules: this.rules,
      warnings: this.warnings,
      alerts: this.alerts,
    };
  }
}

function line(ruling: Ruling): VerdictLine {
  return { rule: ruling.rule, decision: ruling.decision, reason: textOf(ruling.reason) ?? "" };
}
