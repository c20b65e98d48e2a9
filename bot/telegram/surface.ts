import type { Api } from "grammy";
import type { Logger } from "../../core/log.ts";
import type { ProgressHandle, Surface } from "../commands/context.ts";
import { escapeHtml } from "./render/escape.ts";
import { TELEGRAM_TEXT_LIMIT } from "./render/split.ts";
import { chatIdOf, isNotModified } from "./send.ts";

export interface SurfaceOptions {
  readonly log: Logger;
  /**
   * Least time between two edits of one progress message. Telegram starts answering 429 when a chat is
   * edited more than about once a second; updates that come faster wait, and only the newest is sent.
   */
  readonly minEditIntervalMs?: number;
}

/**
 * What a running command may do in a Telegram chat beyond replying: a progress message it edits as
 * work proceeds. Progress is best effort: a failed edit is logged, never fails the command.
 * @example const handle = await telegramSurface(api, "12345", { log }).progress("Backtest: 0%")
 */
export function telegramSurface(api: Api, chatId: string, options: SurfaceOptions): Surface {
  const interval = options.minEditIntervalMs ?? 1_000;
  return {
    async progress(text) {
      const message = await api.sendMessage(chatIdOf(chatId), html(text), { parse_mode: "HTML" });
      let shown = text;
      let lastEdit = performance.now();
      let waiting: string | undefined;

      const edit = async (next: string) => {
        waiting = undefined;
        if (next === shown) return;
        shown = next;
        lastEdit = performance.now();
        try {
          await api.editMessageText(chatIdOf(chatId), message.message_id, html(next), { parse_mode: "HTML" });
        } catch (error) {
          if (!isNotModified(error)) options.log.warn({ err: error, chatId }, "progress edit failed");
        }
      };

      const handle: ProgressHandle = {
        async update(next) {
          if (performance.now() - lastEdit < interval) waiting = next;
          else await edit(next);
        },
        async done(final) {
          const next = final ?? waiting;
          if (next !== undefined) await edit(next);
        },
      };
      return handle;
    },
  };
}

/** Escaped, and cut to one message (before escaping, so no entity is cut in half). */
function html(text: string): string {
  let chars = Array.from(text);
  let escaped = escapeHtml(text);
  while (escaped.length > TELEGRAM_TEXT_LIMIT) {
    chars = chars.slice(0, Math.floor(chars.length * 0.9));
    escaped = `${escapeHtml(chars.join(""))}…`;
  }
  return escaped;
}
