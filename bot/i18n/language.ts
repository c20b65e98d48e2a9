/** The languages quantchat's message catalogs exist in. */
export const LANGUAGES = ["en", "ko"] as const;

export type Language = (typeof LANGUAGES)[number];

/** English is the fallback for every client language without a catalog. */
export const DEFAULT_LANGUAGE: Language = "en";

/** @example isLanguage("ko") // true; isLanguage("de") // false */
export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The catalog for a client's IETF language tag (Telegram's `language_code`), English when there is none.
 * Region subtags are ignored: "ko-KR" and "ko" both mean Korean.
 * @example languageFromCode("ko-KR") // "ko"; languageFromCode(undefined) // "en"
 */
export function languageFromCode(code: string | undefined): Language {
  const primary = code?.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return isLanguage(primary) ? primary : DEFAULT_LANGUAGE;
}

/**
 * A stored language read back: anything unknown (an older catalog, a hand-edited row) becomes English.
 * @example toLanguage(user.language) // "en" | "ko"
 */
export function toLanguage(value: string): Language {
  return isLanguage(value) ? value : DEFAULT_LANGUAGE;
}
