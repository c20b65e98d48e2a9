import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/log.ts";
import type { Db } from "../../core/store/repositories/common.ts";
import type { Role } from "../../core/store/repositories/roles.ts";
import type { Platform, User } from "../../core/store/repositories/users.ts";
import type { Language, Translate } from "../i18n/index.ts";
import type { Command } from "./define.ts";
import type { Reply } from "./reply.ts";
import type { CoreServices } from "./services.ts";

/** Who sent a command, as the platform told us. Ids are strings: Discord's do not fit a JS number. */
export interface Caller {
  readonly platform: Platform;
  readonly userId: string;
  readonly chatId: string;
  /** "private" chats are one person; anything else ("group", "channel", a Discord guild) is shared. */
  readonly chatKind: "private" | "group";
  readonly displayName: string;
  /** The platform handle without "@", when the user has one. */
  readonly username?: string;
  /** The client's language tag ("ko", "en-US"): the user's language on first contact. */
  readonly languageCode?: string;
}

/** A message that long work edits as it goes ("Backtest 40%…"). */
export interface ProgressHandle {
  /** Replaces the message's text; adapters may drop updates that come faster than the platform allows. */
  update(text: string): Promise<void>;
  /** Writes the final text (or the last pending update). */
  done(text?: string): Promise<void>;
}

/** What the adapter lends a command while it runs: things that need the platform beyond the reply. */
export interface Surface {
  /** Sends `text` now and returns a handle that edits that message later. */
  progress(text: string): Promise<ProgressHandle>;
}

/** A confirmed action: runs with a fresh context, as whoever confirmed (always the asker). */
export type ConfirmedAction = (ctx: CommandContext) => Promise<Reply>;

/** Everything a command sees. Built per invocation by the dispatcher; nothing here is global. */
export interface CommandContext {
  readonly caller: Caller;
  readonly user: User;
  /** The caller's highest role; commands only ever run for callers that have one. */
  readonly role: Role;
  readonly language: Language;
  readonly t: Translate;
  readonly clock: Clock;
  readonly services: CoreServices;
  readonly db: Db;
  readonly log: Logger;
  /** "telegram:12345": who did it, for the audit log and the trading-state record. */
  readonly actor: string;
  /** Every registered command, for /help. */
  readonly commands: readonly Command[];
  /**
   * A question with Confirm and Cancel buttons. `action` runs only if the same person presses Confirm
   * in the same chat before the question expires, and is audited under the command's name then.
   */
  confirm(question: string, action: ConfirmedAction, detail?: unknown): Reply;
  /** Sends a message that `update` edits later, for work that takes more than a few seconds. */
  progress(text: string): Promise<ProgressHandle>;
  /** The polite answer for a core service that is not built yet. */
  notAvailable(): Reply;
}

/**
 * The audit actor of a caller.
 * @example actorOf({ platform: "telegram", userId: "42", … }) // "telegram:42"
 */
export function actorOf(caller: Pick<Caller, "platform" | "userId">): string {
  return `${caller.platform}:${caller.userId}`;
}
