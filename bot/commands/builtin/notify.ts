import { z } from "zod";
import { findSubscription, saveSubscription } from "../../../core/store/repositories/notifications.ts";
import type { CommandContext } from "../context.ts";
import { defineCommand } from "../define.ts";
import { NOTIFICATION_KINDS } from "../notices.ts";
import { textReply } from "../reply.ts";

// "fills,risk" and "fills risk" mean the same; the words become one list before the schema checks it.
const words = z
  .array(z.string())
  .transform((ws) =>
    ws
      .flatMap((w) => w.split(","))
      .map((w) => w.trim().toLowerCase())
      .filter((w) => w !== ""),
  )
  .pipe(z.union([z.tuple([z.enum(["on", "off"])]), z.array(z.enum(NOTIFICATION_KINDS))]));

/**
 * /notify shows this chat's subscription; `/notify on` subscribes to everything, `/notify off` pauses
 * it, `/notify fills risk` subscribes to exactly those kinds.
 */
export const notify = defineCommand({
  name: "notify",
  description: "cmd.notify.description",
  usage: "cmd.notify.usage",
  role: "viewer",
  args: z.strictObject({ words }),
  rest: "words",
  audit: (args) => args.words.length > 0,
  async run(ctx, { words: choice }) {
    const { platform, chatId } = ctx.caller;
    const current = await findSubscription(ctx.db, platform, chatId);
    if (choice.length === 0) return describe(ctx, current?.enabled === true ? current.kinds : undefined);
    const off = choice[0] === "off";
    const kinds = choice[0] === "on" ? ["*"] : off ? (current?.kinds ?? ["*"]) : [...new Set(choice)];
    await saveSubscription(ctx.db, { platform, chatId, enabled: !off, kinds, updatedAt: ctx.clock.now() });
    return describe(ctx, off ? undefined : kinds);
  },
});

function describe(ctx: CommandContext, kinds: readonly string[] | undefined) {
  if (kinds === undefined) return textReply(ctx.t("notify.off"));
  const names = kinds.includes("*") ? ctx.t("notify.all") : kinds.join(", ");
  return textReply(ctx.t("notify.on", { kinds: names }));
}
