import { type RunnerHandle, run, sequentialize } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError, webhookCallback } from "grammy";
import type { Bus } from "../../core/bus/index.ts";
import { type Clock, systemClock } from "../../core/clock.ts";
import type { Logger } from "../../core/log.ts";
import type { Store } from "../../core/store/database.ts";
import { seedAdmins } from "../commands/access.ts";
import { BUILTIN_COMMANDS } from "../commands/builtin/index.ts";
import type { Command } from "../commands/define.ts";
import { createDispatcher, type Dispatcher } from "../commands/dispatcher.ts";
import type { CoreServices } from "../commands/services.ts";
import { buttonHandler } from "./buttons.ts";
import { type BotContext, identifyCaller } from "./context.ts";
import { trackInFlight } from "./in-flight.ts";
import { registerMenus } from "./menu.ts";
import { messageHandler } from "./messages.ts";
import { createTelegramNotifier, type TelegramNotifier } from "./notifier.ts";
import { type RetryLimits, rateLimits } from "./rate-limits.ts";
import type { ThrottleLimits } from "./throttle.ts";

export interface TelegramBotOptions {
  /** From @BotFather (TELEGRAM_BOT_TOKEN). */
  readonly token: string;
  /** The Bot API server (TELEGRAM_API_ROOT): a local Bot API server, or a fake in tests. */
  readonly apiRoot?: string;
  /** The commands to answer; the built-in ones by default. */
  readonly commands?: readonly Command[];
  readonly services: CoreServices;
  readonly store: Store;
  readonly log: Logger;
  /** Events to notify subscribed chats of; no notifications without it. */
  readonly bus?: Bus;
  readonly clock?: Clock;
  /** Telegram user ids made admins at start (TELEGRAM_ADMINS). */
  readonly admins?: readonly (string | number)[];
  /** Receive updates by webhook instead of long polling; mount `webhook` on a Hono route. */
  readonly webhook?: { readonly url?: string; readonly secretToken?: string };
  readonly confirmationTtlMs?: number;
  /** 429s retried by grammY's auto-retry: 3 times, waits up to 60 s by default (RETRY_LIMITS). */
  readonly retry?: RetryLimits;
  /** Outgoing limits, each replacing one of Telegram's documented ones (TELEGRAM_RATE_LIMITS). */
  readonly throttle?: Partial<ThrottleLimits>;
  /** Least time between edits of a progress message; 1 s by default. */
  readonly minEditIntervalMs?: number;
}

export interface TelegramBot {
  /**
   * Seeds admins, says hello to Telegram (getMe, menus) and starts receiving updates; resolves once it
   * does. Calling it again returns the same promise. Network errors are retried until `stop`.
   */
  start(): Promise<void>;
  /**
   * Stops polling, notifications and a start still in progress, and lets the updates in hand finish
   * (waiting STOP_GRACE_MS at most, so a chat's paced reply cannot hold up a shutdown).
   */
  stop(): Promise<void>;
  /** Resolves once no update is being handled (at once when none is). */
  idle(): Promise<void>;
  /** The Hono handler for webhook mode: `app.post("/telegram", telegram.webhook!)`. */
  readonly webhook?: ReturnType<typeof honoWebhook>;
  readonly bot: Bot<BotContext>;
  readonly dispatcher: Dispatcher;
  readonly notifier?: TelegramNotifier;
}

/** How long stop() waits for the updates in hand; the main job must be down within 5 s. */
export const STOP_GRACE_MS = 2_000;

function honoWebhook(bot: Bot<BotContext>, secretToken: string | undefined) {
  return webhookCallback(bot, "hono", secretToken === undefined ? {} : { secretToken });
}

/**
 * The Telegram bot on grammY: the command layer's dispatcher behind message and button handlers, an
 * error boundary so one failing update never stops the others, outgoing calls kept within Telegram's
 * limits (429s retried), and notifications. Updates are handled concurrently across chats and in
 * order within one: a chat waiting out its one message a second never holds up another chat.
 * @example
 * const telegram = createTelegramBot({ token, apiRoot, services, store, bus, log, admins: env.TELEGRAM_ADMINS });
 * await telegram.start(); // logs "Telegram bot started as @quantchat_bot"
 */
export function createTelegramBot(options: TelegramBotOptions): TelegramBot {
  const { store, log } = options;
  const clock = options.clock ?? systemClock;
  const commands = options.commands ?? BUILTIN_COMMANDS;
  const bot = new Bot<BotContext>(options.token, {
    ...(options.apiRoot !== undefined && { client: { apiRoot: options.apiRoot } }),
  });
  bot.api.config.use(
    ...rateLimits({
      log,
      ...(options.retry && { retry: options.retry }),
      ...(options.throttle && { throttle: options.throttle }),
    }),
  );

  const dispatcher = createDispatcher({
    commands,
    services: options.services,
    db: store.db,
    clock,
    log,
    ...(options.confirmationTtlMs !== undefined && { confirmationTtlMs: options.confirmationTtlMs }),
  });
  const handlerOptions = {
    log,
    ...(options.minEditIntervalMs !== undefined && { minEditIntervalMs: options.minEditIntervalMs }),
  };
  const onError = (error: unknown, chatId: string | undefined) => {
    const kind = error instanceof GrammyError ? "Telegram refused" : error instanceof HttpError ? "network" : "bug";
    log.error({ err: error, chatId, kind }, "Telegram update failed");
  };
  const inFlight = trackInFlight();
  bot.use(inFlight.middleware);
  // In webhook mode too: Telegram may post a chat's next update before the last one is answered.
  bot.use(sequentialize((ctx) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));
  bot.use(identifyCaller);
  bot
    .errorBoundary((err) => onError(err.error, err.ctx.chat?.id.toString()))
    .use(messageHandler(dispatcher, handlerOptions), buttonHandler(dispatcher, handlerOptions));
  // Anything that escapes the boundary (the caller middleware itself) still must not stop polling.
  bot.catch((err) => onError(err.error, err.ctx.chat?.id.toString()));

  const notifier = options.bus
    ? createTelegramNotifier({ api: bot.api, bus: options.bus, db: store.db, log })
    : undefined;
  const webhook = options.webhook ? honoWebhook(bot, options.webhook.secretToken) : undefined;
  let runner: RunnerHandle | undefined;
  let starting: Promise<void> | undefined;
  let stopped = false;
  // Lets stop() cancel a start that is still retrying getMe (grammY retries network errors forever).
  const aborter = new AbortController();

  const begin = async () => {
    const seeded = await seedAdmins(store.db, "telegram", options.admins ?? [], clock);
    if (seeded.length > 0) log.info({ admins: seeded }, "Telegram admins seeded");
    // The global AbortSignal and grammY's Node shim type differ only on paper.
    await bot.init(aborter.signal as Parameters<typeof bot.init>[0]);
    if (stopped) return;
    await registerMenus(bot.api, commands, { admins: options.admins ?? [], log });
    if (stopped) return;
    notifier?.start();
    if (options.webhook) {
      if (options.webhook.url) {
        const secret = options.webhook.secretToken;
        await bot.api.setWebhook(options.webhook.url, secret === undefined ? {} : { secret_token: secret });
      }
    } else {
      // grammY's own bot.start() handles one update at a time: one chat's reply, paced at a message a
      // second, would keep every other chat waiting. The runner handles updates concurrently.
      await bot.api.deleteWebhook();
      if (stopped) return;
      runner = run(bot, { runner: { fetch: { allowed_updates: ["message", "callback_query"] }, silent: true } });
      // 401 (token revoked) or 409 (another instance polls) end polling for good.
      runner.task()?.catch((error: unknown) => log.error({ err: error }, "Telegram polling stopped"));
    }
    log.info({ username: bot.botInfo.username }, `Telegram bot started as @${bot.botInfo.username}`);
  };

  return {
    bot,
    dispatcher,
    ...(notifier && { notifier }),
    ...(webhook && { webhook }),

    start() {
      starting ??= begin();
      return starting;
    },

    async stop() {
      stopped = true;
      aborter.abort();
      notifier?.stop();
      // A runner that already ended (401, 409) has no task left: stop() then returns undefined.
      await Promise.resolve(runner?.stop()).catch(() => undefined);
      await starting?.catch(() => undefined);
      runner = undefined;
      if (!(await inFlight.settled(STOP_GRACE_MS))) {
        log.warn({ updates: inFlight.count }, "Telegram stopped with updates still being handled");
      }
    },

    async idle() {
      await inFlight.settled();
    },
  };
}
