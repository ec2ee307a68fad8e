/**
 * The journey's paper-card reader against the issuer's real cards PDF: a new cycle issues VC 2.0
 * `vc+jwt` credentials, whose subject is not under a `vc` claim; every card on the page must read
 * back as its beneficiary's credential, byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "@/test/context";
import { createIssuedCycle } from "@/test/fixtures";
import { renderCycleCards } from "@/server/delivery/render-cycle-cards";
import { renderPdfPage, scanCardsOnPage } from "./paper-card";

const headerOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()) as { typ?: string };

describe("scanCardsOnPage", () => {
  let t: TestContext;
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  beforeAll(async () => {
    t = await createTestContext("sqlite");
    fx = await createIssuedCycle(t.ctx, 3);
  });
  afterAll(() => t?.close());

  it("reads every VC 2.0 card of the issuer's printed page back to its beneficiary's credential", async () => {
    const { pdf } = await renderCycleCards(t.ctx, fx.cycleId, { part: 1, locale: "en" }, fx.officer.actor);
    const cards = scanCardsOnPage(renderPdfPage(pdf), { issuers: [t.ctx.did] });

    const issued = new Map(fx.entitlements.map((e) => [e.beneficiary.ref, e]));
    expect(cards.map((c) => c.beneficiary).sort()).toEqual([...issued.keys()].sort());
    for (const card of cards) {
      const entitlement = issued.get(card.beneficiary)!;
      expect(card.format).toBe("vc2");
      expect(headerOf(card.jwt).typ).toBe("vc+jwt");
      expect(card.jwt).toBe(entitlement.credential);
      expect(card.revocation.index).toBe(entitlement.statusIndex);
      expect(card.revocation.list).toMatch(/\/status\/\d+\/revocation$/);
    }
  });

  it("leaves out the cards of an issuer the reader does not know", async () => {
    const { pdf } = await renderCycleCards(t.ctx, fx.cycleId, { part: 1, locale: "en" }, fx.officer.actor);
    expect(scanCardsOnPage(renderPdfPage(pdf), { issuers: ["did:web:elsewhere.example"] })).toEqual([]);
  });
});
