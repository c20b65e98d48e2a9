import type SQLite from "better-sqlite3";
import type { Bus } from "../bus/index.ts";
import type { OrderIntent } from "../domain/index.ts";
import type { Maybe } from "../execution/maybe.ts";
import type { Logger } from "../log.ts";
import type { RiskEvaluation } from "../risk/pipeline.ts";
import type { Store } from "../store/database.ts";
import { insertRiskVerdict, type RiskVerdictRecord } from "../store/repositories/risk-verdicts.ts";

/** Writes one verdict row; done at once when it answers without a promise. */
export type VerdictWriter = (record: RiskVerdictRecord) => Maybe<void>;

/** Where recordVerdict writes and publishes. */
export interface VerdictDeps {
  /** None: verdicts are not stored (a backtest that keeps nothing durable); they are still published. */
  readonly write?: VerdictWriter;
  readonly bus: Bus;
  readonly log?: Logger;
}

/**
 * The fastest way to store verdicts in this store: one prepared statement on the raw SQLite handle (every
 * intent gets a verdict, so Kysely's per-query compile and prepare would cost more than the insert), the
 * risk_verdicts repository elsewhere. Both write the same row.
 * @example const write = verdictWriter(store); await write({ ...verdict, intentId, strategyId, symbol, side, time })
 */
export function verdictWriter(store: Store): VerdictWriter {
  const sqlite = store.sqlite;
  if (!sqlite) return async (record) => void (await insertRiskVerdict(store.db, record));
  const insert = sqlite.prepare(
    `INSERT INTO risk_verdicts (intent_id, strategy_id, symbol, side, decision, amount, rules_json, warnings_json, ts)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const run = (r: RiskVerdictRecord): void => {
    insert.run(
      r.intentId,
      r.strategyId,
      r.symbol,
      r.side,
      r.decision,
      r.amount,
      JSON.stringify(r.rules),
      JSON.stringify(r.warnings),
      r.time,
    );
  };
  return (r) => {
    // A Kysely transaction may be open across an await on the shared handle: never write into it.
    if (sqlite.inTransaction) return idle(sqlite).then(() => run(r));
    run(r);
  };
}

/**
 * Stores a verdict (risk_verdicts) and publishes it: `risk.verdict` with every rule's reason, one
 * `risk.warning` per limit getting close. Stored first, so chat and web find what the event says.
 * A bus failure is logged, never undoes the store or stops the order. The reasons are written only
 * for the store or a subscriber: an in-process bus nobody listens on gets no event at all.
 * @example await recordVerdict({ write: verdictWriter(store), bus }, intent, judgeIntent(intent, snapshot), clock.now())
 */
export function recordVerdict(
  deps: VerdictDeps,
  intent: OrderIntent,
  verdict: RiskEvaluation,
  time: number,
): Promise<void> | undefined {
  const written = deps.write?.({
    intentId: intent.id,
    strategyId: intent.strategyId,
    symbol: intent.symbol,
    side: intent.side,
    time,
    decision: verdict.decision,
    amount: verdict.amount,
    rules: verdict.rules,
    warnings: verdict.warnings,
  });
  if (written instanceof Promise) return written.then(() => announce(deps, intent, verdict));
  announce(deps, intent, verdict);
  return undefined;
}

function announce(deps: VerdictDeps, intent: OrderIntent, verdict: RiskEvaluation): void {
  const { bus } = deps;
  const verdicts = bus.listens?.("risk.verdict") !== false;
  const warnings = verdict.alerts.length > 0 && bus.listens?.("risk.warning") !== false;
  if (!verdicts && !warnings) return;
  const failed = (error: unknown) =>
    deps.log?.error({ err: error, intentId: intent.id }, "publishing a risk verdict failed");
  if (verdicts) {
    bus
      .publish("risk.verdict", {
        intentId: intent.id,
        strategyId: intent.strategyId,
        decision: verdict.decision,
        reasons: verdict.rules.map((r) => `${r.rule}: ${r.reason}`),
      })
      .catch(failed);
  }
  if (warnings) for (const alert of verdict.alerts) bus.publish("risk.warning", alert).catch(failed);
}

async function idle(sqlite: SQLite.Database): Promise<void> {
  while (sqlite.inTransaction) await new Promise((resolve) => setImmediate(resolve));
}
