import { type Fill, isFinalStatus } from "../domain/index.ts";
import type { StepResult } from "../trading/session.ts";
import type { EquityColumns, IntentOutcome } from "../trading/types.ts";
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
  /** The reason of each of `fills`, when its order had answered by the step it filled in (the usual case). */
  private readonly fillReasons: (string | undefined)[] = [];
  /**
   * Reasons by client order id, of orders whose fills may come in a later step (still open when their
   * outcome came) or that were answered twice: the last one given wins, as it did for every order once.
   */
  private readonly reasons = new Map<string, string>();
  /**
   * This step's fills of orders that were done when their outcome came, and their reasons at the same
   * index, the first `pendingCount` of them: a step has a fill or two, and a Map (or an array) emptied
   * after every step would allocate a new table for the next.
   */
  private readonly pendingFills: Fill[] = [];
  private readonly pendingReasons: string[] = [];
  private pendingCount = 0;
  private readonly equity: Float64Array;
  private readonly cash: Float64Array;
  /** Both, as one object made once: handed to the quiet-candle loop at every quiet stretch. */
  private readonly series: EquityColumns;

  constructor(steps: number) {
    this.equity = new Float64Array(steps);
    this.cash = new Float64Array(steps);
    this.series = { equity: this.equity, cash: this.cash };
  }

  collect(step: StepResult | { readonly outcomes: readonly IntentOutcome[]; readonly fills: readonly Fill[] }): void {
    for (const outcome of step.outcomes) this.outcome(outcome);
    for (const fill of step.fills) {
      this.fills.push(fill);
      const k = this.pendingCount === 0 ? -1 : this.pendingAt(fill);
      this.fillReasons.push(k < 0 ? undefined : this.pendingReasons[k]);
    }
    // Counted out, not emptied: the slots left behind hold fills that `fills` keeps anyway.
    this.pendingCount = 0;
  }

  outcome(outcome: IntentOutcome): void {
    const v = outcome.verdict;
    if (v) {
      if (v.decision === "approve") this.verdicts.approved++;
      else if (v.decision === "resize") this.verdicts.resized++;
      else this.verdicts.rejected++;
    }
    const order = outcome.order;
    if (order === undefined) return;
    const reason = outcome.intent.reason ?? (outcome.intent.reduceOnly ? "exit" : "signal");
    // A new order that is done has all its fills in this outcome (and this step): they carry the reason
    // themselves, and the 40 000 orders of a backtest need no map of reasons by id.
    if (outcome.submit?.kind === "new" && isFinalStatus(order.status)) {
      for (const fill of outcome.fills) this.remember(fill, reason);
    } else this.reasons.set(order.clientOrderId, reason);
  }

  /** A pending fill's reason; a fill given twice keeps the last one. */
  private remember(fill: Fill, reason: string): void {
    const k = this.pendingAt(fill);
    const at = k >= 0 ? k : this.pendingCount++;
    this.pendingFills[at] = fill;
    this.pendingReasons[at] = reason;
  }

  private pendingAt(fill: Fill): number {
    for (let k = 0; k < this.pendingCount; k++) if (this.pendingFills[k] === fill) return k;
    return -1;
  }

  /** Why the order behind `fills[index]` was sent. */
  reasonOf = (clientOrderId: string, index: number): string | undefined =>
    this.reasons.get(clientOrderId) ?? this.fillReasons[index];

  /** Equity and cash after step `i` (a later call for the same step replaces it). */
  point(i: number, equity: number, cash: number): void {
    this.equity[i] = equity;
    this.cash[i] = cash;
  }

  /**
   * The equity and cash per step, as recorded (not copies): the account's quiet-candle loop writes into
   * them directly, a million candles a run, where a callback would box two numbers per candle.
   */
  columns(): EquityColumns {
    return this.series;
  }

  verdictCounts(): BacktestRun["verdicts"] {
    return { ...this.verdicts };
  }
}
