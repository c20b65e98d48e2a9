import type SQLite from "better-sqlite3";
import type { Bus } from "../bus/index.ts";
import type { OrderIntent } from "../domain/index.ts";
import type { Logger } from "../log.ts";
import type { RiskEvaluation } from "../risk/pipeline.ts";
import type { Store } from "../store/database.ts";
import { insertRiskVerdict, type RiskVerdictRecord } from "../store/repositories/risk-verdicts.ts";

/** Writes one verdict row. */
export type VerdictWriter = (record: RiskVerdictRecord) => Promise<void>;

/** Where recordVerdict writes and publishes. */
export interface VerdictDeps {
  readonly write: VerdictWriter;
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
  return async (r) => {
    // A Kysely transaction may be open across an await on the shared handle: never write into it.
    if (sqlite.inTransaction) await idle(sqlite);
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
}

/**
 * Stores a verdict (risk_verdicts) and publishes it: `risk.verdict` with every rule's reason, one
 * `risk.warning` per limit getting close. Stored first, so chat and web find what the event says.
 * A bus failure is logged, never undoes the store or stops the order.
 * @example await recordVerdict({ write: verdictWriter(store), bus }, intent, evaluateIntent(intent, snapshot), clock.now())
 */
export async function recordVerdict(
  deps: VerdictDeps,
  intent: OrderIntent,
  verdict: RiskEvaluation,
  time: number,
): Promise<void> {
  await deps.write({
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
  try {
    await deps.bus.publish("risk.verdict", {
      intentId: intent.id,
      strategyId: intent.strategyId,
      decision: verdict.decision,
      reasons: verdict.rules.map((r) => `${r.rule}: ${r.reason}`),
    });
    for (const alert of verdict.alerts) await deps.bus.publish("risk.warning", alert);
  } catch (error) {
    deps.log?.error({ err: error, intentId: intent.id }, "publishing a risk verdict failed");
  }
}

async function idle(sqlite: SQLite.Database): Promise<void> {
  while (sqlite.inTransaction) await new Promise((resolve) => setImmediate(resolve));
}
