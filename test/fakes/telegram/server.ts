import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { UserFromGetMe } from "grammy/types";
import { type ChatState, type MethodContext, type MethodReply, methods } from "./methods.ts";
import { decodePayload, readBody } from "./payload.ts";
import { UpdateQueue } from "./updates.ts";

/** A file the bot uploaded (sendPhoto), bytes as received. */
export interface UploadedFile {
  readonly field: string;
  readonly filename: string;
  readonly bytes: Buffer;
}

/** One Bot API call as the fake received and answered it. */
export interface SentCall {
  readonly seq: number;
  /** When the request reached the fake (performance.now(), ms): for checking the pace of calls. */
  readonly receivedAt: number;
  readonly method: string;
  readonly payload: Readonly<Record<string, any>>;
  readonly file?: UploadedFile;
  readonly ok: boolean;
  readonly status: number;
  /** What the fake answered: a Message for sends and edits, true for most others, or the error. */
  readonly result?: any;
  readonly description?: string;
}

/** What goes wrong with a call: an error answered instead of doing it, or its answer lost. */
export type Fault = ErrorReply | LostReply;

/** An error the fake answers with instead of doing the call. */
export interface ErrorReply {
  readonly status: number;
  readonly description?: string;
  /** For 429: seconds the bot must wait, sent as `parameters.retry_after`. */
  readonly retryAfter?: number;
}

/**
 * The call is carried out (the message is sent and recorded), then the connection is cut before the
 * answer: a reply lost on the way back, which the bot sees as a network error.
 */
export interface LostReply {
  readonly dropReply: true;
}

export interface FakeUser {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly username?: string;
  readonly languageCode?: string;
  /** Group chats have negative ids; a positive chat id is the private chat of that user by default. */
  readonly chatType?: "private" | "group" | "supergroup";
}

export interface FakeTelegram {
  /** For grammY's `client.apiRoot`: http://127.0.0.1:<port> */
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  /** Every call except getUpdates, in order, failed ones included. */
  readonly sent: readonly SentCall[];
  /** Calls the fake could not serve (unknown method, wrong token, bad HTML...): a test expects none. */
  readonly problems: readonly string[];
  /** setMyCommands calls by scope and language: `default/en`, `chat:123/ko`. */
  readonly menus: ReadonlyMap<string, readonly { command: string; description: string }[]>;
  /** Queues a text message from a user; returns its update id and message id. */
  sendText(userId: number, chatId: number, text: string, from?: FakeUser): { updateId: number; messageId: number };
  /** Queues a press of an inline button under the bot's message `messageId`. */
  pressButton(
    userId: number,
    chatId: number,
    messageId: number,
    data: string,
    from?: FakeUser,
  ): { updateId: number; callbackQueryId: string };
  /** Queues a raw update (for the webhook, post it yourself instead). */
  pushUpdate(build: (updateId: number) => Record<string, unknown>): number;
  /**
   * Resolves when the bot has confirmed the update (asked getUpdates for later ones). A bot that
   * handles one update at a time has then handled it; one that handles them concurrently (grammY's
   * runner) has only taken it in, so wait on the bot as well (TelegramBot.idle).
   */
  handled(updateId: number, timeoutMs?: number): Promise<void>;
  /** The next call of `method` fails with `fault`; with `chatId`, the next call to that chat. */
  failNext(method: string, fault: Fault, match?: { chatId?: number }): void;
  /** Every call to `chatId` fails with `fault` (a user who blocked the bot: 403) until `healChat`. */
  failChat(chatId: number, fault: Fault): void;
  healChat(chatId: number): void;
  /** Resolves with the first call (from `after` on) matching `predicate`. */
  waitFor(predicate: (call: SentCall) => boolean, options?: { after?: number; timeoutMs?: number }): Promise<SentCall>;
  /** Successful sendMessage, sendPhoto and editMessageText calls to a chat, from `after` on. */
  messagesTo(chatId: number, after?: number): SentCall[];
  /** The bot's message as it now reads (text and buttons after edits). */
  message(chatId: number, messageId: number): { text: string; reply_markup?: any } | undefined;
  close(): Promise<void>;
}

const DEFAULT_TOKEN = "123456:TEST-fake-telegram-token";

/**
 * Starts a fake Telegram Bot API server on 127.0.0.1 at a free port. It speaks enough of the real
 * protocol for grammY to run unchanged (JSON and multipart requests, long polling, error replies with
 * `retry_after`) and is as strict as Telegram where our bot could go wrong: HTML that does not parse,
 * texts over 4096 characters, captions over 1024, callback data over 64 bytes, edits that change nothing.
 * @example
 * const fake = await startFakeTelegram();
 * const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
 * const { updateId } = fake.sendText(42, 42, "/status");
 */
export async function startFakeTelegram(options: { token?: string; username?: string } = {}): Promise<FakeTelegram> {
  const token = options.token ?? DEFAULT_TOKEN;
  const botInfo: UserFromGetMe = {
    id: Number(token.split(":")[0]),
    is_bot: true,
    first_name: "quantchat",
    username: options.username ?? "quantchat_test_bot",
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
  } as UserFromGetMe;
  const queue = new UpdateQueue();
  const sent: SentCall[] = [];
  const problems: string[] = [];
  const menus = new Map<string, { command: string; description: string }[]>();
  const chats = new Map<number, ChatState>();
  const callbackQueries = new Set<string>();
  const nextFaults: { method: string; fault: Fault; chatId?: number }[] = [];
  const chatFaults = new Map<number, Fault>();
  const watchers = new Set<() => void>();
  let seq = 0;
  let messageIds = 1_000;

  const record = (call: Omit<SentCall, "seq" | "receivedAt">, receivedAt: number) => {
    sent.push({ seq: seq++, receivedAt, ...call });
    for (const watcher of watchers) watcher();
  };

  const ctx: MethodContext = {
    botInfo,
    chats,
    menus,
    callbackQueries,
    queue,
    now: () => Math.floor(Date.now() / 1000),
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      problems.push(`fake crashed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) reply(res, { status: 500, description: "Internal Server Error" });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? "/", "http://x").pathname);
    const body = await readBody(req);
    if (!match) {
      problems.push(`unroutable ${req.method} ${req.url}`);
      return reply(res, { status: 404, description: "Not Found" });
    }
    const [, callToken, method] = match as unknown as [string, string, string];
    if (callToken !== token) {
      problems.push(`wrong token on ${method}`);
      return reply(res, { status: 401, description: "Unauthorized" });
    }
    const { payload, file } = decodePayload(req.headers["content-type"] ?? "", body);

    if (method === "getUpdates") {
      const offset = Number(payload.offset ?? 0);
      const limit = Number(payload.limit ?? 100);
      const timeoutMs = Number(payload.timeout ?? 0) * 1000;
      const updates = await queue.poll(offset, limit, timeoutMs, (drop) => res.once("close", drop));
      if (!res.destroyed) reply(res, { status: 200, result: updates });
      return;
    }

    const chatId = payload.chat_id === undefined ? undefined : Number(payload.chat_id);
    const fault = takeFault(method, chatId);
    let outcome: MethodReply;
    if (fault && "status" in fault) {
      outcome = {
        status: fault.status,
        description: fault.description ?? defaultDescription(fault),
        ...(fault.retryAfter !== undefined && { parameters: { retry_after: fault.retryAfter } }),
      };
    } else {
      const implementation = methods[method];
      if (!implementation) {
        problems.push(`unknown method ${method}`);
        outcome = { status: 404, description: "Not Found: method not found" };
      } else {
        outcome = implementation(payload, { ...ctx, file, newMessageId: () => messageIds++ });
        if (outcome.status !== 200 && outcome.problem) problems.push(`${method}: ${outcome.description}`);
      }
    }
    record(
      {
        method,
        payload,
        ...(file && { file }),
        ok: outcome.status === 200,
        status: outcome.status,
        ...(outcome.status === 200 ? { result: outcome.result } : { description: outcome.description }),
      },
      receivedAt,
    );
    if (fault && "dropReply" in fault) res.socket?.destroy();
    else reply(res, outcome);
  }

  function takeFault(method: string, chatId: number | undefined): Fault | undefined {
    if (chatId !== undefined && chatFaults.has(chatId)) return chatFaults.get(chatId);
    const index = nextFaults.findIndex((f) => f.method === method && (f.chatId === undefined || f.chatId === chatId));
    if (index < 0) return undefined;
    return nextFaults.splice(index, 1)[0]!.fault;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const fromUser = (userId: number, from: FakeUser = {}) => ({
    id: userId,
    is_bot: false,
    first_name: from.firstName ?? `User${userId}`,
    ...(from.lastName !== undefined && { last_name: from.lastName }),
    ...(from.username !== undefined && { username: from.username }),
    ...(from.languageCode !== undefined && { language_code: from.languageCode }),
  });
  const chatOf = (chatId: number, from: FakeUser = {}) => {
    const type = from.chatType ?? (chatId > 0 ? "private" : "group");
    return type === "private"
      ? { id: chatId, type, first_name: from.firstName ?? `User${chatId}` }
      : { id: chatId, type, title: `Group ${chatId}` };
  };

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo,
    sent,
    problems,
    menus,

    sendText(userId, chatId, text, from) {
      const messageId = messageIds++;
      const command = /^\/\S+/.exec(text);
      const updateId = queue.push(
        (update_id) =>
          ({
            update_id,
            message: {
              message_id: messageId,
              date: ctx.now(),
              from: fromUser(userId, from),
              chat: chatOf(chatId, from),
              text,
              ...(command && { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }),
            },
          }) as never,
      );
      return { updateId, messageId };
    },

    pressButton(userId, chatId, messageId, data, from) {
      const callbackQueryId = `cq-${seq}-${messageIds++}`;
      callbackQueries.add(callbackQueryId);
      const current = chats.get(chatId)?.messages.get(messageId);
      const updateId = queue.push(
        (update_id) =>
          ({
            update_id,
            callback_query: {
              id: callbackQueryId,
              from: fromUser(userId, from),
              chat_instance: `ci-${chatId}`,
              data,
              message: {
                message_id: messageId,
                date: ctx.now(),
                chat: chatOf(chatId, from),
                from: botInfo,
                text: current?.text ?? "",
              },
            },
          }) as never,
      );
      return { updateId, callbackQueryId };
    },

    pushUpdate(build) {
      return queue.push(build as never);
    },

    handled(updateId, timeoutMs = 10_000) {
      return withTimeout(queue.handled(updateId), timeoutMs, `update ${updateId} was not handled`);
    },

    failNext(method, fault, match) {
      nextFaults.push({ method, fault, ...(match?.chatId !== undefined && { chatId: match.chatId }) });
    },

    failChat(chatId, fault) {
      chatFaults.set(chatId, fault);
    },

    healChat(chatId) {
      chatFaults.delete(chatId);
    },

    waitFor(predicate, options = {}) {
      const after = options.after ?? 0;
      const find = () => sent.find((c) => c.seq >= after && predicate(c));
      const found = find();
      if (found) return Promise.resolve(found);
      let watcher: () => void = () => undefined;
      const waiting = new Promise<SentCall>((resolve) => {
        watcher = () => {
          const call = find();
          if (call) resolve(call);
        };
        watchers.add(watcher);
      });
      return withTimeout(waiting, options.timeoutMs ?? 10_000, "no matching call").finally(() =>
        watchers.delete(watcher),
      );
    },

    messagesTo(chatId, after = 0) {
      return sent.filter(
        (c) =>
          c.seq >= after &&
          c.ok &&
          ["sendMessage", "sendPhoto", "editMessageText"].includes(c.method) &&
          Number(c.payload.chat_id) === chatId,
      );
    },

    message(chatId, messageId) {
      return chats.get(chatId)?.messages.get(messageId);
    },

    async close() {
      queue.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, outcome: MethodReply): void {
  const body =
    outcome.status === 200
      ? { ok: true, result: outcome.result }
      : {
          ok: false,
          error_code: outcome.status,
          description: outcome.description,
          ...(outcome.parameters && { parameters: outcome.parameters }),
        };
  res.writeHead(outcome.status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function defaultDescription(fault: ErrorReply): string {
  if (fault.status === 429) return `Too Many Requests: retry after ${fault.retryAfter ?? 1}`;
  if (fault.status === 403) return "Forbidden: bot was blocked by the user";
  return `Error ${fault.status}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
