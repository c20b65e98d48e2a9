import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/repositories/common.ts";
import { grantRole, listRoles, type Role } from "../../core/store/repositories/roles.ts";
import { ensureUser, type Platform, type User } from "../../core/store/repositories/users.ts";
import { type Language, languageFromCode, toLanguage } from "../i18n/index.ts";
import type { Caller } from "./context.ts";
import { highestRole } from "./roles.ts";

/** A caller resolved against the store. */
export interface Access {
  readonly user: User;
  /** Undefined: the user may not use the bot at all. */
  readonly role: Role | undefined;
  readonly language: Language;
}

/**
 * The name a user is stored under: "@handle" when they have one, so that admins can `/grant @handle`;
 * otherwise the name their client shows.
 * @example storedName({ displayName: "Bob", username: "bob_t" }) // "@bob_t"
 */
export function storedName(caller: Pick<Caller, "displayName" | "username">): string {
  return caller.username ? `@${caller.username}` : caller.displayName;
}

/**
 * The caller's user (created without roles on first contact, in the client's language), highest
 * role and message language. Every command and button press starts here, so a role revoked a second
 * ago is already gone.
 * @example const { user, role, language } = await resolveAccess(db, caller, clock)
 */
export async function resolveAccess(db: Db, caller: Caller, clock: Clock): Promise<Access> {
  const user = await ensureUser(
    db,
    { platform: caller.platform, platformUserId: caller.userId },
    { displayName: storedName(caller), language: languageFromCode(caller.languageCode), createdAt: clock.now() },
  );
  const role = highestRole(await listRoles(db, user.id));
  return { user, role, language: toLanguage(user.language) };
}

/**
 * Makes the configured platform user ids admins (TELEGRAM_ADMINS), creating their users if needed.
 * Runs at every start, so a seeded admin whose role was revoked in chat gets it back: the
 * environment is the operator's last word. Returns the ids that were granted the role just now.
 * @example await seedAdmins(db, "telegram", env.TELEGRAM_ADMINS ?? [], systemClock)
 */
export async function seedAdmins(
  db: Db,
  platform: Platform,
  ids: readonly (string | number)[],
  clock: Clock,
): Promise<string[]> {
  const granted: string[] = [];
  for (const id of ids.map(String)) {
    const user = await ensureUser(
      db,
      { platform, platformUserId: id },
      { displayName: `${platform}:${id}`, createdAt: clock.now() },
    );
    if (await grantRole(db, { userId: user.id, role: "admin", grantedBy: "system", grantedAt: clock.now() })) {
      granted.push(id);
    }
  }
  return granted;
}
