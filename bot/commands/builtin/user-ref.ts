import { z } from "zod";
import { ROLES } from "../../../core/store/repositories/roles.ts";
import {
  ensureUser,
  findUserByIdentity,
  listIdentities,
  listUsers,
  type User,
} from "../../../core/store/repositories/users.ts";
import type { CommandContext } from "../context.ts";

/** A user as admins name them: a numeric platform id or an @handle. */
export const userRefSchema = z.string().regex(/^(@[A-Za-z0-9_]{3,64}|\d{1,20})$/);

/** A role name, any case. */
export const roleSchema = z.string().toLowerCase().pipe(z.enum(ROLES));

/**
 * The user an admin names, on the admin's own platform. An @handle must belong to someone who has
 * written to the bot (that is how the store learns handles). A numeric id is looked up, or with
 * `create` made into a user without roles, so an admin can grant access before the first message.
 * @example await findUserRef(ctx, "@bob", { create: false })
 */
export async function findUserRef(
  ctx: CommandContext,
  ref: string,
  options: { create: boolean },
): Promise<User | undefined> {
  const platform = ctx.caller.platform;
  if (ref.startsWith("@")) {
    const handle = ref.toLowerCase();
    // Few users ever talk to one bot; a scan keeps the store free of a handle index for now.
    for (const user of await listUsers(ctx.db)) {
      if (user.displayName.toLowerCase() !== handle) continue;
      const identities = await listIdentities(ctx.db, user.id);
      if (identities.some((i) => i.platform === platform)) return user;
    }
    return undefined;
  }
  const identity = { platform, platformUserId: ref };
  if (!options.create) return findUserByIdentity(ctx.db, identity);
  return ensureUser(ctx.db, identity, { displayName: `${platform}:${ref}`, createdAt: ctx.clock.now() });
}
