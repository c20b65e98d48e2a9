import { describe, expect, it } from "vitest";
import { en } from "../../../bot/i18n/en.ts";
import { formatNumber, formatSigned, formatTime } from "../../../bot/i18n/format.ts";
import { ko } from "../../../bot/i18n/ko.ts";
import { languageFromCode, toLanguage } from "../../../bot/i18n/language.ts";
import { createTranslator, translate } from "../../../bot/i18n/translate.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogs", () => {
  it("has a non-empty Korean message with the same placeholders for every English key", () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ko[key].trim(), key).not.toBe("");
      expect(placeholders(ko[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("keeps markup out of messages: adapters escape them (usage lines may say <user>)", () => {
    const markup = /<\/?(b|i|u|s|a|code|pre|strong|em|span)\b[^>]*>|&(amp|lt|gt|quot|#\d+);/;
    for (const text of [...Object.values(en), ...Object.values(ko)]) expect(text).not.toMatch(markup);
  });

  it("fills in parameters and leaves unknown placeholders visible", () => {
    expect(translate("en", "grant.done", { user: "@bob", role: "trader" })).toBe("@bob now has the trader role.");
    expect(translate("ko", "error.usage", { usage: "/lang [en|ko]" })).toBe("사용법: /lang [en|ko]");
    expect(createTranslator("en")("confirm.yes")).toBe("Confirm");
    // A value containing braces is not expanded again.
    expect(translate("en", "error.usage", { usage: "{role}" })).toBe("Usage: {role}");
  });

  it("types keys and parameters, so mistakes fail tsc", () => {
    const t = createTranslator("en");
    const typeOnly = () => {
      // @ts-expect-error a key that does not exist
      t("no.such.key");
      // @ts-expect-error a message with parameters needs them
      t("grant.done");
      // @ts-expect-error every parameter is required
      t("grant.done", { user: "@bob" });
      // @ts-expect-error a message without parameters takes none
      t("confirm.yes", { x: 1 });
    };
    expect(typeof typeOnly).toBe("function");
  });
});

describe("languages and formatting", () => {
  it("reads client language tags, falling back to English", () => {
    expect(languageFromCode("ko")).toBe("ko");
    expect(languageFromCode("ko-KR")).toBe("ko");
    expect(languageFromCode("KO_kr")).toBe("ko");
    expect(languageFromCode("en-GB")).toBe("en");
    expect(languageFromCode("de")).toBe("en");
    expect(languageFromCode(undefined)).toBe("en");
    expect(toLanguage("fr")).toBe("en");
  });

  it("formats numbers, signed PnL and UTC times for chat", () => {
    expect(formatNumber(1234567.891, "en")).toBe("1,234,567.891");
    expect(formatNumber(0.00012345, "ko")).toBe("0.00012345");
    expect(formatNumber(1 / 3, "en", 2)).toBe("0.33");
    expect(formatSigned(12.5, "en")).toBe("+12.5");
    expect(formatSigned(-3, "en")).toBe("-3");
    expect(formatSigned(0, "en")).toBe("0");
    expect(formatTime(Date.UTC(2024, 0, 2, 3, 4, 59))).toBe("2024-01-02 03:04 UTC");
  });
});
