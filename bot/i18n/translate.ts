import type { MessageKey, MessageParams, ParamsOf } from "./catalog.ts";
import { en } from "./en.ts";
import { ko } from "./ko.ts";
import type { Language } from "./language.ts";

const CATALOGS = { en, ko } as const;

/** Parameters are required exactly when the message has placeholders. */
export type ParamArgs<K extends MessageKey> = [ParamsOf<K>] extends [never] ? [] : [params: MessageParams<K>];

/** Looks up a message in one language and fills in its parameters. */
export type Translate = <K extends MessageKey>(key: K, ...params: ParamArgs<K>) => string;

/**
 * The message `key` in `language` with `{name}` placeholders filled in; a placeholder without a value is
 * left as it is, so a slip shows in the chat rather than as "undefined".
 * @example translate("ko", "lang.set", { language: "한국어" }) // "언어를 바꿨습니다: 한국어"
 */
export function translate<K extends MessageKey>(language: Language, key: K, ...params: ParamArgs<K>): string {
  const template: string = CATALOGS[language][key] ?? en[key];
  const values = params[0] as Readonly<Record<string, string | number>> | undefined;
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/**
 * A translator bound to one language: what a command's context carries as `ctx.t`.
 * @example const t = createTranslator("en"); t("grant.done", { user: "@bob", role: "trader" })
 */
export function createTranslator(language: Language): Translate {
  return (key, ...params) => translate(language, key, ...params);
}
