import type { Logger } from "../../core/log.ts";
import { type AuditEntry, appendAudit } from "../../core/store/repositories/audit.ts";
import type { Db } from "../../core/store/repositories/common.ts";

/**
 * Appends to the audit log without ever failing the command around it: by the time we audit, the
 * state change has happened (or the refusal has been decided), and the person in the chat still
 * deserves the answer. A failed write is logged at error level instead.
 * @example await audit(db, log, { time: now, actor: "telegram:42", action: "halt", outcome: "ok" })
 */
export async function audit(db: Db, log: Logger, entry: AuditEntry): Promise<void> {
  try {
    await appendAudit(db, entry);
  } catch (error) {
    log.error({ err: error, audit: entry }, "audit log write failed");
  }
}
