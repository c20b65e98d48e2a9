import { z } from "zod";
import { grantRole } from "../../../core/store/repositories/roles.ts";
import { defineCommand } from "../define.ts";
import { textReply } from "../reply.ts";
import { findUserRef, roleSchema, userRefSchema } from "./user-ref.ts";

/** /grant <user> <role>: gives a role; the grant records which admin gave it. */
export const grant = defineCommand({
  name: "grant",
  description: "cmd.grant.description",
  usage: "cmd.grant.usage",
  role: "admin",
  args: z.strictObject({ user: userRefSchema, role: roleSchema }),
  positional: ["user", "role"],
  audit: true,
  async run(ctx, { user: ref, role }) {
    const user = await findUserRef(ctx, ref, { create: true });
    if (!user) return textReply(ctx.t("user.notFound", { user: ref }));
    const roleName = ctx.t(`role.${role}`);
    const added = await grantRole(ctx.db, { userId: user.id, role, grantedBy: ctx.actor, grantedAt: ctx.clock.now() });
    return textReply(ctx.t(added ? "grant.done" : "grant.already", { user: ref, role: roleName }));
  },
});
