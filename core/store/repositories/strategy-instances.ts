import { type Selectable, sql } from "kysely";
import type { StrategyInstancesTable } from "../schema.ts";
import { type Db, touched } from "./common.ts";

/** A strategy instance's lifecycle (STYLE.md: explicit states, as NautilusTrader has them). */
export type StrategyInstanceState = "ready" | "running" | "stopped" | "degraded" | "failed" | "disabled";

/** What strategies.yaml says about an instance. */
export interface StrategyInstanceConfig {
  readonly id: string;
  readonly pluginId: string;
  readonly pluginVersion: string;
  readonly accountId: string;
  /** Symbols, timeframe, params, allocation, risk overrides: opaque JSON to the store. */
  readonly config: unknown;
  readonly updatedAt: number;
}

export interface StrategyInstanceRecord extends StrategyInstanceConfig {
  readonly state: StrategyInstanceState;
  readonly stateReason?: string;
  readonly failureCount: number;
}

/**
 * Inserts an instance (state "ready") or updates its plugin, account and config. Its state and
 * failure count are left alone, so an instance disabled after repeated failures stays disabled
 * when the config is loaded again at start.
 * @example await saveStrategyInstance(db, { id: "sma-btc", pluginId: "sma-cross", pluginVersion: "1.0.0", accountId: "paper", config, updatedAt: now })
 */
export async function saveStrategyInstance(db: Db, instance: StrategyInstanceConfig): Promise<void> {
  const values = {
    plugin_id: instance.pluginId,
    plugin_version: instance.pluginVersion,
    account_id: instance.accountId,
    config_json: JSON.stringify(instance.config),
    updated_at: instance.updatedAt,
  };
  await db
    .insertInto("strategy_instances")
    .values({ id: instance.id, ...values })
    .onConflict((oc) => oc.column("id").doUpdateSet(values))
    .execute();
}

/**
 * Moves an instance to a new state; `resetFailures` clears the failure count (an operator re-enabling
 * it). False when there is no such instance.
 * @example await setInstanceState(db, "sma-btc", { state: "running", updatedAt: now })
 */
export async function setInstanceState(
  db: Db,
  id: string,
  change: { state: StrategyInstanceState; reason?: string; resetFailures?: boolean; updatedAt: number },
): Promise<boolean> {
  const result = await db
    .updateTable("strategy_instances")
    .set({
      state: change.state,
      state_reason: change.reason ?? null,
      updated_at: change.updatedAt,
      ...(change.resetFailures && { failure_count: 0 }),
    })
    .where("id", "=", id)
    .executeTakeFirst();
  return touched(result);
}

/**
 * Marks an instance failed with its cause and counts the failure; returns the new count so the
 * supervisor can disable a plugin that keeps failing (undefined when there is no such instance).
 * @example const failures = await recordInstanceFailure(db, id, "CPU limit exceeded", now) // 1, 2, 3…
 */
export async function recordInstanceFailure(
  db: Db,
  id: string,
  reason: string,
  updatedAt: number,
): Promise<number | undefined> {
  const row = await db
    .updateTable("strategy_instances")
    .set({ state: "failed", state_reason: reason, updated_at: updatedAt, failure_count: sql`failure_count + 1` })
    .where("id", "=", id)
    .returning("failure_count")
    .executeTakeFirst();
  return row?.failure_count;
}

/** @example const instance = await findStrategyInstance(db, "sma-btc") */
export async function findStrategyInstance(db: Db, id: string): Promise<StrategyInstanceRecord | undefined> {
  const row = await db.selectFrom("strategy_instances").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toRecord(row);
}

/** Instances ordered by id. @example await listStrategyInstances(db, { state: "running" }) */
export async function listStrategyInstances(
  db: Db,
  filter: { accountId?: string; state?: StrategyInstanceState } = {},
): Promise<StrategyInstanceRecord[]> {
  let query = db.selectFrom("strategy_instances").selectAll();
  if (filter.accountId !== undefined) query = query.where("account_id", "=", filter.accountId);
  if (filter.state !== undefined) query = query.where("state", "=", filter.state);
  return (await query.orderBy("id").execute()).map(toRecord);
}

function toRecord(row: Selectable<StrategyInstancesTable>): StrategyInstanceRecord {
  return {
    id: row.id,
    pluginId: row.plugin_id,
    pluginVersion: row.plugin_version,
    accountId: row.account_id,
    config: JSON.parse(row.config_json) as unknown,
    updatedAt: row.updated_at,
    state: row.state as StrategyInstanceState,
    ...(row.state_reason !== null && { stateReason: row.state_reason }),
    failureCount: row.failure_count,
  };
}
