import { LOCALES, resources } from "@haki/i18n";
import { STORAGE_ERROR_CODES } from "@haki/pwa/errors";
import { FORMAT_CODES, REDEMPTION_CODES, REJECTION_CODES } from "@haki/redemption/codes";
import { VERIFIER_ERROR_CODES } from "../verifier/errors";
import { IDENTITY_REASONS } from "../verifier/identity";
import { ID_BINDING_ERROR_CODES } from "@haki/id-binding/errors";
import { describe, expect, it } from "vitest";

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("verifier messages", () => {
  it("explain every rejection, redemption, format, storage and device code in plain words, in every language", () => {
    for (const locale of LOCALES) {
      const reasons = resources[locale].verifier.reason as Record<string, string>;
      for (const code of [...REJECTION_CODES, ...REDEMPTION_CODES, ...FORMAT_CODES, ...STORAGE_ERROR_CODES, ...VERIFIER_ERROR_CODES, "ERR_BALANCE_CONFLICT"]) {
        expect(reasons[code], `${locale} reason.${code}`).toMatch(/\S/);
      }
    }
  });

  it("explain every reason an ID card is refused, in every language", () => {
    for (const locale of LOCALES) {
      const reasons = (resources[locale].verifier as unknown as { identity: { reason: Record<string, string> } }).identity.reason;
      for (const reason of IDENTITY_REASONS) expect(reasons[reason], `${locale} identity.reason.${reason}`).toMatch(/\S/);
    }
  });

  it("explain every outcome of a bound paper card with an ID card, in every language", () => {
    const codes = ["BINDING_MATCH", "BINDING_MISMATCH", "ID_NOT_SHOWN", "BINDING_ID_INCOMPLETE", ...ID_BINDING_ERROR_CODES.filter((c) => c !== "ERR_BINDING_INPUT_INVALID"), "idFailed"];
    for (const locale of LOCALES) {
      const bound = (resources[locale].verifier as unknown as { bound: { reason: Record<string, string>; ruleRefuse: string; ruleVisual: string } }).bound;
      for (const code of codes) expect(bound.reason[code], `${locale} bound.reason.${code}`).toMatch(/\S/);
      expect(bound.ruleRefuse).toMatch(/\S/);
      expect(bound.ruleVisual).toMatch(/\S/);
    }
  });

  it("use the same placeholders in every language", () => {
    const walk = (o: object, p = ""): [string, string][] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === "object" && v !== null
          ? walk(v, `${p}${k}.`)
          : [[`${p}${k}`, String(v)] as [string, string]],
      );
    const en = new Map(walk(resources.en.verifier));
    // Plural forms (i18next `_one`, `_few`, ...) differ by language; each matches English's
    // `_other`, and may spell the number out instead of using {{count}} ("يومان").
    const plural = /_(zero|one|two|few|many|other)$/;
    for (const locale of LOCALES) {
      for (const [key, text] of walk(resources[locale].verifier)) {
        const expected = placeholders(
          en.get(plural.test(key) ? key.replace(plural, "_other") : key) ?? "",
        );
        const found = placeholders(text);
        if (plural.test(key)) {
          expect(
            found.filter((p) => p !== "count"),
            `${locale} ${key}`,
          ).toEqual(expected.filter((p) => p !== "count"));
        } else {
          expect(found, `${locale} ${key}`).toEqual(expected);
        }
      }
    }
  });
});
