/** The tags Telegram's HTML parse mode accepts. */
const TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-emoji",
]);

/**
 * Checks text the way Telegram's HTML parser does (for the parts our bot uses): known tags only,
 * properly nested and closed, and `&` only as an entity. Returns the problem, or undefined when the
 * text parses; `plain` is the text a user would see.
 * @example checkTelegramHtml("<b>a &amp; b</b>") // { plain: "a & b" }
 */
export function checkTelegramHtml(html: string): { problem?: string; plain: string } {
  const open: string[] = [];
  let plain = "";
  let i = 0;
  while (i < html.length) {
    const c = html[i]!;
    if (c === "<") {
      const end = html.indexOf(">", i);
      if (end < 0) return { problem: `unclosed tag start at byte offset ${i}`, plain };
      const tag = html.slice(i + 1, end);
      const closing = tag.startsWith("/");
      const name = (closing ? tag.slice(1) : tag).split(/\s/)[0]!.toLowerCase();
      if (!TAGS.has(name)) return { problem: `unsupported start tag "${name}" at byte offset ${i}`, plain };
      if (closing) {
        if (open.pop() !== name) return { problem: `unmatched end tag "${name}" at byte offset ${i}`, plain };
      } else {
        open.push(name);
      }
      i = end + 1;
    } else if (c === "&") {
      const entity = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(html.slice(i));
      if (!entity) return { problem: `unsupported entity at byte offset ${i}`, plain };
      const e = entity[1]!.toLowerCase();
      plain +=
        e === "lt"
          ? "<"
          : e === "gt"
            ? ">"
            : e === "amp"
              ? "&"
              : e === "quot"
                ? '"'
                : String.fromCodePoint(Number(e.startsWith("#x") ? `0x${e.slice(2)}` : e.slice(1)));
      i += entity[0].length;
    } else if (c === ">") {
      // Telegram tolerates a bare ">", but our bot always escapes it: treat one as a bug.
      return { problem: `bare ">" at byte offset ${i}`, plain };
    } else {
      plain += c;
      i++;
    }
  }
  if (open.length > 0) return { problem: `can't find end tag corresponding to start tag "${open.at(-1)}"`, plain };
  return { plain };
}
