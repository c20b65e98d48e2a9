import type { Selectable } from "kysely";
import type { Side } from "../../domain/order.ts";
import type { RiskVerdict } from "../../domain/risk.ts";
import type { RiskVerdictsTable } from "../schema.ts";
import type { Db, ListOptions } from "./common.ts";

/** A verdict with the intent it judged, as stored and shown in chat and the web panel. */
export interface RiskVerdictRecord extends RiskVerdict {
  readonly intentId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly time: number;
}

/** A stored verdict, with the id the store gave it. */
export interface StoredRiskVerdict extends RiskVerdictRecord {
  readonly id: number;
}

export interface RiskVerdictFilter extends ListOptions {
  readonly strategyId?: string;
  readonly symbol?: string;
  readonly intentId?: string;
  readonly decision?: RiskVerdict["decision"];
  /** At or after this time. */
  readonly since?: number;
}

/**
 * Stores a verdict and returns its id.
 * @example const id = await insertRiskVerdict(db, { ...verdict, intentId, strategyId, symbol, side, time })
 */
export async function insertRiskVerdict(db: Db, record: RiskVerdictRecord): Promise<number> {
  const row = await db
    .insertInto("risk_verdicts")
    .values({
      intent_id: record.intentId,
      strategy_id: record.strategyId,
      symbol: record.symbol,
      side: record.side,
      decision: record.decision,
      amount: record.amount,
      rules_json: JSON.stringify(record.rules),
      warnings_json: JSON.stringify(record.warnings),
      ts: record.time,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Verdicts matching every given filter, newest first by default.
 * @example await listRiskVerdicts(db, { strategyId: "sma-btc", decision: "reject", limit: 5 })
 */
export async function listRiskVerdicts(db: Db, filter: RiskVerdictFilter = {}): Promise<StoredRiskVerdict[]> {
  let query = db.selectFrom("risk_verdicts").selectAll();
  if (filter.strategyId !== undefined) query = query.where("strategy_id", "=", filter.strategyId);
  if (filter.symbol !== undefined) query = query.where("symbol", "=", filter.symbol);
  if (filter.intentId !== undefined) query = query.where("intent_id", "=", filter.intentId);
  if (filter.decision !== undefined) query = query.where("decision", "=", filter.decision);
  if (filter.since !== undefined) query = query.where("ts", ">=", filter.since);
  const order = filter.order ?? "desc";
  query = query.orderBy("ts", order).orderBy("id", order);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(toRecord);
}

function toRecord(row: Selectable<RiskVerdictsTable>): StoredRiskVerdict {
  return {
    id: row.id,
    intentId: row.intent_id,
    strategyId: row.strategy_id,
    symbol: row.symbol,
    side: row.side as Side,
    decision: row.decision as RiskVerdict["decision"],
    amount: row.amount,
    rules: JSON.parse(row.rules_json) as RiskVerdict["rules"],
    warnings: JSON.parse(row.warnings_json) as RiskVerdict["warnings"],
    time: row.ts,
  };
}
