import { ROLES, type Role, type RoleGrant } from "../../core/store/repositories/roles.ts";

/**
 * True when `held` is at least `needed`: each role includes the ones below it (viewer < trader < admin).
 * @example roleAllows("admin", "trader") // true; roleAllows(undefined, "viewer") // false
 */
export function roleAllows(held: Role | undefined, needed: Role): boolean {
  return held !== undefined && ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/**
 * The highest role among a user's grants; undefined when there is none (the user may not use the bot).
 * @example highestRole(await listRoles(db, user.id)) // "trader"
 */
export function highestRole(grants: readonly Pick<RoleGrant, "role">[]): Role | undefined {
  let best: Role | undefined;
  for (const { role } of grants) if (!roleAllows(best, role)) best = role;
  return best;
}

/** @example isRole("trader") // true */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
