import { randomBytes } from "node:crypto";
import type { Role } from "../../core/store/repositories/roles.ts";
import type { ConfirmedAction } from "./context.ts";

/** A question waiting for its answer. */
export interface PendingConfirmation {
  /** The actor who asked ("telegram:42"): only they may answer. */
  readonly owner: string;
  readonly chatId: string;
  /** The command that asked: the audit action, and whose role is checked again on Confirm. */
  readonly command: string;
  readonly role: Role;
  readonly detail: unknown;
  readonly expiresAt: number;
  readonly action: ConfirmedAction;
}

/** How long a question waits by default: long enough to read it, short enough not to surprise. */
export const CONFIRMATION_TTL_MS = 2 * 60_000;

/** Beyond this many open questions the oldest are dropped, so a flood of /halt cannot grow memory. */
const MAX_PENDING = 1_000;

/**
 * Pending confirmations keyed by an opaque random token. The token is all a button carries (Telegram
 * allows 64 bytes of callback data, too little for a signed payload with arguments), so the action
 * itself never leaves the process: a forged or replayed token finds nothing. Answers are single use,
 * and a restart forgets every question, which then reads as expired.
 */
export class ConfirmationBook {
  private readonly pending = new Map<string, PendingConfirmation>();

  /**
   * Stores a question and returns its token.
   * @example const token = book.issue({ owner: "telegram:42", chatId: "42", command: "halt", role: "admin", detail, expiresAt, action })
   */
  issue(confirmation: PendingConfirmation, now: number): string {
    this.sweep(now);
    const token = randomBytes(12).toString("base64url");
    this.pending.set(token, confirmation);
    return token;
  }

  /** The question behind a token, if it is still open. */
  find(token: string, now: number): PendingConfirmation | undefined {
    const found = this.pending.get(token);
    if (found && found.expiresAt <= now) {
      this.pending.delete(token);
      return undefined;
    }
    return found;
  }

  /** Closes a question: an answer is accepted once. */
  close(token: string): boolean {
    return this.pending.delete(token);
  }

  get size(): number {
    return this.pending.size;
  }

  private sweep(now: number): void {
    for (const [token, c] of this.pending) if (c.expiresAt <= now) this.pending.delete(token);
    // Map keeps insertion order: the first keys are the oldest questions.
    for (const token of this.pending.keys()) {
      if (this.pending.size < MAX_PENDING) break;
      this.pending.delete(token);
    }
  }
}
