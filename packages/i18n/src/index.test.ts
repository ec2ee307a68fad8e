import { describe, expect, it } from "vitest";
import { LOCALES, createTranslator, matchLocale, resources, textDirection } from "./index";

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

  it("has the same keys in every locale for every namespace", () => {
    const keys = (o: object, p = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === "object" && v !== null ? keys(v, `${p}${k}.`) : [`${p}${k}`],
      );
    for (const ns of ["common", "issuer", "wallet", "verifier"] as const) {
      const en = keys(resources.en[ns]).sort();
      for (const l of LOCALES) expect(keys(resources[l][ns]).sort(), `${l}.${ns}`).toEqual(en);
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
