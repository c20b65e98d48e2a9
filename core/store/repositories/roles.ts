import { type Db, touched } from "./common.ts";

/** viewer reads; trader also runs strategies, trades and backtests; admin also manages risk, users and plugins. */
export type Role = "viewer" | "trader" | "admin";

export const ROLES: readonly Role[] = ["viewer", "trader", "admin"];

export interface RoleGrant {
  readonly userId: number;
  readonly role: Role;
  /** Who granted it: "telegram:12345", or "system" for TELEGRAM_ADMINS seeding. */
  readonly grantedBy: string;
  readonly grantedAt: number;
}

/**
 * Grants a role; false, changing nothing, when the user already holds it.
 * @example await grantRole(db, { userId: 3, role: "trader", grantedBy: "telegram:1", grantedAt: now })
 */
export async function grantRole(db: Db, grant: RoleGrant): Promise<boolean> {
  const result = await db
    .insertInto("user_roles")
    .values({ user_id: grant.userId, role: grant.role, granted_by: grant.grantedBy, granted_at: grant.grantedAt })
    .onConflict((oc) => oc.columns(["user_id", "role"]).doNothing())
    .executeTakeFirst();
  return touched(result);
}

/** Revokes a role; false when the user did not hold it. @example await revokeRole(db, 3, "trader") */
export async function revokeRole(db: Db, userId: number, role: Role): Promise<boolean> {
  const result = await db
    .deleteFrom("user_roles")
    .where("user_id", "=", userId)
    .where("role", "=", role)
    .executeTakeFirst();
  return touched(result);
}

/**
 * The roles a user holds with who granted them, lowest role first.
 * @example (await listRoles(db, 3)).map((g) => g.role) // ["viewer", "trader"]
 */
export async function listRoles(db: Db, userId: number): Promise<RoleGrant[]> {
  const rows = await db.selectFrom("user_roles").selectAll().where("user_id", "=", userId).execute();
  return rows
    .map((r) => ({ userId: r.user_id, role: r.role as Role, grantedBy: r.granted_by, grantedAt: r.granted_at }))
    .sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role));
}
