import type { UserFromGetMe } from "grammy/types";
import { checkTelegramHtml } from "./html.ts";
import type { UploadedFile } from "./server.ts";
import type { UpdateQueue } from "./updates.ts";

/** A message of the bot's as the fake keeps it, so edits can be checked like Telegram checks them. */
export interface StoredMessage {
  text: string;
  reply_markup?: any;
}

export interface ChatState {
  readonly messages: Map<number, StoredMessage>;
}

export interface MethodContext {
  readonly botInfo: UserFromGetMe;
  readonly chats: Map<number, ChatState>;
  readonly menus: Map<string, { command: string; description: string }[]>;
  readonly callbackQueries: Set<string>;
  readonly queue: UpdateQueue;
  now(): number;
}

export interface MethodReply {
  readonly status: number;
  readonly result?: unknown;
  readonly description?: string;
  readonly parameters?: { readonly retry_after: number };
  /** The bot sent something Telegram would refuse: reported in `fake.problems`. */
  readonly problem?: boolean;
}

type Call = MethodContext & { readonly file: UploadedFile | undefined; newMessageId(): number };
type Method = (payload: Record<string, any>, call: Call) => MethodReply;

const ok = (result: unknown): MethodReply => ({ status: 200, result });
const bad = (description: string, problem = true): MethodReply => ({
  status: 400,
  description: `Bad Request: ${description}`,
  problem,
});

/** The Bot API methods the fake serves. */
export const methods: Readonly<Record<string, Method>> = {
  getMe: (_, call) => ok(call.botInfo),
  deleteWebhook: () => ok(true),
  setWebhook: () => ok(true),
  sendChatAction: () => ok(true),

  setMyCommands(payload, call) {
    const commands = payload.commands as { command: string; description: string }[];
    for (const c of commands ?? []) {
      if (!/^[a-z0-9_]{1,32}$/.test(c.command)) return bad(`BOT_COMMAND_INVALID: ${c.command}`);
      if (c.description.length < 1 || c.description.length > 256)
        return bad(`BOT_COMMAND_DESCRIPTION_INVALID: ${c.command}`);
    }
    const scope = payload.scope?.type === "chat" ? `chat:${payload.scope.chat_id}` : (payload.scope?.type ?? "default");
    call.menus.set(`${scope}/${payload.language_code ?? "*"}`, commands);
    return ok(true);
  },

  sendMessage(payload, call) {
    const text = checkText(payload.text, payload.parse_mode, 4096);
    if (typeof text !== "string") return text;
    const markup = checkMarkup(payload.reply_markup);
    if (markup) return markup;
    return ok(store(call, payload, { text }));
  },

  sendPhoto(payload, call) {
    if (!call.file && typeof payload.photo !== "string") return bad("there is no photo in the request");
    if (call.file && call.file.bytes.length === 0) return bad("file must be non-empty");
    const caption = payload.caption === undefined ? "" : checkText(String(payload.caption), payload.parse_mode, 1024);
    if (typeof caption !== "string") return caption;
    const markup = checkMarkup(payload.reply_markup);
    if (markup) return markup;
    const photo = [{ file_id: `photo-${call.file?.bytes.length ?? 0}`, file_unique_id: "u", width: 800, height: 600 }];
    return ok(store(call, payload, { text: caption, photo }));
  },

  editMessageText(payload, call) {
    const message = call.chats.get(Number(payload.chat_id))?.messages.get(Number(payload.message_id));
    if (!message) return bad("message to edit not found");
    const text = checkText(payload.text, payload.parse_mode, 4096);
    if (typeof text !== "string") return text;
    const markup = checkMarkup(payload.reply_markup);
    if (markup) return markup;
    if (message.text === text && same(message.reply_markup, payload.reply_markup)) {
      return bad(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        false,
      );
    }
    message.text = text;
    message.reply_markup = payload.reply_markup;
    return ok(asMessage(call, payload, message));
  },

  editMessageReplyMarkup(payload, call) {
    const message = call.chats.get(Number(payload.chat_id))?.messages.get(Number(payload.message_id));
    if (!message) return bad("message to edit not found");
    if (same(message.reply_markup, payload.reply_markup)) return bad("message is not modified", false);
    message.reply_markup = payload.reply_markup;
    return ok(asMessage(call, payload, message));
  },

  answerCallbackQuery(payload, call) {
    if (!call.callbackQueries.delete(String(payload.callback_query_id))) {
      return bad("query is too old and response timeout expired or query ID is invalid");
    }
    if (payload.text !== undefined && String(payload.text).length > 200) return bad("MESSAGE_TOO_LONG");
    return ok(true);
  },
};

/** The visible text, or the error Telegram would answer. */
function checkText(raw: unknown, parseMode: unknown, limit: number): string | MethodReply {
  const text = raw === undefined ? "" : String(raw);
  let plain = text;
  if (parseMode === "HTML") {
    const checked = checkTelegramHtml(text);
    if (checked.problem) return bad(`can't parse entities: ${checked.problem}`);
    plain = checked.plain;
  }
  if (limit === 4096 && plain.trim() === "") return bad("message text is empty");
  if (plain.length > limit) return bad(limit === 4096 ? "message is too long" : "message caption is too long");
  return text;
}

function checkMarkup(markup: any): MethodReply | undefined {
  for (const row of markup?.inline_keyboard ?? []) {
    for (const button of row) {
      if (!button.text) return bad("BUTTON_TEXT_INVALID");
      if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64)
        return bad("BUTTON_DATA_INVALID");
    }
  }
  return undefined;
}

function store(call: Call, payload: Record<string, any>, content: { text: string; photo?: unknown }): unknown {
  const chatId = Number(payload.chat_id);
  let chat = call.chats.get(chatId);
  if (!chat) {
    chat = { messages: new Map() };
    call.chats.set(chatId, chat);
  }
  const messageId = call.newMessageId();
  const stored: StoredMessage = {
    text: content.text,
    ...(payload.reply_markup && { reply_markup: payload.reply_markup }),
  };
  chat.messages.set(messageId, stored);
  return {
    ...asMessage(call, { ...payload, message_id: messageId }, stored),
    ...(content.photo !== undefined && { photo: content.photo, caption: content.text, text: undefined }),
  };
}

function asMessage(call: Call, payload: Record<string, any>, message: StoredMessage) {
  const chatId = Number(payload.chat_id);
  return {
    message_id: Number(payload.message_id),
    date: call.now(),
    chat:
      chatId > 0
        ? { id: chatId, type: "private", first_name: `User${chatId}` }
        : { id: chatId, type: "group", title: `Group ${chatId}` },
    from: call.botInfo,
    text: message.text,
    ...(message.reply_markup && { reply_markup: message.reply_markup }),
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
