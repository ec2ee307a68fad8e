/**
 * Issue 12: a card of a cycle that starts later is genuine. The issuer records it as delivered, so
 * the wallet must keep it too (today it said "could not be checked, not saved") and show "valid
 * from DATE" until then.
 */
import "fake-indexeddb/auto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTranslator } from "@haki/i18n";
import { LOCALES } from "@haki/i18n";
import { MIN_PBKDF2_ITERATIONS } from "@haki/secure-store/crypto";
import { startTestIssuer, type TestIssuer } from "../../e2e/issuer";
import { openWalletDb } from "../storage/db";
import { createProfile } from "../storage/profiles";
import { createHolderKey } from "./holder-key";
import { listRecords } from "../storage/records";
import { cardState, decodeEntitlement } from "./cards";
import { readOffer, receiveAndStore } from "./receive";
import { StoredCredential } from "./schemas";

const fast = { iterations: MIN_PBKDF2_ITERATIONS };
let n = 0;
let future: TestIssuer;
let expired: TestIssuer;

beforeAll(async () => {
  future = await startTestIssuer({ validFromDays: 10 });
  expired = await startTestIssuer({ validFromDays: -40, validUntilDays: -10 });
});
afterAll(async () => {
  await future?.close();
  await expired?.close();
});

async function receiveFrom(issuer: TestIssuer) {
  const db = await openWalletDb(`wallet-future-${++n}`);
  const session = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
  await createHolderKey(db, session);
  const offer = await issuer.offer({ walletUrl: "http://127.0.0.1/receive" });
  const { offer: read } = await readOffer(offer.offerUri);
  return { db, session, receive: () => receiveAndStore(db, session, read) };
}

describe("issue 12: cards whose 'valid from' is in the future", () => {
  it("stores a card of a cycle that starts in ten days, shown as not yet valid with its start date", async () => {
    const { db, session, receive } = await receiveFrom(future);
    const id = await receive();
    const { items } = await listRecords(db, session, "credential", StoredCredential);
    expect(items.map((i) => i.id)).toEqual([id]);
    const payload = decodeEntitlement(items[0]!.value.jwt)!;
    expect(cardState(payload, undefined, new Date())).toBe("not-yet-valid");
    expect(payload.nbf * 1000).toBeGreaterThan(Date.now() + 9 * 86_400_000);
    expect(cardState(payload, undefined, new Date(payload.nbf * 1000 + 1000))).toBe("active");
    for (const locale of LOCALES) {
      const t = createTranslator(locale, "wallet");
      expect(t("cards.validFrom", { date: "DATE" }), locale).toContain("DATE");
      expect(t("status.not-yet-valid"), locale).not.toBe("status.not-yet-valid");
    }
  });

  it("still refuses a card that has already ended", async () => {
    const { db, session, receive } = await receiveFrom(expired);
    const error = await receive().catch((e: unknown) => e as { code?: string; cause?: Error });
    expect(error).toMatchObject({ code: "ERR_CREDENTIAL_REJECTED", cause: { code: "ERR_CARD_REJECTED", reason: "invalid", detail: "ERR_EXPIRED" } });
    expect((await listRecords(db, session, "credential", StoredCredential)).items).toEqual([]);
  });
});
