import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import type { Logger } from "../../core/log.ts";
import type { Command } from "../commands/define.ts";
import { createTranslator, LANGUAGES, type Language } from "../i18n/index.ts";

/**
 * The command menu in each language: the default scope (English, and Korean for Korean clients) lists
 * what non-admins may use, and each seeded admin's private chat lists everything. Admin commands stay
 * out of everyone's menu, though typing one only ever earns a refusal. A failure here (an admin who
 * never opened the bot has no chat yet) is logged and skipped: a menu is not worth failing start for.
 * @example await registerMenus(bot.api, BUILTIN_COMMANDS, { admins: [12345], log })
 */
export async function registerMenus(
  api: Api,
  commands: readonly Command[],
  options: { readonly admins: readonly (string | number)[]; readonly log: Logger },
): Promise<void> {
  const everyone = commands.filter((c) => c.role !== "admin");
  for (const language of LANGUAGES) {
    const code = language === "en" ? {} : { language_code: language };
    await attempt(options.log, { language }, () => api.setMyCommands(menu(everyone, language), code));
    for (const admin of options.admins) {
      const scope = { type: "chat" as const, chat_id: Number(admin) };
      await attempt(options.log, { language, admin }, () =>
        api.setMyCommands(menu(commands, language), { scope, ...code }),
      );
    }
  }
}

function menu(commands: readonly Command[], language: Language): BotCommand[] {
  const t = createTranslator(language);
  // Telegram refuses descriptions over 256 characters; ours are short, the cut is a guard.
  return commands.map((c) => ({ command: c.name, description: t(c.description).slice(0, 256) }));
}

async function attempt(log: Logger, fields: object, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    log.warn({ err: error, ...fields }, "setMyCommands failed");
  }
}
