import type { Selectable } from "kysely";
import type { AuditLogTable } from "../schema.ts";
import type { Db, ListOptions } from "./common.ts";

/** One line of the audit log: who did what to what, and how it ended. */
export interface AuditEntry {
  readonly time: number;
  /** "telegram:12345", "discord:998877", "web:admin" or "system". */
  readonly actor: string;
  /** What was attempted, e.g. "halt", "grant", "credentials.add". */
  readonly action: string;
  readonly target?: string;
  /** Details as JSON; never secrets. */
  readonly detail?: unknown;
  readonly outcome: "ok" | "denied" | "error";
}

export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
}

export interface AuditFilter extends ListOptions {
  readonly actor?: string;
  readonly action?: string;
  readonly outcome?: AuditEntry["outcome"];
  /** At or after this time. */
  readonly since?: number;
}

/**
 * Appends an entry and returns its id. The log is append-only: there is no update or delete.
 * @example await appendAudit(db, { time: now, actor: "telegram:42", action: "halt", outcome: "denied" })
 */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<number> {
  const row = await db
    .insertInto("audit_log")
    .values({
      ts: entry.time,
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      detail_json: entry.detail === undefined ? null : JSON.stringify(entry.detail),
      outcome: entry.outcome,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Entries matching every given filter, newest first by default.
 * @example await listAudit(db, { outcome: "denied", limit: 50 })
 */
export async function listAudit(db: Db, filter: AuditFilter = {}): Promise<StoredAuditEntry[]> {
  let query = db.selectFrom("audit_log").selectAll();
  if (filter.actor !== undefined) query = query.where("actor", "=", filter.actor);
  if (filter.action !== undefined) query = query.where("action", "=", filter.action);
  if (filter.outcome !== undefined) query = query.where("outcome", "=", filter.outcome);
  if (filter.since !== undefined) query = query.where("ts", ">=", filter.since);
  // The id breaks ties between entries of the same millisecond in the order they were written.
  const order = filter.order ?? "desc";
  query = query.orderBy("ts", order).orderBy("id", order);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(toEntry);
}

function toEntry(row: Selectable<AuditLogTable>): StoredAuditEntry {
  return {
    id: row.id,
    time: row.ts,
    actor: row.actor,
    action: row.action,
    ...(row.target !== null && { target: row.target }),
    ...(row.detail_json !== null && { detail: JSON.parse(row.detail_json) as unknown }),
    outcome: row.outcome as AuditEntry["outcome"],
  };
}
