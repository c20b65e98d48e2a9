import type { Selectable } from "kysely";
import type { UsersTable } from "../schema.ts";
import { type Db, inTransaction, touched } from "./common.ts";

/** Where a user talks to quantchat from. */
export type Platform = "telegram" | "discord" | "web";

export interface User {
  readonly id: number;
  readonly displayName: string;
  /** Message catalog language, "en" or "ko". */
  readonly language: string;
  readonly createdAt: number;
}

export interface Identity {
  readonly platform: Platform;
  readonly platformUserId: string;
}

/**
 * Creates a user with no identity and no role.
 * @example const user = await createUser(db, { displayName: "alice", createdAt: now })
 */
export async function createUser(
  db: Db,
  user: { displayName: string; language?: string; createdAt: number },
): Promise<User> {
  const row = await db
    .insertInto("users")
    .values({
      display_name: user.displayName,
      ...(user.language !== undefined && { language: user.language }),
      created_at: user.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUser(row);
}

/** @example await findUser(db, 1) */
export async function findUser(db: Db, id: number): Promise<User | undefined> {
  const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toUser(row);
}

/**
 * The user behind a platform identity: how every chat command finds its caller.
 * @example await findUserByIdentity(db, { platform: "telegram", platformUserId: "12345" })
 */
export async function findUserByIdentity(db: Db, identity: Identity): Promise<User | undefined> {
  const row = await db
    .selectFrom("user_identities")
    .innerJoin("users", "users.id", "user_identities.user_id")
    .selectAll("users")
    .where("user_identities.platform", "=", identity.platform)
    .where("user_identities.platform_user_id", "=", identity.platformUserId)
    .executeTakeFirst();
  return row && toUser(row);
}

/**
 * Links a platform identity to a user. False, changing nothing, when the identity already belongs
 * to a user: moving an identity is a deliberate unlink and link, never a side effect.
 * @example await linkIdentity(db, user.id, { platform: "discord", platformUserId: "998877" })
 */
export async function linkIdentity(db: Db, userId: number, identity: Identity): Promise<boolean> {
  const result = await db
    .insertInto("user_identities")
    .values({ platform: identity.platform, platform_user_id: identity.platformUserId, user_id: userId })
    .onConflict((oc) => oc.columns(["platform", "platform_user_id"]).doNothing())
    .executeTakeFirst();
  return touched(result);
}

/** Removes a platform identity; false when it was not linked. @example await unlinkIdentity(db, identity) */
export async function unlinkIdentity(db: Db, identity: Identity): Promise<boolean> {
  const result = await db
    .deleteFrom("user_identities")
    .where("platform", "=", identity.platform)
    .where("platform_user_id", "=", identity.platformUserId)
    .executeTakeFirst();
  return touched(result);
}

/** A user's identities, by platform. @example await listIdentities(db, user.id) */
export async function listIdentities(db: Db, userId: number): Promise<Identity[]> {
  const rows = await db
    .selectFrom("user_identities")
    .select(["platform", "platform_user_id"])
    .where("user_id", "=", userId)
    .orderBy("platform")
    .orderBy("platform_user_id")
    .execute();
  return rows.map((r) => ({ platform: r.platform as Platform, platformUserId: r.platform_user_id }));
}

/**
 * The user behind an identity, created (without roles) the first time it is seen.
 * @example const user = await ensureUser(db, { platform: "telegram", platformUserId: "42" }, { displayName: "bob", createdAt: now })
 */
export async function ensureUser(
  db: Db,
  identity: Identity,
  profile: { displayName: string; language?: string; createdAt: number },
): Promise<User> {
  return inTransaction(db, async (trx) => {
    const existing = await findUserByIdentity(trx, identity);
    if (existing) return existing;
    const user = await createUser(trx, profile);
    await trx
      .insertInto("user_identities")
      .values({ platform: identity.platform, platform_user_id: identity.platformUserId, user_id: user.id })
      .execute();
    return user;
  });
}

/** Sets the language of a user's messages; false when there is no such user. @example await setUserLanguage(db, 1, "ko") */
export async function setUserLanguage(db: Db, userId: number, language: string): Promise<boolean> {
  const result = await db.updateTable("users").set({ language }).where("id", "=", userId).executeTakeFirst();
  return touched(result);
}

/** Every user, oldest first. @example await listUsers(db) */
export async function listUsers(db: Db): Promise<User[]> {
  return (await db.selectFrom("users").selectAll().orderBy("id").execute()).map(toUser);
}

/** Deletes a user with its identities and roles; false when there was none. @example await deleteUser(db, 7) */
export async function deleteUser(db: Db, userId: number): Promise<boolean> {
  const result = await db.deleteFrom("users").where("id", "=", userId).executeTakeFirst();
  return touched(result);
}

function toUser(row: Selectable<UsersTable>): User {
  return { id: row.id, displayName: row.display_name, language: row.language, createdAt: row.created_at };
}
