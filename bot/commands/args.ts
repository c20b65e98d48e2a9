/**
 * Command arguments as people type them: words separated by spaces, "quoted phrases", and
 * `key=value` pairs. Phones turn straight quotes into curly ones, so “these” count as quotes too.
 */

export interface Token {
  /** The word with its quotes removed. */
  readonly value: string;
  /** True when any part of the word was quoted: `"a=b"` is a word, not a pair. */
  readonly quoted: boolean;
}

const OPEN_QUOTES = new Map([
  ['"', '"'],
  ["“", "”"],
  ["„", "“"],
]);

/**
 * Splits argument text into words. A backslash escapes a quote inside quotes; an unclosed quote runs to
 * the end of the text (forgiving, since the rest is what the user meant).
 * @example tokenize('BTC/USDT reason="fast drop" x') // [{ value: "BTC/USDT" }, { value: "reason=fast drop" }, { value: "x" }]
 */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let current = "";
  let quoted = false;
  let inWord = false;
  let closing: string | undefined;
  const chars = Array.from(input);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (closing !== undefined) {
      if (c === "\\" && (chars[i + 1] === closing || chars[i + 1] === '"')) {
        current += chars[++i];
      } else if (c === closing || (closing === "”" && c === '"')) {
        closing = undefined;
      } else {
        current += c;
      }
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) tokens.push({ value: current, quoted });
      current = "";
      quoted = false;
      inWord = false;
      continue;
    }
    inWord = true;
    const close = OPEN_QUOTES.get(c);
    if (close !== undefined) {
      closing = close;
      quoted = true;
    } else {
      current += c;
    }
  }
  if (inWord) tokens.push({ value: current, quoted });
  return tokens;
}

const PAIR = /^([A-Za-z_][\w.-]*)=(.*)$/s;

/** How a command's words map to named arguments before the schema checks them. */
export interface ArgLayout {
  /** Names for the leading words, in order. */
  readonly positional?: readonly string[];
  /** The name that collects every word after the positional ones, as a string array. */
  readonly rest?: string;
}

/**
 * Arguments as a plain object for the command's zod schema: positional words by name, `key=value`
 * pairs by key, the remaining words under `rest`. Undefined when there are more words than names.
 * Once the positional names are filled, `rest` takes every word, pairs included, so a free-text
 * reason may contain "=".
 * @example collectArgs(tokenize("@bob trader"), { positional: ["user", "role"] }) // { user: "@bob", role: "trader" }
 */
export function collectArgs(tokens: readonly Token[], layout: ArgLayout): Record<string, unknown> | undefined {
  const names = layout.positional ?? [];
  const args: Record<string, unknown> = {};
  const rest: string[] = [];
  let next = 0;
  for (const token of tokens) {
    if (layout.rest !== undefined && next >= names.length) {
      rest.push(token.value);
      continue;
    }
    const pair = token.quoted ? null : PAIR.exec(token.value);
    if (pair) args[pair[1]!] = pair[2]!;
    else if (next < names.length) args[names[next++]!] = token.value;
    else return undefined;
  }
  if (layout.rest !== undefined) args[layout.rest] = rest;
  return args;
}
