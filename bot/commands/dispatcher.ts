import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/log.ts";
import type { Db } from "../../core/store/repositories/common.ts";
import type { Role } from "../../core/store/repositories/roles.ts";
import { createTranslator, type Translate } from "../i18n/index.ts";
import { type Access, resolveAccess } from "./access.ts";
import { audit } from "./audit.ts";
import { type Invocation, parseCommandLine } from "./command-line.ts";
import { CONFIRMATION_TTL_MS, ConfirmationBook } from "./confirmations.ts";
import { actorOf, type Caller, type CommandContext, type Surface } from "./context.ts";
import type { Command } from "./define.ts";
import { type CommandRegistry, createRegistry } from "./registry.ts";
import { type ButtonAction, isConfirmation, type Reply, textReply, withButtons } from "./reply.ts";
import { roleAllows } from "./roles.ts";
import type { CoreServices } from "./services.ts";

export interface DispatcherOptions {
  readonly commands: readonly Command[];
  readonly services: CoreServices;
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  /** How long a confirmation question stays answerable; two minutes by default. */
  readonly confirmationTtlMs?: number;
}

/** How a command invocation ended, for the adapter (and its tests); the reply says it to the user. */
export type Outcome = "ok" | "denied" | "usage" | "unknown" | "error";

export interface DispatchResult {
  readonly reply: Reply;
  readonly outcome: Outcome;
}

/** What a button press produces: a reply, or a short notice that must not touch the message. */
export type PressResult =
  | { readonly kind: "reply"; readonly reply: Reply; readonly replace: boolean }
  | { readonly kind: "notice"; readonly text: string };

/** The platform-neutral heart of the chat bots: Telegram and Discord adapters only translate to it. */
export interface Dispatcher {
  readonly registry: CommandRegistry;
  /** Runs a typed command: resolve the caller, check the role, parse, run, audit. */
  dispatch(caller: Caller, invocation: Pick<Invocation, "name" | "args">, surface: Surface): Promise<DispatchResult>;
  /** Answers text that is not a command in a private chat. */
  converse(caller: Caller): Promise<Reply>;
  /** Handles a pressed button: a confirmation answer or a command to run. */
  press(caller: Caller, action: ButtonAction, surface: Surface): Promise<PressResult>;
}

type Allowed = Access & { readonly role: Role };

/**
 * Builds the dispatcher over a set of commands.
 * @example
 * const dispatcher = createDispatcher({ commands: BUILTIN_COMMANDS, services, db: store.db, clock, log });
 * const { reply } = await dispatcher.dispatch(caller, { name: "status", args: "" }, surface);
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { services, db, clock, log } = options;
  const registry = createRegistry(options.commands);
  const book = new ConfirmationBook();
  const ttl = options.confirmationTtlMs ?? CONFIRMATION_TTL_MS;

  const deny = (caller: Caller, action: string, reason: string) =>
    audit(db, log, {
      time: clock.now(),
      actor: actorOf(caller),
      action,
      detail: { chat: caller.chatId, reason },
      outcome: "denied",
    });

  const contextFor = (caller: Caller, access: Allowed, command: Command, surface: Surface): CommandContext => {
    const t = createTranslator(access.language);
    const actor = actorOf(caller);
    return {
      caller,
      user: access.user,
      role: access.role,
      language: access.language,
      t,
      clock,
      services,
      db,
      log: log.child({ command: command.name, actor }),
      actor,
      commands: registry.commands,
      confirm: (question, action, detail) => {
        const now = clock.now();
        const pending = { owner: actor, chatId: caller.chatId, command: command.name, role: command.role };
        const token = book.issue({ ...pending, detail, expiresAt: now + ttl, action }, now);
        return withButtons(textReply(question), [
          { label: t("confirm.yes"), action: { type: "confirm", token, answer: "yes" } },
          { label: t("confirm.no"), action: { type: "confirm", token, answer: "no" } },
        ]);
      },
      progress: (text) => surface.progress(text),
      notAvailable: () => textReply(t("error.notAvailable")),
    };
  };

  const failed = async (error: unknown, t: Translate, entry: { caller: Caller; action: string; audited: boolean }) => {
    log.error({ err: error, command: entry.action, actor: actorOf(entry.caller) }, "command failed");
    if (entry.audited) {
      const detail = { chat: entry.caller.chatId, error: error instanceof Error ? error.message : String(error) };
      await audit(db, log, {
        time: clock.now(),
        actor: actorOf(entry.caller),
        action: entry.action,
        detail,
        outcome: "error",
      });
    }
    return textReply(t("error.generic"));
  };

  const dispatch: Dispatcher["dispatch"] = async (caller, invocation, surface) => {
    const access = await resolveAccess(db, caller, clock);
    const t = createTranslator(access.language);
    const command = registry.get(invocation.name);
    if (access.role === undefined) {
      await deny(caller, command?.name ?? invocation.name, "no role");
      return { reply: textReply(t("access.denied")), outcome: "denied" };
    }
    if (!command)
      return { reply: textReply(t("error.unknownCommand", { command: invocation.name })), outcome: "unknown" };
    if (!roleAllows(access.role, command.role)) {
      await deny(caller, command.name, `needs ${command.role}`);
      return { reply: textReply(t("access.needsRole", { role: t(`role.${command.role}`) })), outcome: "denied" };
    }
    const parsed = command.parse(invocation.args);
    if (!parsed.ok) {
      log.debug({ command: command.name, problem: parsed.problem }, "command arguments rejected");
      return { reply: textReply(t("error.usage", { usage: t(command.usage) })), outcome: "usage" };
    }
    const ctx = contextFor(caller, { ...access, role: access.role }, command, surface);
    try {
      const reply = await command.run(ctx, parsed.args);
      if (command.audits(parsed.args) && !isConfirmation(reply)) {
        const detail = { chat: caller.chatId, args: parsed.args };
        await audit(db, log, { time: clock.now(), actor: ctx.actor, action: command.name, detail, outcome: "ok" });
      }
      return { reply, outcome: "ok" };
    } catch (error) {
      return {
        reply: await failed(error, t, { caller, action: command.name, audited: command.audits(parsed.args) }),
        outcome: "error",
      };
    }
  };

  const answer = async (caller: Caller, token: string, yes: boolean, surface: Surface): Promise<PressResult> => {
    const access = await resolveAccess(db, caller, clock);
    const t = createTranslator(access.language);
    if (access.role === undefined) {
      await deny(caller, "confirm", "no role");
      return { kind: "notice", text: t("access.denied") };
    }
    const pending = book.find(token, clock.now());
    if (!pending) return { kind: "reply", reply: textReply(t("confirm.expired")), replace: true };
    if (pending.owner !== actorOf(caller) || pending.chatId !== caller.chatId) {
      // Someone else's question, e.g. in a group: refuse without closing it, the asker may still answer.
      await deny(caller, pending.command, "not the asker");
      return { kind: "notice", text: t("confirm.foreign") };
    }
    book.close(token);
    if (!yes) return { kind: "reply", reply: textReply(t("confirm.cancelled")), replace: true };
    const command = registry.get(pending.command);
    // The role is checked again: it may have been revoked while the question was open.
    if (!command || !roleAllows(access.role, pending.role)) {
      await deny(caller, pending.command, `needs ${pending.role}`);
      return {
        kind: "reply",
        reply: textReply(t("access.needsRole", { role: t(`role.${pending.role}`) })),
        replace: true,
      };
    }
    const ctx = contextFor(caller, { ...access, role: access.role }, command, surface);
    try {
      const reply = await pending.action(ctx);
      const detail = { chat: caller.chatId, confirmed: pending.detail ?? null };
      await audit(db, log, { time: clock.now(), actor: ctx.actor, action: pending.command, detail, outcome: "ok" });
      return { kind: "reply", reply, replace: true };
    } catch (error) {
      const reply = await failed(error, t, { caller, action: pending.command, audited: true });
      return { kind: "reply", reply, replace: true };
    }
  };

  return {
    registry,
    dispatch,

    async converse(caller) {
      const access = await resolveAccess(db, caller, clock);
      const t = createTranslator(access.language);
      if (access.role !== undefined) return textReply(t("hint.help"));
      await deny(caller, "message", "no role");
      return textReply(t("access.denied"));
    },

    async press(caller, action, surface) {
      if (action.type === "confirm") return answer(caller, action.token, action.answer === "yes", surface);
      const invocation = parseCommandLine(action.line);
      if (!invocation) return { kind: "notice", text: "" };
      const result = await dispatch(caller, invocation, surface);
      // A refusal must not overwrite the message someone else asked for (say, /status in a group).
      if (result.outcome === "denied") {
        const first = result.reply.blocks[0];
        return { kind: "notice", text: first?.kind === "text" ? first.text : "" };
      }
      return { kind: "reply", reply: result.reply, replace: true };
    },
  };
}
