import { escapeHtml } from "./escape.ts";

/** Telegram's limit on a message's text. We measure the HTML, which is never shorter than the text Telegram counts. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Paragraph lines in one style; raw text, escaped here. */
export interface TextSection {
  readonly kind: "text";
  readonly style: "plain" | "title" | "code";
  readonly lines: readonly string[];
}

/** Monospace lines; `header` is repeated at the top of each message a long block is split into. */
export interface PreSection {
  readonly kind: "pre";
  readonly header: readonly string[];
  readonly rows: readonly string[];
}

export type Section = TextSection | PreSection;

const OPEN = "<pre>";
const CLOSE = "</pre>";
const WRAP: Readonly<Record<TextSection["style"], readonly [string, string]>> = {
  plain: ["", ""],
  title: ["<b>", "</b>"],
  code: ["<code>", "</code>"],
};

/**
 * Packs sections into as few messages as fit `limit`, breaking only between lines. Every message is
 * valid HTML on its own: a `<pre>` block split across messages is closed at the end of one and
 * reopened (with its header) at the start of the next, and a line too long for any message is cut
 * between characters (at a space when there is one), never inside an entity or a tag.
 * @example packMessages([{ kind: "text", style: "plain", lines: ["a & b"] }]) // ["a &amp; b"]
 */
export function packMessages(sections: readonly Section[], limit = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let current = "";
  for (const section of sections) {
    if (section.kind === "text") {
      const [open, close] = WRAP[section.style];
      let joint = "\n\n";
      for (const raw of section.lines) {
        for (const piece of chop(raw, limit - open.length - close.length)) {
          const line = piece === "" ? "" : open + escapeHtml(piece) + close;
          if (current !== "" && current.length + joint.length + line.length > limit) {
            parts.push(current);
            current = line;
          } else {
            current += (current === "" ? "" : joint) + line;
          }
          joint = "\n";
        }
      }
    } else {
      current = packPre(section, current, limit, parts);
    }
  }
  if (current.trim() !== "") parts.push(current);
  return parts.filter((p) => p.trim() !== "");
}

function packPre(section: PreSection, current: string, limit: number, parts: string[]): string {
  let header = section.header.map(escapeHtml);
  let rawRows = section.rows;
  // A header that leaves less than half a message for rows is shown once, as rows, not repeated.
  if (header.join("\n").length + OPEN.length + CLOSE.length > limit / 2) {
    header = [];
    rawRows = [...section.header, ...section.rows];
  }
  const rowBudget = limit - OPEN.length - CLOSE.length - (header.length > 0 ? header.join("\n").length + 1 : 0);
  let base = current === "" ? "" : `${current}\n\n`;
  let body = [...header];
  let bodyLength = header.join("\n").length;
  let rows = 0;
  const size = (line: string) =>
    base.length + OPEN.length + CLOSE.length + bodyLength + (body.length > 0 ? 1 : 0) + line.length;
  for (const raw of rawRows) {
    for (const piece of chop(raw, rowBudget)) {
      const line = escapeHtml(piece);
      if (size(line) > limit) {
        if (rows > 0) parts.push(base + OPEN + body.join("\n") + CLOSE);
        else if (base !== "") parts.push(current);
        base = "";
        body = [...header];
        bodyLength = header.join("\n").length;
        rows = 0;
      }
      bodyLength += (body.length > 0 ? 1 : 0) + line.length;
      body.push(line);
      rows++;
    }
  }
  return base + OPEN + body.join("\n") + CLOSE;
}

/** What one character costs once escaped, in UTF-16 units (what String#length counts). */
function cost(c: string): number {
  return c === "&" ? 5 : c === "<" || c === ">" ? 4 : c.length;
}

/**
 * Cuts raw text into pieces whose escaped length fits `budget`, preferring the last space in the
 * second half of a piece, never splitting a surrogate pair.
 */
function chop(raw: string, budget: number): string[] {
  let total = 0;
  for (const c of raw) total += cost(c);
  if (total <= budget) return [raw];
  const chars = Array.from(raw);
  const pieces: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = start;
    let used = 0;
    while (end < chars.length && used + cost(chars[end]!) <= budget) used += cost(chars[end++]!);
    if (end === start) end = start + 1;
    if (end < chars.length) {
      const space = chars.lastIndexOf(" ", end - 1);
      if (space > start + (end - start) / 2) end = space + 1;
    }
    pieces.push(chars.slice(start, end).join(""));
    start = end;
  }
  return pieces;
}
