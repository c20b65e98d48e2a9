import { type Api, GrammyError, InputFile } from "grammy";
import type { Reply } from "../commands/reply.ts";
import { type Outgoing, renderReply } from "./render/reply.ts";

/** A chat id as the Bot API takes it: our store keeps ids as strings, Telegram wants numbers. */
export function chatIdOf(chatId: string): number | string {
  return /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
}

/**
 * Sends a reply as one or more messages, in order: HTML text, photos uploaded from memory (multipart),
 * buttons under the last message. A chart is announced with "upload_photo" so the chat shows activity.
 * @example await sendReply(bot.api, "12345", textReply("Halted"))
 */
export async function sendReply(api: Api, chatId: string, reply: Reply): Promise<void> {
  const messages = renderReply(reply);
  if (messages.some((m) => m.kind === "photo")) {
    await api.sendChatAction(chatIdOf(chatId), "upload_photo").catch(() => undefined);
  }
  for (const message of messages) await sendOne(api, chatId, message);
}

/**
 * Shows a reply in place of the message whose button was pressed: one text message is edited in (its
 * old keyboard goes, the reply's buttons come); anything longer keeps the old message, minus its
 * buttons, and follows it with new messages.
 * @example await replaceMessage(api, "12345", 77, textReply("Trading state is now HALTED."))
 */
export async function replaceMessage(api: Api, chatId: string, messageId: number, reply: Reply): Promise<void> {
  const messages = renderReply(reply);
  const [only] = messages;
  if (messages.length === 1 && only?.kind === "text") {
    try {
      await api.editMessageText(chatIdOf(chatId), messageId, only.html, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(only.keyboard && { reply_markup: only.keyboard }),
      });
    } catch (error) {
      // Refresh with nothing new: Telegram refuses an edit that changes nothing, and that is fine.
      if (!isNotModified(error)) throw error;
    }
    return;
  }
  await api.editMessageReplyMarkup(chatIdOf(chatId), messageId).catch(() => undefined);
  for (const message of messages) await sendOne(api, chatId, message);
}

async function sendOne(api: Api, chatId: string, message: Outgoing): Promise<void> {
  const markup = message.keyboard ? { reply_markup: message.keyboard } : {};
  if (message.kind === "text") {
    await api.sendMessage(chatIdOf(chatId), message.html, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...markup,
    });
    return;
  }
  await api.sendPhoto(chatIdOf(chatId), new InputFile(message.png, message.filename), {
    ...(message.captionHtml !== undefined && { caption: message.captionHtml, parse_mode: "HTML" }),
    ...markup,
  });
}

/** True for Telegram's "message is not modified" refusal of an edit that changes nothing. */
export function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && /not modified/i.test(error.description);
}
