import type { Db } from "./common.ts";

/** The kill switch: trade normally, only reduce what is held, or send nothing new. */
export type TradingStateName = "ACTIVE" | "REDUCING" | "HALTED";

/** The scope of the whole engine; other scopes are account ids. */
export const GLOBAL_SCOPE = "global";

export interface TradingStateRecord {
  readonly scope: string;
  readonly state: TradingStateName;
  readonly reason?: string;
  /** "telegram:12345", "web:admin", or "risk:<rule>" when a rule switched it. */
  readonly changedBy: string;
  readonly changedAt: number;
}

/**
 * Sets the trading state of a scope, replacing the previous one.
 * @example await setTradingState(db, { scope: GLOBAL_SCOPE, state: "HALTED", reason: "manual", changedBy: "telegram:42", changedAt: now })
 */
export async function setTradingState(db: Db, record: TradingStateRecord): Promise<void> {
  const values = {
    state: record.state,
    reason: record.reason ?? null,
    changed_by: record.changedBy,
    changed_at: record.changedAt,
  };
  await db
    .insertInto("trading_state")
    .values({ scope: record.scope, ...values })
    .onConflict((oc) => oc.column("scope").doUpdateSet(values))
    .execute();
}

/**
 * The stored state of a scope; undefined when it was never set (the caller treats that as ACTIVE).
 * @example (await getTradingState(db))?.state ?? "ACTIVE"
 */
export async function getTradingState(db: Db, scope: string = GLOBAL_SCOPE): Promise<TradingStateRecord | undefined> {
  const row = await db.selectFrom("trading_state").selectAll().where("scope", "=", scope).executeTakeFirst();
  return row && toRecord(row);
}

/** Every scope that has a state, global first. @example await listTradingStates(db) */
export async function listTradingStates(db: Db): Promise<TradingStateRecord[]> {
  const rows = await db.selectFrom("trading_state").selectAll().orderBy("scope").execute();
  return rows.map(toRecord).sort((a, b) => Number(b.scope === GLOBAL_SCOPE) - Number(a.scope === GLOBAL_SCOPE));
}

function toRecord(row: {
  scope: string;
  state: string;
  reason: string | null;
  changed_by: string;
  changed_at: number;
}): TradingStateRecord {
  return {
    scope: row.scope,
    state: row.state as TradingStateName,
    ...(row.reason !== null && { reason: row.reason }),
    changedBy: row.changed_by,
    changedAt: row.changed_at,
  };
}
