/**
 * Issue 12: a card whose "valid from" is still ahead is answered "Not yet valid" with the date in
 * the operator's words, in every language.
 */
import { LOCALES, createTranslator } from "@haki/i18n";
import { encodeProof } from "@haki/qr/codec";
import { checkContextFor, createTestWorld } from "@haki/redemption/testing";
import { describe, expect, it } from "vitest";
import { localizeDetails } from "../ui/format";
import { checkScannedText } from "./scan-check";

const NOW = new Date("2027-03-10T09:00:00Z");

describe("issue 12: a card that is not valid yet", () => {
  it("answers red 'Not yet valid' with the start date in plain words, in four languages", async () => {
    const world = await createTestWorld({ now: NOW });
    const context = checkContextFor(world, await world.deviceState());
    const card = await world.issue({
      index: 5,
      validFrom: new Date("2027-04-01T00:00:00Z"),
      validUntil: new Date("2027-05-01T00:00:00Z"),
    });
    const d = await checkScannedText(encodeProof(card), context);
    expect(d).toMatchObject({ outcome: "red", code: "ERR_CREDENTIAL_NOT_YET_VALID" });
    if (d.outcome !== "red") return;
    const expected: Record<string, RegExp> = {
      en: /^Not yet valid$/,
      fr: /^Pas encore valable$/,
      ar: /\S/,
      sw: /\S/,
    };
    const words: Record<string, RegExp> = {
      en: /April 1, 2027/,
      fr: /1 avril 2027/,
      ar: /أبريل/,
      sw: /Aprili/,
    };
    for (const locale of LOCALES) {
      const t = createTranslator(locale, "verifier");
      expect(t("result.notYetValid"), locale).toMatch(expected[locale]!);
      expect(t("result.notYetValid"), locale).not.toBe(t("result.red"));
      const reason = t(d.reasonKey, localizeDetails(d.details, locale));
      expect(reason, locale).toMatch(words[locale]!);
      expect(reason, locale).not.toContain("2027-04-01");
    }
  });
});
