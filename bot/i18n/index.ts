// Message catalogs (English, Korean), the typed translator and number and time formatting for chat.
export type { Catalog, MessageKey, MessageParams, ParamsOf, PlainKey } from "./catalog.ts";
export { en } from "./en.ts";
export { formatNumber, formatSigned, formatTime } from "./format.ts";
export { ko } from "./ko.ts";
export { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language, languageFromCode, toLanguage } from "./language.ts";
export { createTranslator, type ParamArgs, type Translate, translate } from "./translate.ts";
