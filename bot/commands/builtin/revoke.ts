import { z } from "zod";
import { listRoles, type Role, revokeRole } from "../../../core/store/repositories/roles.ts";
import { defineCommand } from "../define.ts";
import { textReply } from "../reply.ts";
import { findUserRef, roleSchema, userRefSchema } from "./user-ref.ts";

/** /revoke <user> [role]: takes one role, or all of them. */
export const revoke = defineCommand({
  name: "revoke",
  description: "cmd.revoke.description",
  usage: "cmd.revoke.usage",
  role: "admin",
  args: z.strictObject({ user: userRefSchema, role: roleSchema.optional() }),
  positional: ["user", "role"],
  audit: true,
  async run(ctx, { user: ref, role }) {
    const user = await findUserRef(ctx, ref, { create: false });
    if (!user) return textReply(ctx.t("user.notFound", { user: ref }));
    // An admin who removes their own admin role may leave nobody able to give it back.
    if (user.id === ctx.user.id && (role === undefined || role === "admin")) return textReply(ctx.t("revoke.self"));
    const roles: Role[] = role ? [role] : (await listRoles(ctx.db, user.id)).map((g) => g.role);
    const removed: Role[] = [];
    for (const r of roles) if (await revokeRole(ctx.db, user.id, r)) removed.push(r);
    if (removed.length === 0) return textReply(ctx.t("revoke.none", { user: ref }));
    return textReply(ctx.t("revoke.done", { user: ref, roles: removed.map((r) => ctx.t(`role.${r}`)).join(", ") }));
  },
});
