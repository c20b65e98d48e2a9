import { Writable } from "node:stream";
import pino from "pino";
import { expect } from "vitest";
import type { Command } from "../../bot/commands/define.ts";
import { createTelegramBot, type TelegramBot, type TelegramBotOptions } from "../../bot/telegram/bot.ts";
import type { ThrottleLimits } from "../../bot/telegram/throttle.ts";
import type { MemoryBus } from "../../core/bus/index.ts";
import { SimulatedClock } from "../../core/clock.ts";
import type { Store } from "../../core/store/database.ts";
import { grantRole, type Role } from "../../core/store/repositories/roles.ts";
import { ensureUser } from "../../core/store/repositories/users.ts";
import {
  checkTelegramHtml,
  type FakeTelegram,
  type FakeUser,
  type SentCall,
  startFakeTelegram,
} from "../fakes/telegram/index.ts";
import { coreServicesOf, SMALL_ENGINE, startTestEngine, type TestEngine } from "./engine-fixture.ts";

/** 2023-11-14 22:13:20 UTC: every harness starts its clock here. */
export const T0 = 1_700_000_000_000;

/**
 * Telegram's outgoing limits lifted: at one message a second per chat these tests would take minutes.
 * rate-limits.test.ts is where the pace of sending is tested.
 */
export const NO_RATE_LIMITS: ThrottleLimits = {
  globalPerSecond: Number.POSITIVE_INFINITY,
  privatePerSecond: Number.POSITIVE_INFINITY,
  groupPerSecond: Number.POSITIVE_INFINITY,
  groupPerMinute: Number.POSITIVE_INFINITY,
};

/** A running bot against the fake server, serving a real engine. */
export interface Harness {
  readonly fake: FakeTelegram;
  readonly telegram: TelegramBot;
  /** The engine behind the bot: its store holds the users and roles, its bus carries the notifications. */
  readonly engine: TestEngine;
  readonly store: Store;
  readonly bus: MemoryBus;
  readonly clock: SimulatedClock;
  /** Every log line the bot wrote, parsed. */
  readonly logs: readonly Record<string, any>[];
  /** Sends `text` as `userId` (in their private chat unless `chatId` says) and returns what the bot did about it. */
  say(userId: number, text: string, from?: FakeUser & { chatId?: number }): Promise<SentCall[]>;
  /** Presses the button labelled `label` under `message` as `userId`; returns what the bot did about it. */
  press(userId: number, message: SentCall, label: string, from?: FakeUser): Promise<SentCall[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Users (Telegram ids) and the role each holds before the bot starts. */
  readonly roles?: Readonly<Record<number, Role>>;
  readonly commands?: readonly Command[];
  readonly admins?: readonly number[];
  readonly bot?: Partial<TelegramBotOptions>;
  /**
   * The engine to serve when a test needs a particular one (its own strategies.yaml, a restart); the
   * caller closes it. Without one the harness starts a small one (SMALL_ENGINE) and closes it itself.
   */
  readonly engine?: TestEngine;
}

/**
 * Starts the fake Telegram server and the real grammY bot polling it, in front of a real engine (the
 * given one, or a small one started here) whose store gets the given roles. The bot shares the engine's
 * store and bus: its services read what the engine trades and its notifier hears the engine's events.
 * @example const h = await startHarness({ roles: { 1: "admin" } }); const [reply] = await h.say(1, "/status");
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const engine = options.engine ?? (await startTestEngine(SMALL_ENGINE));
  const { store, bus } = engine;
  const clock = new SimulatedClock(T0);
  for (const [id, role] of Object.entries(options.roles ?? {})) {
    const user = await ensureUser(
      store.db,
      { platform: "telegram", platformUserId: id },
      { displayName: `User${id}`, createdAt: T0 },
    );
    await grantRole(store.db, { userId: user.id, role, grantedBy: "test", grantedAt: T0 });
  }
  const logs: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const log = pino({ level: "debug" }, sink);
  const fake = await startFakeTelegram();
  const telegram = createTelegramBot({
    token: fake.token,
    apiRoot: fake.apiRoot,
    services: coreServicesOf(engine, clock),
    store,
    bus,
    clock,
    log,
    minEditIntervalMs: 0,
    throttle: NO_RATE_LIMITS,
    ...(options.commands && { commands: options.commands }),
    ...(options.admins && { admins: options.admins }),
    ...options.bot,
  });
  await telegram.start();

  // The fake sees an update confirmed once the bot has taken it in; the bot knows when it is done.
  const since = async (after: number, updateId: number) => {
    await fake.handled(updateId);
    await telegram.idle();
    return fake.sent.filter((c) => c.seq >= after);
  };

  return {
    fake,
    telegram,
    engine,
    store,
    bus,
    clock,
    logs,
    async say(userId, text, from = {}) {
      const after = fake.sent.length;
      const { updateId } = fake.sendText(userId, from.chatId ?? userId, text, from);
      return since(after, updateId);
    },
    async press(userId, message, label, from = {}) {
      const button = buttonsOf(message).find((b) => b.text === label);
      if (!button) throw new Error(`no button "${label}" in ${JSON.stringify(buttonsOf(message))}`);
      const after = fake.sent.length;
      const chatId = Number(message.payload.chat_id);
      const { updateId } = fake.pressButton(userId, chatId, message.result.message_id, button.callback_data, from);
      return since(after, updateId);
    },
    async close() {
      await telegram.stop();
      await fake.close();
      if (!options.engine) await engine.close();
    },
  };
}

/** The inline buttons under a sent message. */
export function buttonsOf(call: SentCall): { text: string; callback_data: string }[] {
  return (call.payload.reply_markup?.inline_keyboard ?? []).flat();
}

/** What a user sees of a sent or edited message (HTML parsed away); a caption for photos. */
export function plain(call: SentCall): string {
  const html = String(call.payload.text ?? call.payload.caption ?? "");
  return call.payload.parse_mode === "HTML" ? checkTelegramHtml(html).plain : html;
}

/** The visible texts of the messages (and edits) among `calls`, joined by blank lines. */
export function textOf(calls: readonly SentCall[]): string {
  return calls
    .filter((c) => c.ok && ["sendMessage", "editMessageText", "sendPhoto"].includes(c.method))
    .map(plain)
    .join("\n\n");
}

/** The one message a command answered with; fails the test when there was not exactly one. */
export function onlyMessage(calls: readonly SentCall[]): SentCall {
  const messages = calls.filter((c) => c.ok && (c.method === "sendMessage" || c.method === "editMessageText"));
  expect(messages, JSON.stringify(calls.map((c) => [c.method, c.payload.text ?? c.description]))).toHaveLength(1);
  return messages[0]!;
}
