import { describe, expect, it } from "vitest";
import { LOCALES, createTranslator, isLocale, matchLocale, resources, textDirection } from "./index";

describe("i18n", () => {
  it("translates common words in every locale", () => {
    expect(createTranslator("sw", "wallet")("cancel")).toBe("Ghairi");
    expect(createTranslator("fr", "verifier")("offline")).toBe("Vous êtes hors ligne");
  });

  it("marks Arabic as right to left", () => {
    expect(textDirection("ar")).toBe("rtl");
    expect(textDirection("en")).toBe("ltr");
  });

  it("matches Accept-Language tags", () => {
    expect(matchLocale("ar-EG,ar;q=0.9")).toBe("ar");
    expect(matchLocale("de-DE, fr;q=0.5")).toBe("fr");
    expect(matchLocale("xx")).toBe("en");
  });

  it("accepts only the supported locales as a choice", () => {
    for (const l of LOCALES) expect(isLocale(l)).toBe(true);
    for (const other of ["de", "EN", "en-GB", "", null, undefined, 1]) expect(isLocale(other)).toBe(false);
  });

  it("has the same keys in every locale for every namespace", () => {
    const keys = (o: object, p = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === "object" && v !== null ? keys(v, `${p}${k}.`) : [`${p}${k}`],
      );
    // Plural forms (i18next `key_one`, `key_few`, ...) count as one key; each language must have
    // exactly its own CLDR plural categories (English one/other, Arabic six).
    const PLURAL = /_(zero|one|two|few|many|other)$/;
    const base = (list: string[]) => [...new Set(list.map((k) => k.replace(PLURAL, "")))].sort();
    for (const ns of ["common", "issuer", "wallet", "verifier"] as const) {
      const en = base(keys(resources.en[ns]));
      for (const l of LOCALES) {
        const found = keys(resources[l][ns]);
        expect(base(found), `${l}.${ns}`).toEqual(en);
        const categories = [...new Intl.PluralRules(l).resolvedOptions().pluralCategories].sort();
        for (const plural of new Set(
          found.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, "")),
        )) {
          const forms = found.filter((k) => k.replace(PLURAL, "") === plural && PLURAL.test(k));
          expect(forms.map((k) => PLURAL.exec(k)![1]).sort(), `${l}.${ns} ${plural}`).toEqual(
            categories,
          );
        }
      }
    }
  });
});

describe("words", () => {
  it("call the transaction code one thing in the console, on the letter and in the wallet", () => {
    const term = { en: "card code", fr: "code de la carte", ar: "رمز البطاقة", sw: "msimbo wa kadi" } as const;
    for (const l of LOCALES) {
      const issuer = createTranslator(l, "issuer");
      const wallet = createTranslator(l, "wallet");
      for (const text of [issuer("cycles.pin"), wallet("receive.txCode", { length: 6 }), wallet("receive.txCodeHelp"), wallet("receive.wrongCode"), wallet("receive.codeLocked")]) {
        expect(text.toLowerCase(), `${l}: ${text}`).toContain(term[l]);
      }
      expect(issuer("cycles.pin").toLowerCase()).not.toContain("pin");
    }
  });
});
