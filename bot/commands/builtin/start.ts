import { z } from "zod";
import { defineCommand } from "../define.ts";
import { reply, text, title } from "../reply.ts";
import { helpBlocks } from "./help-text.ts";

/** /start: a welcome with the caller's role and what it lets them do. */
export const start = defineCommand({
  name: "start",
  description: "cmd.start.description",
  usage: "cmd.start.usage",
  role: "viewer",
  // Telegram deep links send "/start <payload>"; the payload is accepted and ignored.
  args: z.strictObject({ payload: z.array(z.string()) }),
  rest: "payload",
  run: (ctx) =>
    reply(
      title(ctx.t("start.welcome", { name: ctx.caller.displayName })),
      text(ctx.t("start.role", { role: ctx.t(`role.${ctx.role}`) })),
      ...helpBlocks(ctx),
    ),
});
