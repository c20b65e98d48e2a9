import { Composer } from "grammy";
import type { Logger } from "../../core/log.ts";
import type { Dispatcher } from "../commands/dispatcher.ts";
import { decodeCallbackData } from "./callback-data.ts";
import type { BotContext } from "./context.ts";
import { replaceMessage, sendReply } from "./send.ts";
import { telegramSurface } from "./surface.ts";

/**
 * Button presses: every callback query is answered (the client shows a spinner until it is), notices
 * as a pop-up, replies in place of the message that held the button.
 * @example bot.use(buttonHandler(dispatcher, { log }))
 */
export function buttonHandler(
  dispatcher: Dispatcher,
  options: { readonly log: Logger; readonly minEditIntervalMs?: number },
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("callback_query:data", async (ctx) => {
    const action = decodeCallbackData(ctx.callbackQuery.data);
    if (!action) {
      await ctx.answerCallbackQuery();
      return;
    }
    const chatId = ctx.caller.chatId;
    const result = await dispatcher.press(ctx.caller, action, telegramSurface(ctx.api, chatId, options));
    if (result.kind === "notice") {
      await ctx.answerCallbackQuery(result.text === "" ? {} : { text: result.text, show_alert: true });
      return;
    }
    // Answered late on purpose: the spinner tells the presser the action is still running. A query
    // answered too late only fails its own answer, which is not worth failing the reply for.
    await ctx
      .answerCallbackQuery()
      .catch((error: unknown) => options.log.debug({ err: error }, "late callback answer"));
    const message = ctx.callbackQuery.message;
    if (result.replace && message) await replaceMessage(ctx.api, chatId, message.message_id, result.reply);
    else await sendReply(ctx.api, chatId, result.reply);
  });
  return composer;
}
