import { Composer } from "grammy";
import type { Logger } from "../../core/log.ts";
import { parseCommandLine } from "../commands/command-line.ts";
import type { Dispatcher } from "../commands/dispatcher.ts";
import type { BotContext } from "./context.ts";
import { sendReply } from "./send.ts";
import { telegramSurface } from "./surface.ts";

/**
 * Text messages: `/command args` goes to the dispatcher and its reply back to the chat. Commands
 * addressed to another bot (`/status@other_bot` in a group) are left alone; so is chatter in groups.
 * In a private chat, chatter gets a hint (or the refusal, for someone without a role).
 * @example bot.use(messageHandler(dispatcher, { log }))
 */
export function messageHandler(
  dispatcher: Dispatcher,
  options: { readonly log: Logger; readonly minEditIntervalMs?: number },
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("message:text", async (ctx) => {
    const chatId = ctx.caller.chatId;
    const invocation = parseCommandLine(ctx.message.text);
    if (invocation === undefined) {
      if (ctx.caller.chatKind === "private") await sendReply(ctx.api, chatId, await dispatcher.converse(ctx.caller));
      return;
    }
    if (invocation.addressedTo !== undefined && invocation.addressedTo !== ctx.me.username.toLowerCase()) return;
    const surface = telegramSurface(ctx.api, chatId, options);
    const { reply } = await dispatcher.dispatch(ctx.caller, invocation, surface);
    await sendReply(ctx.api, chatId, reply);
  });
  return composer;
}
