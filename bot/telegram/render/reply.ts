import type { InlineKeyboardMarkup } from "grammy/types";
import type { Button, Reply } from "../../commands/reply.ts";
import { encodeCallbackData } from "../callback-data.ts";
import { escapeHtml } from "./escape.ts";
import { packMessages, type Section, TELEGRAM_TEXT_LIMIT } from "./split.ts";
import { renderTable } from "./table.ts";

/** Telegram's limit on a photo caption. */
export const TELEGRAM_CAPTION_LIMIT = 1024;

/** One Telegram message to send, in order. */
export type Outgoing =
  | { readonly kind: "text"; readonly html: string; readonly keyboard?: InlineKeyboardMarkup }
  | {
      readonly kind: "photo";
      readonly png: Uint8Array;
      readonly filename: string;
      readonly captionHtml?: string;
      readonly keyboard?: InlineKeyboardMarkup;
    };

/**
 * A Reply as Telegram messages: text and tables packed into HTML messages under the length limit
 * (tables in `<pre>`), each image its own photo (its caption as a message after it when too long),
 * and the buttons under the last message.
 * @example renderReply(textReply("a < b")) // [{ kind: "text", html: "a &lt; b" }]
 */
export function renderReply(reply: Reply, limit = TELEGRAM_TEXT_LIMIT): Outgoing[] {
  const out: Outgoing[] = [];
  let sections: Section[] = [];
  const flush = () => {
    for (const html of packMessages(sections, limit)) out.push({ kind: "text", html });
    sections = [];
  };
  for (const block of reply.blocks) {
    if (block.kind === "text") sections.push({ kind: "text", style: block.style, lines: block.text.split("\n") });
    else if (block.kind === "table") {
      const { header, rows } = renderTable(block);
      sections.push({ kind: "pre", header, rows });
    } else {
      flush();
      const caption = block.caption === undefined ? undefined : escapeHtml(block.caption);
      const fits = caption !== undefined && caption.length <= TELEGRAM_CAPTION_LIMIT;
      out.push({ kind: "photo", png: block.png, filename: block.filename, ...(fits && { captionHtml: caption }) });
      if (block.caption !== undefined && !fits)
        sections.push({ kind: "text", style: "plain", lines: block.caption.split("\n") });
    }
  }
  flush();
  const keyboard = toKeyboard(reply.buttons);
  const last = out.at(-1);
  if (keyboard && last) out[out.length - 1] = { ...last, keyboard };
  return out;
}

/** @example toKeyboard([[commandButton("Refresh", "/status")]]) // { inline_keyboard: [[{ text: "Refresh", callback_data: "c|/status" }]] } */
export function toKeyboard(rows: readonly (readonly Button[])[] | undefined): InlineKeyboardMarkup | undefined {
  if (!rows || rows.every((r) => r.length === 0)) return undefined;
  return {
    inline_keyboard: rows
      .filter((r) => r.length > 0)
      .map((r) => r.map((b) => ({ text: b.label, callback_data: encodeCallbackData(b.action) }))),
  };
}
