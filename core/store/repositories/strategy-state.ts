import { sql } from "kysely";
import { type Db, inTransaction, touched } from "./common.ts";

/**
 * A plugin's whole key-value state (`ctx.state`), keys in order.
 * @example const state = await loadStrategyState(db, "sma-btc") // { lastCross: 1700000000000 }
 */
export async function loadStrategyState(db: Db, strategyId: string): Promise<Record<string, unknown>> {
  const rows = await db
    .selectFrom("strategy_state")
    .select(["key", "value_json"])
    .where("strategy_id", "=", strategyId)
    .orderBy("key")
    .execute();
  // A null-prototype object: keys come from plugin code, and "__proto__" must stay a plain key.
  const state: Record<string, unknown> = Object.create(null);
  for (const row of rows) state[row.key] = JSON.parse(row.value_json);
  return state;
}

/**
 * Sets one key. The value must be JSON-serialisable; the size cap is the caller's (the sandbox host
 * knows the plugin's limit; see strategyStateSize).
 * @example await setStrategyStateValue(db, "sma-btc", "lastCross", 1700000000000, now)
 */
export async function setStrategyStateValue(
  db: Db,
  strategyId: string,
  key: string,
  value: unknown,
  updatedAt: number,
): Promise<void> {
  const valueJson = JSON.stringify(value);
  if (valueJson === undefined) throw new TypeError(`strategy state ${strategyId}.${key}: value is not JSON`);
  await db
    .insertInto("strategy_state")
    .values({ strategy_id: strategyId, key, value_json: valueJson, updated_at: updatedAt })
    .onConflict((oc) =>
      oc.columns(["strategy_id", "key"]).doUpdateSet({ value_json: valueJson, updated_at: updatedAt }),
    )
    .execute();
}

/** Removes one key; false when it was not set. @example await deleteStrategyStateValue(db, "sma-btc", "lastCross") */
export async function deleteStrategyStateValue(db: Db, strategyId: string, key: string): Promise<boolean> {
  const result = await db
    .deleteFrom("strategy_state")
    .where("strategy_id", "=", strategyId)
    .where("key", "=", key)
    .executeTakeFirst();
  return touched(result);
}

/**
 * Replaces a plugin's whole state in one transaction: what the host does when it persists the state
 * a plugin built up during a batch of candles.
 * @example await replaceStrategyState(db, "sma-btc", { lastCross: 1700000000000 }, now)
 */
export async function replaceStrategyState(
  db: Db,
  strategyId: string,
  state: Readonly<Record<string, unknown>>,
  updatedAt: number,
): Promise<void> {
  const rows = Object.entries(state).map(([key, value]) => {
    const valueJson = JSON.stringify(value);
    if (valueJson === undefined) throw new TypeError(`strategy state ${strategyId}.${key}: value is not JSON`);
    return { strategy_id: strategyId, key, value_json: valueJson, updated_at: updatedAt };
  });
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom("strategy_state").where("strategy_id", "=", strategyId).execute();
    if (rows.length > 0) await trx.insertInto("strategy_state").values(rows).execute();
  });
}

/**
 * Characters the plugin's state takes (keys plus JSON values), for the caller's size cap.
 * @example if ((await strategyStateSize(db, id)) + added > 64 * 1024) reject("state too large")
 */
export async function strategyStateSize(db: Db, strategyId: string): Promise<number> {
  const row = await db
    .selectFrom("strategy_state")
    .select(sql<number | string | null>`sum(length(key) + length(value_json))`.as("size"))
    .where("strategy_id", "=", strategyId)
    .executeTakeFirst();
  return Number(row?.size ?? 0);
}
