import { Writable } from "node:stream";
import pino from "pino";
import { expect } from "vitest";
import type { Command } from "../../bot/commands/define.ts";
import { type CoreServicesDeps, createCoreServices } from "../../bot/commands/services/core-services.ts";
import type { StatusSource } from "../../bot/commands/services/engine-status.ts";
import type { TradingSource } from "../../bot/commands/services/trading-source.ts";
import type { CoreServices } from "../../bot/commands/services.ts";
import { createTelegramBot, type TelegramBot, type TelegramBotOptions } from "../../bot/telegram/bot.ts";
import { MemoryBus } from "../../core/bus/index.ts";
import { SimulatedClock } from "../../core/clock.ts";
import type { Store } from "../../core/store/database.ts";
import { migrateToLatest } from "../../core/store/migrate.ts";
import { grantRole, type Role } from "../../core/store/repositories/roles.ts";
import { ensureUser } from "../../core/store/repositories/users.ts";
import {
  checkTelegramHtml,
  type FakeTelegram,
  type FakeUser,
  type SentCall,
  startFakeTelegram,
} from "../fakes/telegram/index.ts";
import { openTestStore } from "../helpers/db.ts";

/** 2023-11-14 22:13:20 UTC: every harness starts its clock here. */
export const T0 = 1_700_000_000_000;

/** A running bot against the fake server, on a fresh migrated SQLite store. */
export interface Harness {
  readonly fake: FakeTelegram;
  readonly telegram: TelegramBot;
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
  /** Replaces or removes members of the default services (status from a stub engine, the kill switch). */
  readonly services?: (defaults: CoreServices) => CoreServices;
  readonly admins?: readonly number[];
  readonly engine?: StatusSource | TradingSource;
  readonly bot?: Partial<TelegramBotOptions>;
  /**
   * A real engine's store and bus (see engine-fixture.ts): the bot shares them, so its services read
   * what the engine trades and its notifier hears the engine's events. The caller closes them.
   */
  readonly shared?: { readonly store: Store; readonly bus: MemoryBus };
  /** More CoreServices deps (cacheDir, pluginRoots, risk, charts) for the services built over `engine`. */
  readonly core?: Partial<Omit<CoreServicesDeps, "engine" | "db" | "bus" | "clock">>;
}

/** The engine /status reads in tests: running, replaying one series. */
export const stubEngine: StatusSource = {
  status: () => ({
    state: "running",
    startedAt: T0 - 3_600_000,
    feed: { kind: "replay", series: ["binance:BTC/USDT:1h"], published: 1234 },
    accounts: [],
    strategies: [],
  }),
};

/**
 * Starts the fake Telegram server, a migrated SQLite store with the given roles, and the real grammY
 * bot polling the fake.
 * @example const h = await startHarness({ roles: { 1: "admin" } }); const [reply] = await h.say(1, "/status");
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const opened = options.shared ? undefined : await openTestStore("sqlite", "telegram");
  const store = options.shared?.store ?? opened!.store;
  if (opened) await migrateToLatest(store);
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
  const bus = options.shared?.bus ?? new MemoryBus(log);
  const defaults = createCoreServices({
    engine: options.engine ?? stubEngine,
    db: store.db,
    bus,
    clock,
    ...(options.shared && { store }),
    ...options.core,
  });
  const fake = await startFakeTelegram();
  const telegram = createTelegramBot({
    token: fake.token,
    apiRoot: fake.apiRoot,
    services: options.services ? options.services(defaults) : defaults,
    store,
    bus,
    clock,
    log,
    minEditIntervalMs: 0,
    ...(options.commands && { commands: options.commands }),
    ...(options.admins && { admins: options.admins }),
    ...options.bot,
  });
  await telegram.start();

  const since = async (after: number, updateId: number) => {
    await fake.handled(updateId);
    return fake.sent.filter((c) => c.seq >= after);
  };

  return {
    fake,
    telegram,
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
      if (!options.shared) await bus.close();
      await fake.close();
      await opened?.cleanup();
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
