import type { Fill } from "../domain/index.ts";
import type { StepResult } from "../trading/session.ts";
import type { IntentOutcome } from "../trading/types.ts";
import type { BacktestRun } from "./types.ts";

/**
 * What a simulation keeps as it runs: every fill in order, why each order was sent (the exit reason of
 * a trade), the verdict counts, and one equity point per step in typed arrays (a million steps are two
 * Float64Arrays, not a million objects, until the run is built).
 * @example const rec = new RunRecorder(timeline.length); rec.collect(stepResult); rec.point(i, equity, cash)
 */
export class RunRecorder {
  readonly fills: Fill[] = [];
  readonly verdicts = { approved: 0, resized: 0, rejected: 0 };
  private readonly reasons = new Map<string, string>();
  private readonly equity: Float64Array;
  private readonly cash: Float64Array;

  constructor(steps: number) {
    this.equity = new Float64Array(steps);
    this.cash = new Float64Array(steps);
  }

  collect(step: StepResult | { readonly outcomes: readonly IntentOutcome[]; readonly fills: readonly Fill[] }): void {
    for (const outcome of step.outcomes) this.outcome(outcome);
    for (const fill of step.fills) this.fills.push(fill);
  }

  outcome(outcome: IntentOutcome): void {
    const v = outcome.verdict;
    if (v) {
      if (v.decision === "approve") this.verdicts.approved++;
      else if (v.decision === "resize") this.verdicts.resized++;
      else this.verdicts.rejected++;
    }
    const id = outcome.order?.clientOrderId;
    if (id !== undefined)
      this.reasons.set(id, outcome.intent.reason ?? (outcome.intent.reduceOnly ? "exit" : "signal"));
  }

  reasonOf = (clientOrderId: string): string | undefined => this.reasons.get(clientOrderId);

  /** Equity and cash after step `i` (a later call for the same step replaces it). */
  point(i: number, equity: number, cash: number): void {
    this.equity[i] = equity;
    this.cash[i] = cash;
  }

  /** The equity and cash per step, as recorded (not copies). */
  columns(): { readonly equity: Float64Array; readonly cash: Float64Array } {
    return { equity: this.equity, cash: this.cash };
  }

  verdictCounts(): BacktestRun["verdicts"] {
    return { ...this.verdicts };
  }
}
