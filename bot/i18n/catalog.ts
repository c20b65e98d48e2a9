import type { en } from "./en.ts";

/** Every message key; the English catalog defines them. */
export type MessageKey = keyof typeof en;

/** A catalog in another language: every key, no other key (`satisfies Catalog` checks both). */
export type Catalog = { readonly [K in MessageKey]: string };

type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The parameter names of a message, read from its English text: `"Hi {name}"` -> `"name"`. */
export type ParamsOf<K extends MessageKey> = Placeholders<(typeof en)[K]>;

/** Keys whose messages take no parameters: what command descriptions and usage lines must be. */
export type PlainKey = { [K in MessageKey]: [ParamsOf<K>] extends [never] ? K : never }[MessageKey];

/** The values a message's parameters take; numbers are formatted by the caller before this. */
export type MessageParams<K extends MessageKey> = { readonly [P in ParamsOf<K>]: string | number };
