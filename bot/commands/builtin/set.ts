import { z } from "zod";
import { defineCommand } from "../define.ts";
import { textReply } from "../reply.ts";
import { strategyIdSchema } from "./strategy-id.ts";

const ASSIGNMENT = /^([A-Za-z_][\w.-]*)=(.+)$/s;

/**
 * /set <id> <param>=<value>: checks the value against the plugin's manifest and stores it; the reply
 * says that it applies when the engine restarts, and what the running instance uses until then.
 */
export const set = defineCommand({
  name: "set",
  description: "cmd.set.description",
  usage: "cmd.set.usage",
  role: "trader",
  args: z.strictObject({
    id: strategyIdSchema,
    assignment: z
      .array(z.string())
      .length(1)
      .transform((words, check) => {
        const match = ASSIGNMENT.exec(words[0] as string);
        if (match) return { name: match[1] as string, value: (match[2] as string).trim() };
        check.addIssue({ code: "custom", message: "expected <param>=<value>" });
        return z.NEVER;
      }),
  }),
  positional: ["id"],
  rest: "assignment",
  audit: true,
  async run(ctx, { id, assignment }) {
    if (!ctx.services.setParam) return ctx.notAvailable();
    const { t } = ctx;
    const result = await ctx.services.setParam(id, assignment.name, assignment.value, ctx.actor);
    switch (result.kind) {
      case "unknown":
        return textReply(t("detail.notLoaded", { id }));
      case "invalid":
        return textReply(t("set.invalid", { problems: result.problems.join("\n") }));
      case "saved":
        return textReply(
          result.running === result.value
            ? t("set.savedSame", { id, name: result.name, value: String(result.value) })
            : t("set.saved", { id, name: result.name, value: String(result.value), running: String(result.running) }),
        );
    }
  },
});
