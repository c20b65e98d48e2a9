import type { CommandContext } from "../context.ts";
import { type ReplyBlock, text, title } from "../reply.ts";
import { roleAllows } from "../roles.ts";

/**
 * The commands the caller's role allows, one line each: usage, then what it does. /start and /help
 * share it.
 * @example reply(...helpBlocks(ctx)) // "Commands you can use\n/status — Engine, …"
 */
export function helpBlocks(ctx: CommandContext): ReplyBlock[] {
  const lines = ctx.commands
    .filter((c) => roleAllows(ctx.role, c.role))
    .map((c) => `${ctx.t(c.usage)} — ${ctx.t(c.description)}`);
  return [title(ctx.t("help.title")), text(lines.join("\n"))];
}
