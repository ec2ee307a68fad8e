/**
 * Issue 12, "paper and phone": at most one bearer form of an entitlement is valid unless its
 * programme keeps both. With real artefacts only: paper cards the issuer rendered (its PDF, read
 * back by a camera's QR decoder), phone credentials delivered through the OpenID4VCI route handlers
 * (single, batch under four holder keys, SD-JWT VC), and the real verifier package
 * (@haki/redemption) checking them against the status lists and trust bundle the issuer publishes.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SignJWT, exportJWK } from "jose";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { signPresentation } from "@haki/credentials/presentation";
import { verifySdJwtVc } from "@haki/credentials/sd-jwt";
import { trustListOf } from "@haki/credentials/trust";
import { createTokenStatusLookup, verifyStatusListToken } from "@haki/status-list/token";
import { decodeProof, encodeProof } from "@haki/qr/codec";
import { checkProof, type Decision, type DecodedProof } from "@haki/redemption/check";
import { refreshTrustData } from "@haki/redemption/refresh";
import { defaultSettings } from "@haki/redemption/settings";
import { ISSUER_ENDPOINTS, parseSetupCode } from "@haki/redemption/setup";
import { createMemoryStore } from "@haki/redemption/stores";
import { verifyTrustBundle } from "@haki/redemption/trust-bundle";
import { testProviders } from "@haki/db/testing";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { createIssuedCycle } from "@/test/fixtures";
import { scanPrintedCards } from "@/test/paper-cards";
import { renderCycleCards, reprintCard } from "@/server/delivery/render-cycle-cards";
import { replacePhone } from "@/server/delivery/replace-phone";
import { supersedeCredential } from "@/server/delivery/supersede-credential";
import { createSetupCode, saveServicePoint } from "@/server/verifier/service-points";
import { GET as statusRoute } from "@/app/status/[list]/[purpose]/route";
import { GET as cardRoute } from "@/app/api/entitlements/[id]/card/route";
import { PUT as bearerFormsRoute } from "@/app/api/programmes/[id]/bearer-forms/route";
import { POST as enrol } from "@/app/api/verifier/enrol/route";
import { offerAndToken } from "@/test/oid4vci-offer";
import { POST as nonce } from "./nonce/route";
import { POST as credential } from "./credential/route";
import { deviceFetchText } from "@/test/device-fetch";

const ORIGIN = "https://issuer.haki.test";
const SERVICE_POINT = "sp-bearer-forms";
const NOW = Date.parse("2027-03-05T10:00:00Z");

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;


describe.each(testProviders())("issue 12: paper and phone on %s", (provider) => {
  let t: TestContext;
  let one: Awaited<ReturnType<typeof createIssuedCycle>>;
  let both: Awaited<ReturnType<typeof createIssuedCycle>>;
  const store = createMemoryStore();
  /** The paper cards as printed by the issuer, by entitlement id (QR text). */
  const paper = new Map<string, string>();

  const refresh = () => refreshTrustData({ store, fetchText: deviceFetchText, trustBundleUrl: ORIGIN + ISSUER_ENDPOINTS.trustBundle, now: () => Date.now() });
  async function check(proof: DecodedProof): Promise<Decision> {
    return checkProof(proof, {
      now: new Date(Date.now()),
      trust: await store.getTrust(),
      servicePointId: SERVICE_POINT,
      statusLists: await store.getStatusLists(),
      settings: defaultSettings(),
      seen: store,
      balances: store,
    });
  }
  const paperProof = (entitlementId: string) => decodeProof(paper.get(entitlementId)!, { issuers: [t.ctx.did] });
  const phoneProof = async (vc: string, holder: HakiKeyPair) =>
    decodeProof(encodeProof(await signPresentation(vc, holder, { now: new Date(Date.now()) }), { issuers: [t.ctx.did] }), { issuers: [t.ctx.did] });
  const verdict = (d: Decision) => (d.outcome === "green" ? "green" : d.code);

  /** Prints a cycle's cards (the issuer's PDF) and reads each card's QR back, keyed by whose card it is. */
  async function printCycle(cycleId: string) {
    const { pdf } = await renderCycleCards(t.ctx, cycleId, { part: 1, locale: "en" }, one.officer.actor);
    const stored = await t.ctx.db.entitlement.findMany({ where: { cycleId } });
    for (const text of scanPrintedCards(pdf)) {
      const decoded = decodeProof(text, { issuers: [t.ctx.did] });
      const owner = stored.find((e) => decoded.kind === "credential" && decoded.jwt === e.credential);
      if (owner) paper.set(owner.id, text);
    }
  }

  /** A wallet collecting an offer through the route handlers: one credential per holder key. */
  async function deliver(entitlementId: string, holders: HakiKeyPair[], format: "jwt_vc_json" | "dc+sd-jwt" = "jwt_vc_json"): Promise<string[]> {
    const { offer, granted } = await offerAndToken(one.officer.headers, entitlementId, format);
    const { access_token } = (await granted!.json()) as { access_token: string };
    const { c_nonce } = (await (await callRoute(nonce, { method: "POST" })).json()) as { c_nonce: string };
    const proofs = await Promise.all(
      holders.map(async (h) =>
        new SignJWT({ nonce: c_nonce })
          .setProtectedHeader(format === "dc+sd-jwt" ? { alg: "EdDSA", typ: "openid4vci-proof+jwt", jwk: await exportJWK(h.publicKey) } : { alg: "EdDSA", typ: "openid4vci-proof+jwt", kid: h.kid })
          .setAudience(ORIGIN)
          .setIssuedAt(Math.floor(Date.now() / 1000))
          .sign(h.privateKey),
      ),
    );
    const res = await callRoute(credential, { method: "POST", headers: { authorization: `Bearer ${access_token}` }, body: { credential_configuration_id: offer!.credential_configuration_ids[0], proofs: { jwt: proofs } } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { credentials: { credential: string }[] }).credentials.map((c) => c.credential);
  }
  const entitlement = (id: string) => t.ctx.db.entitlement.findUniqueOrThrow({ where: { id } });

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    t = await createTestContext(provider, { env: { HAKI_OID4VCI_RATE_LIMIT: "100000" } });
    t.clock.now = new Date(NOW);
    one = await createIssuedCycle(t.ctx, 5);
    both = await createIssuedCycle(t.ctx, 2);
    // The second programme keeps both forms: chosen through the API, audited.
    const put = await callRoute(bearerFormsRoute as Route, { method: "PUT", params: { id: both.programmeId }, headers: both.officer.headers, body: { bearerForms: "both" } });
    expect([put.status, await put.json()]).toEqual([200, { bearerForms: "both" }]);
    const admin = await createTestUser(t.ctx, ["admin"]);
    const codes = await t.ctx.db.programme.findMany({ where: { id: { in: [one.programmeId, both.programmeId] } }, select: { code: true } });
    await saveServicePoint(t.ctx, { id: SERVICE_POINT, name: "Market shop", area: "KE-047", programmes: codes.map((c) => c.code) }, admin.actor);
    const setup = parseSetupCode((await createSetupCode(t.ctx, SERVICE_POINT, admin.actor)).setupCode);
    const key = await generateKeyPair({ extractable: false });
    const res = await callRoute(enrol as Route, { method: "POST", body: { code: setup.code, servicePoint: SERVICE_POINT, deviceKey: key.publicJwk } });
    const enrolled = (await res.json()) as { bundle: string };
    await store.putTrust({ jws: enrolled.bundle, bundle: await verifyTrustBundle(enrolled.bundle, { pinnedThumbprint: setup.bundleKey }), fetchedAt: Date.now() });
    await printCycle(one.cycleId);
    await printCycle(both.cycleId);
    expect(paper.size).toBe(one.entitlements.length + both.entitlements.length);
    expect((await refresh()).lists.every((l) => l.ok)).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    vi.useRealTimers();
  });

  it("issue 12 paper and phone: a printed paper card is refused at the next list refresh once the entitlement went to a phone (one form), the phone is green", async () => {
    const e = one.entitlements[0]!;
    expect(verdict(await check(paperProof(e.id)))).toBe("green");
    const holder = await generateKeyPair({ extractable: false });
    const [vc] = await deliver(e.id, [holder]);
    // Offline, the device cannot know yet: its held lists still say the paper card is good.
    expect(verdict(await check(paperProof(e.id)))).toBe("green");
    await refresh();
    expect(verdict(await check(paperProof(e.id)))).toBe("ERR_CREDENTIAL_REVOKED");
    expect(verdict(await check(await phoneProof(vc!, holder)))).toBe("green");
    const after = await entitlement(e.id);
    expect(after).toMatchObject({ bearerForm: "phone", holderDid: holder.did });
    const event = await t.ctx.db.auditEvent.findFirstOrThrow({ where: { action: "credential.deliver", subject: e.id } });
    expect(JSON.parse(event.details)).toMatchObject({ superseded: { from: { index: e.statusIndex }, to: { index: after.statusIndex } } });
  });

  it("issue 12 paper and phone: a batch under four holder keys is one form (all green at one new position), the paper refused; an SD-JWT VC likewise", async () => {
    const [e, s] = [one.entitlements[1]!, one.entitlements[2]!];
    const holders = await Promise.all([1, 2, 3, 4].map(() => generateKeyPair({ extractable: false })));
    const vcs = await deliver(e.id, holders);
    expect(vcs).toHaveLength(4);
    const sdHolder = await generateKeyPair({ extractable: false });
    const [sdJwt] = await deliver(s.id, [sdHolder], "dc+sd-jwt");
    await refresh();
    for (const [i, vc] of vcs.entries()) expect(verdict(await check(await phoneProof(vc, holders[i]!)))).toBe("green");
    expect(verdict(await check(paperProof(e.id)))).toBe("ERR_CREDENTIAL_REVOKED");
    expect(verdict(await check(paperProof(s.id)))).toBe("ERR_CREDENTIAL_REVOKED");
    // The SD-JWT VC's Token Status List entry is the new position, valid.
    const moved = await entitlement(s.id);
    expect(moved.statusIndex).not.toBe(s.statusIndex);
    const [pub] = await t.ctx.keys.listPublicKeys();
    const res = await callRoute(statusRoute, { params: { list: String(moved.statusList), purpose: "token" } });
    const list = await verifyStatusListToken(await res.text(), pub!.publicJwk, { uri: `${ORIGIN}/status/${moved.statusList}/token`, now: new Date(Date.now()) });
    const trust = trustListOf({ did: t.ctx.did, name: "Test", keys: [{ id: pub!.kid, publicKeyJwk: pub!.publicJwk }] });
    const status = createTokenStatusLookup([{ ...list, fetchedAt: new Date(Date.now()) }], { now: () => new Date(Date.now()) });
    expect(await verifySdJwtVc(sdJwt!, trust, { now: new Date(Date.now()), status, requireStatus: true, requireKeyBinding: false })).toMatchObject({ valid: true, status: "ok" });
  });

  it("issue 12 paper and phone: under the programme's 'both' the paper card stays valid beside the phone", async () => {
    const e = both.entitlements[0]!;
    const holder = await generateKeyPair({ extractable: false });
    const [vc] = await deliver(e.id, [holder]);
    await refresh();
    expect(verdict(await check(paperProof(e.id)))).toBe("green");
    expect(verdict(await check(await phoneProof(vc!, holder)))).toBe("green");
    expect(await entitlement(e.id)).toMatchObject({ bearerForm: "paper", holderDid: holder.did, statusIndex: e.statusIndex });
    const audit = await t.ctx.db.auditEvent.findFirstOrThrow({ where: { action: "programme.bearer_forms", subject: both.programmeId } });
    expect(JSON.parse(audit.details)).toEqual({ from: "one", to: "both" });
  });

  it("issue 12 paper and phone: a lost-phone replacement supersedes the old holder (old phone refused, new phone green, the form stays phone)", async () => {
    const e = one.entitlements[3]!;
    const oldPhone = await generateKeyPair({ extractable: false });
    const [oldVc] = await deliver(e.id, [oldPhone]);
    await refresh();
    expect(verdict(await check(await phoneProof(oldVc!, oldPhone)))).toBe("green");
    await replacePhone(t.ctx, { entitlementId: e.id, reason: "Phone stolen at the market" }, one.officer.actor);
    // The replacement signs a paper credential at the new position (printable only after an
    // officer's "paper instead"): the new phone's collection leaves it dead too.
    const interim = await entitlement(e.id);
    expect(interim).toMatchObject({ bearerForm: "phone", holderDid: null });
    const newPhone = await generateKeyPair({ extractable: false });
    const [newVc] = await deliver(e.id, [newPhone]);
    await refresh();
    expect(verdict(await check(await phoneProof(oldVc!, oldPhone)))).toBe("ERR_CREDENTIAL_REVOKED");
    expect(verdict(await check(await phoneProof(newVc!, newPhone)))).toBe("green");
    expect(verdict(await check(paperProof(e.id)))).toBe("ERR_CREDENTIAL_REVOKED");
    expect(verdict(await check(decodeProof(encodeProof(interim.credential!, { issuers: [t.ctx.did] }), { issuers: [t.ctx.did] })))).toBe("ERR_CREDENTIAL_REVOKED");
    expect(await entitlement(e.id)).toMatchObject({ bearerForm: "phone", holderDid: newPhone.did });
  });

  it("issue 12 paper and phone: paper for a phone-held entitlement is refused (ERR_PHONE_FORM_ACTIVE) until an officer confirms paper instead; then the phone is refused and the new card green", async () => {
    const e = one.entitlements[0]!; // on a phone since the first test
    await expect(reprintCard(t.ctx, { entitlementId: e.id, locale: "en" }, one.officer.actor)).rejects.toMatchObject({ code: "ERR_PHONE_FORM_ACTIVE" });
    const res = await callRoute(cardRoute, { params: { id: e.id }, path: `/api/entitlements/${e.id}/card?locale=en`, headers: one.officer.headers });
    expect([res.status, await errorCode(res)]).toEqual([409, "ERR_PHONE_FORM_ACTIVE"]);
    // The bulk run leaves out the four entitlements phones hold.
    const { cards } = await renderCycleCards(t.ctx, one.cycleId, { part: 1, locale: "en" }, one.officer.actor);
    expect(cards).toBe(1);

    const phone = await generateKeyPair({ extractable: false });
    const [vc] = await deliver(one.entitlements[4]!.id, [phone]);
    await supersedeCredential(t.ctx, { entitlementId: one.entitlements[4]!.id, form: "paper", reason: "Prefers a paper card" }, one.officer.actor);
    const [text] = scanPrintedCards(await reprintCard(t.ctx, { entitlementId: one.entitlements[4]!.id, locale: "en" }, one.officer.actor));
    await refresh();
    expect(verdict(await check(await phoneProof(vc!, phone)))).toBe("ERR_CREDENTIAL_REVOKED");
    expect(verdict(await check(decodeProof(text!, { issuers: [t.ctx.did] })))).toBe("green");
    expect(await entitlement(one.entitlements[4]!.id)).toMatchObject({ bearerForm: "paper", holderDid: null });
    const replaced = await t.ctx.db.auditEvent.findFirstOrThrow({ where: { action: "entitlement.replace", subject: one.entitlements[4]!.id } });
    expect(JSON.parse(replaced.details)).toMatchObject({ form: "paper", reason: "Prefers a paper card" });
  });
});
