import type { Context, MiddlewareFn } from "grammy";
import type { Caller } from "../commands/context.ts";

/** The context flavor this bot adds: who is speaking, in the command layer's terms. */
export interface CallerFlavor {
  caller: Caller;
}

export type BotContext = Context & CallerFlavor;

/**
 * Sets `ctx.caller` from the update's sender and chat, and stops updates that have neither (channel
 * posts, updates about the bot itself) or that come from other bots: nothing below must guess.
 * @example bot.use(identifyCaller)
 */
export const identifyCaller: MiddlewareFn<BotContext> = async (ctx, next) => {
  const from = ctx.from;
  const chat = ctx.chat;
  if (!from || !chat || from.is_bot) return;
  const displayName = [from.first_name, from.last_name].filter(Boolean).join(" ") || String(from.id);
  ctx.caller = {
    platform: "telegram",
    userId: String(from.id),
    chatId: String(chat.id),
    chatKind: chat.type === "private" ? "private" : "group",
    displayName,
    ...(from.username !== undefined && { username: from.username }),
    ...(from.language_code !== undefined && { languageCode: from.language_code }),
  };
  await next();
};
