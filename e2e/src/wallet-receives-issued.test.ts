/**
 * Issue 17, the wallet part: the wallet receives, stores and shows the three credential formats the
 * issuer really issues (VC 1.1 JWT for a cycle from before, VC 2.0 `vc+jwt` for a new cycle, SD-JWT
 * VC when the officer offers it), and tells the issuer through its OpenID4VCI notification endpoint
 * that a card was accepted, or later deleted. The issuer is its own route handlers on a local port
 * (issuer/src/test/route-server.ts) over a test database with an issued cycle; the wallet is its
 * own receiving code over fake-indexeddb, using the global fetch as on a phone.
 */
import "fake-indexeddb/auto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeBenefit } from "@haki/i18n/benefit";
import { MIN_PBKDF2_ITERATIONS } from "@haki/secure-store/crypto";
import { createTestContext, type TestContext } from "@/test/context";
import { createIssuedCycle } from "@/test/fixtures";
import { startRouteServer, type RouteServer } from "@/test/route-server";
import { createOffer } from "@/server/delivery/create-offer";
import { openWalletDb } from "../../wallet/src/storage/db";
import { createProfile } from "../../wallet/src/storage/profiles";
import { getRecord, listRecords } from "../../wallet/src/storage/records";
import { createHolderKey } from "../../wallet/src/wallet/holder-key";
import { cardState, decodeEntitlement } from "../../wallet/src/wallet/cards";
import { deleteCard, readOffer, receiveAndStore, sendPendingNotifications, trustForIssuer, verifyReceivedCredential } from "../../wallet/src/wallet/receive";
import { HistoryEvent, StoredCredential } from "../../wallet/src/wallet/schemas";

type Fixture = Awaited<ReturnType<typeof createIssuedCycle>>;
const DAY = 86_400_000;
const CASES = [
  { format: "vc1", offered: "jwt_vc_json", typ: "JWT" },
  { format: "vc2", offered: "jwt_vc_json", typ: "vc+jwt" },
  { format: "dc+sd-jwt", offered: "dc+sd-jwt", typ: "dc+sd-jwt" },
] as const;

const headerOf = (credential: string) => JSON.parse(Buffer.from(credential.split(".")[0]!, "base64url").toString()) as { typ?: string };

describe("the wallet receives what the issuer issues, in each format, and notifies it", () => {
  let server: RouteServer;
  let t: TestContext;
  let vc1: Fixture;
  let vc2: Fixture;
  const used = new Set<string>();
  let wallets = 0;

  beforeAll(async () => {
    server = await startRouteServer();
    t = await createTestContext("sqlite", { env: { HAKI_PUBLIC_URL: server.origin } });
    t.clock.now = new Date();
    [vc1, vc2] = [await createIssuedCycle(t.ctx, 4), await createIssuedCycle(t.ctx, 6)];
    for (const f of [vc1, vc2]) {
      await t.ctx.db.cycle.update({ where: { id: f.cycleId }, data: { validFrom: new Date(Date.now() - DAY), validUntil: new Date(Date.now() + 30 * DAY) } });
    }
    // A cycle from before VC 2.0 became the default keeps signing VC 1.1 (migration 0009_standards_2026 set it so).
    await t.ctx.db.cycle.update({ where: { id: vc1.cycleId }, data: { credentialFormat: "vc1" } });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  /** A phone: a fresh profile with its holder key. */
  async function phone() {
    const db = await openWalletDb(`wallet-issued-${++wallets}`);
    const session = await createProfile(db, { label: "Amina", pin: "482913" }, { iterations: MIN_PBKDF2_ITERATIONS });
    const key = await createHolderKey(db, session);
    return { db, session, did: key.did };
  }

  /** The officer's "Send to phone" for the next unused entitlement of the format's cycle, with a PIN. */
  async function offer(format: (typeof CASES)[number]["format"]) {
    const f = format === "vc1" ? vc1 : vc2;
    const e = f.entitlements.find((x) => !used.has(x.id))!;
    used.add(e.id);
    const made = await createOffer(t.ctx, { entitlementId: e.id, withPin: true, format: format === "dc+sd-jwt" ? "dc+sd-jwt" : "jwt_vc_json" }, f.officer.actor);
    return { entitlement: e, offerUri: made.offerUri, txCode: made.txCode! };
  }

  const offerRow = (entitlementId: string) => t.ctx.db.offer.findUniqueOrThrow({ where: { id: entitlementId } });

  it.each(CASES)("stores and shows a $format card, bound to its key, and the console learns it was accepted, then deleted", async ({ format, typ }) => {
    const p = await phone();
    const { entitlement, offerUri, txCode } = await offer(format);
    const { offer: read, summary } = await readOffer(offerUri);
    expect(summary.txCode?.length).toBe(txCode.length);
    const id = await receiveAndStore(p.db, p.session, read, { txCode });

    const stored = (await getRecord(p.db, p.session, "credential", id, StoredCredential))!;
    expect(headerOf(stored.jwt).typ).toBe(typ);
    expect(stored.jwt.includes("~")).toBe(format === "dc+sd-jwt");
    // What the card list shows, decoded from what was stored.
    const card = decodeEntitlement(stored.jwt)!;
    expect(card.format).toBe(format);
    expect(card.vc.credentialSubject).toMatchObject({ beneficiary: entitlement.beneficiary.ref, programme: { name: "Food basket" }, cycle: "2027-03", area: "KE-047" });
    expect(describeBenefit(card.vc.credentialSubject.benefit, "en")).toBe("25 kg Maize flour");
    expect(cardState(card, stored.status, new Date())).toBe("active");
    expect(new Date(card.exp * 1000).getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
    // The issuer bound the delivery to this phone's key and was told the card was kept.
    expect((await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).holderDid).toBe(p.did);
    expect(await offerRow(entitlement.id)).toMatchObject({ walletEvent: "credential_accepted" });
    expect(stored.notification?.sent).toBe("credential_accepted");

    expect(await deleteCard(p.db, p.session, id)).toEqual({ issuerTold: true });
    expect(await offerRow(entitlement.id)).toMatchObject({ walletEvent: "credential_deleted" });
    expect((await listRecords(p.db, p.session, "credential", StoredCredential)).items).toEqual([]);
    const history = (await listRecords(p.db, p.session, "history", HistoryEvent)).items.map((h) => [h.value.event, h.value.label]);
    expect(history.sort()).toEqual([["deleted", "Food basket"], ["received", "Food basket"]]);
  });

  it.each(CASES)("keeps a $format card received while the notification endpoint was unreachable, and tells the issuer later", async ({ format }) => {
    const p = await phone();
    const { entitlement, offerUri, txCode } = await offer(format);
    const { offer: read } = await readOffer(offerUri);
    // The network drops right after the credential arrived.
    const dropsNotifications: typeof fetch = async (input, init) => {
      if (new Request(input as RequestInfo).url.endsWith("/api/oid4vci/notification")) throw new TypeError("fetch failed");
      return fetch(input, init);
    };
    const id = await receiveAndStore(p.db, p.session, read, { txCode, fetch: dropsNotifications });
    const stored = (await getRecord(p.db, p.session, "credential", id, StoredCredential))!;
    expect(stored.notification).toMatchObject({ notificationId: expect.any(String) });
    expect(stored.notification?.sent).toBeUndefined();
    expect((await offerRow(entitlement.id)).walletEvent).toBeNull();

    expect(await sendPendingNotifications(p.db, p.session, dropsNotifications)).toBe(0);
    expect(await sendPendingNotifications(p.db, p.session)).toBe(1);
    expect(await offerRow(entitlement.id)).toMatchObject({ walletEvent: "credential_accepted" });
    expect(await sendPendingNotifications(p.db, p.session)).toBe(0); // sent once
  });

  it("refuses what the issuer issued once it is altered: an edited SD-JWT disclosure, a flipped vc+jwt signature", async () => {
    const p = await phone();
    const cards: string[] = [];
    for (const format of ["dc+sd-jwt", "vc2"] as const) {
      const { offerUri, txCode } = await offer(format);
      const { offer: read } = await readOffer(offerUri);
      const id = await receiveAndStore(p.db, p.session, read, { txCode });
      cards.push((await getRecord(p.db, p.session, "credential", id, StoredCredential))!.jwt);
    }
    const [sdJwt, vcJwt] = cards as [string, string];
    const trust = await trustForIssuer(decodeEntitlement(sdJwt)!.iss, server.origin, fetch);
    expect(await verifyReceivedCredential(sdJwt, trust, new Date())).toMatchObject({ valid: true });
    expect(await verifyReceivedCredential(vcJwt, trust, new Date())).toMatchObject({ valid: true, holder: p.did });

    const [jwt, ...disclosures] = sdJwt.split("~");
    const edited = disclosures.map((d) => {
      if (!d) return d;
      const [salt, name] = JSON.parse(Buffer.from(d, "base64url").toString()) as [string, string, unknown];
      return name === "cycle" ? Buffer.from(JSON.stringify([salt, name, "2099-01"])).toString("base64url") : d;
    });
    expect(edited).not.toEqual(disclosures);
    expect(await verifyReceivedCredential([jwt, ...edited].join("~"), trust, new Date())).toMatchObject({ valid: false, code: "ERR_DISCLOSURE_INVALID" });
    const [h, pl, sig] = vcJwt.split(".");
    const flipped = `${h}.${pl}.${sig![0] === "A" ? "B" : "A"}${sig!.slice(1)}`;
    expect(await verifyReceivedCredential(flipped, trust, new Date())).toMatchObject({ valid: false, code: "ERR_SIGNATURE_INVALID" });
  });
});
