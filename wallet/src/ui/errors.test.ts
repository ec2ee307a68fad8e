import { LOCALES, createTranslator } from "@haki/i18n";
import { describe, expect, it } from "vitest";
import { ERROR_WORDS, errorText } from "./errors";

describe("errorText", () => {
  it("has words for every code, in every language (never the key, never English elsewhere by accident)", () => {
    for (const locale of LOCALES) {
      const t = createTranslator(locale, "wallet");
      for (const [code, key] of Object.entries(ERROR_WORDS)) expect(t(key), `${locale} ${code}`).not.toBe(key);
    }
  });

  it("says the code's words and falls back to a general sentence", () => {
    const t = createTranslator("en", "wallet");
    expect(errorText({ code: "ERR_STORAGE_QUOTA" }, t)).toMatch(/out of space/);
    expect(errorText({ code: "ERR_CARD_REJECTED" }, t)).toMatch(/could not be checked/);
    expect(errorText(new Error("boom"), t)).toBe(t("errors.generic"));
  });
});
