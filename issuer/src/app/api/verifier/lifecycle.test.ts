/**
 * Issue 12, lifecycle controls seen from a service point: the real verifier package
 * (@haki/redemption: refresh, check, receipts) fed this issuer's real trust bundle, status lists
 * and bulk-issued paper credentials through its route handlers, after an office revokes a device
 * or distrusts a compromised issuer key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { decodeProof, encodeProof } from "@haki/qr/codec";
import { checkProof, type DecodedProof } from "@haki/redemption/check";
import { entitlementKey, newReceiptId, signReceipt, type Receipt } from "@haki/redemption/receipts";
import { refreshTrustData } from "@haki/redemption/refresh";
import { defaultSettings } from "@haki/redemption/settings";
import { ISSUER_ENDPOINTS, parseSetupCode } from "@haki/redemption/setup";
import { createMemoryStore } from "@haki/redemption/stores";
import { verifyTrustBundle } from "@haki/redemption/trust-bundle";
import { testProviders } from "@haki/db/testing";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { createIssuedCycle } from "@/test/fixtures";
import { createSetupCode, saveServicePoint, setServicePointEnabled } from "@/server/verifier/service-points";
import { readDevices, revokeDevice } from "@/server/verifier/devices";
import { distrustIssuerKey, readIssuerKeys, reissueSignedBy } from "@/server/keys/distrust-key";
import { verifyCredentialApi } from "@/server/vc-api/verify-credential";
import { GET as didDocument } from "@/app/.well-known/did.json/route";
import { POST as enrol } from "./enrol/route";
import { POST as receipts } from "./receipts/route";
import { deviceFetchText } from "@/test/device-fetch";

const ORIGIN = "https://issuer.haki.test";
const SERVICE_POINT = "sp-kibera-market";
type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;


describe.each(testProviders())("lifecycle controls at a service point on %s", (provider) => {
  let t: TestContext;
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  let admin: Awaited<ReturnType<typeof createTestUser>>;
  let programme: string;
  const store = createMemoryStore();
  let device: { deviceId: string; key: HakiKeyPair };

  const refresh = () => refreshTrustData({ store, fetchText: deviceFetchText, trustBundleUrl: ORIGIN + ISSUER_ENDPOINTS.trustBundle, now: () => t.clock.now.getTime() });
  const paperProof = (jwt: string): DecodedProof => decodeProof(encodeProof(jwt, { issuers: [t.ctx.did] }), { issuers: [t.ctx.did] });
  const check = async (proof: DecodedProof) =>
    checkProof(proof, { now: t.clock.now, trust: await store.getTrust(), servicePointId: SERVICE_POINT, statusLists: await store.getStatusLists(), settings: defaultSettings(), seen: store, balances: store });
  const storedCredential = async (i: number) => (await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: fx.entitlements[i]!.id } })).credential!;

  async function enrolNewDevice(): Promise<{ res: Response; key: HakiKeyPair; pin: string }> {
    const setup = parseSetupCode((await createSetupCode(t.ctx, SERVICE_POINT, admin.actor)).setupCode);
    const key = await generateKeyPair({ extractable: false });
    const res = await callRoute(enrol as Route, { method: "POST", body: { code: setup.code, servicePoint: SERVICE_POINT, deviceKey: key.publicJwk } });
    return { res, key, pin: setup.bundleKey };
  }

  beforeAll(async () => {
    t = await createTestContext(provider);
    fx = await createIssuedCycle(t.ctx, 4);
    admin = await createTestUser(t.ctx, ["admin"]);
    programme = (await t.ctx.db.programme.findUniqueOrThrow({ where: { id: fx.programmeId } })).code;
    await saveServicePoint(t.ctx, { id: SERVICE_POINT, name: "Kibera market shop", area: "KE-047", programmes: [programme] }, admin.actor);
    // The cycle runs from 1 March.
    t.clock.now = new Date("2027-03-02T08:00:00Z");
    const { res, key, pin } = await enrolNewDevice();
    const enrolled = (await res.json()) as { deviceId: string; bundle: string };
    await store.putTrust({ jws: enrolled.bundle, bundle: await verifyTrustBundle(enrolled.bundle, { pinnedThumbprint: pin }), fetchedAt: t.clock.now.getTime() });
    device = { deviceId: enrolled.deviceId, key };
    await refresh();
  }, 60_000);
  afterAll(() => t.close());

  function receiptFor(i: number, at: number): Receipt {
    const e = fx.entitlements[i]!;
    const parts = { issuer: t.ctx.did, programme, cycle: "2027-03", beneficiary: e.beneficiary.ref };
    return {
      v: 1,
      id: newReceiptId(),
      ...parts,
      entitlement: entitlementKey(parts),
      credential: `urn:uuid:${e.id}`,
      servicePoint: SERVICE_POINT,
      device: device.deviceId,
      redemption: "single",
      handedOver: { type: "InKind", quantity: 25, unit: "kg", item: "Maize flour" },
      remaining: 0,
      visualCheck: true,
      at,
    };
  }
  const post = async (r: Receipt, key = device.key) => {
    const jws = await signReceipt(r, { privateKey: key.privateKey, deviceId: r.device });
    return (await callRoute(receipts as Route, { method: "POST", body: { receipts: [{ id: r.id, jws }] } })).json();
  };

  it("distrust a compromised issuer key: gone from the next trust bundle and the DID document, a device that refreshes refuses what it signed, the issuer's verify refuses it; re-issue signs them anew", async () => {
    const before = await storedCredential(0);
    expect(await check(paperProof(before))).toMatchObject({ outcome: "green" });
    expect(await verifyCredentialApi(t.ctx, { verifiableCredential: before })).toMatchObject({ verified: true });
    const compromised = (await t.ctx.keys.getSigningKey()).kid;

    await distrustIssuerKey(t.ctx, { kid: compromised, reason: "backup of the key store lost" }, admin.actor);
    expect((await readIssuerKeys(t.ctx)).find((k) => k.kid === compromised)).toMatchObject({ state: "distrusted", reason: "backup of the key store lost" });
    expect((await t.ctx.keys.getSigningKey()).kid).not.toBe(compromised);
    // The next bundle (signed by the key announced before, which the device follows) leaves it out.
    expect(await refresh()).toMatchObject({ trust: "updated" });
    const bundle = (await store.getTrust())!.bundle;
    expect(bundle.issuers[0]!.keys.map((k) => k.id)).not.toContain(compromised);
    expect(bundle.signingKeys.map((k) => k.x)).not.toContain((await t.ctx.db.issuerKey.findUniqueOrThrow({ where: { kid: compromised } })).publicJwk.match(/"x":"([^"]+)"/)![1]);
    const did = (await (await callRoute(didDocument as Route)).json()) as { verificationMethod: { id: string }[] };
    expect(did.verificationMethod.map((m) => m.id)).not.toContain(compromised);
    // The card it signed is red at the counter, and refused by the issuer's own check.
    expect(await check(paperProof(before))).toMatchObject({ outcome: "red" });
    expect(await verifyCredentialApi(t.ctx, { verifiableCredential: before })).toMatchObject({ verified: false, errors: [{ code: "ERR_KEY_DISTRUSTED" }] });

    // Re-issue: the stored credentials are signed again with the active key; reprinted, they are green.
    await expect(reissueSignedBy(t.ctx, { kid: (await t.ctx.keys.getSigningKey()).kid }, admin.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    expect(await reissueSignedBy(t.ctx, { kid: compromised }, admin.actor, { pageSize: 3 })).toEqual({ resigned: 4, onPhones: 0, cycles: [fx.cycleId] });
    expect(await reissueSignedBy(t.ctx, { kid: compromised }, admin.actor)).toMatchObject({ resigned: 0 });
    const after = await storedCredential(0);
    expect(after).not.toBe(before);
    expect(await check(paperProof(after))).toMatchObject({ outcome: "green" });
    expect(await verifyCredentialApi(t.ctx, { verifiableCredential: after })).toMatchObject({ verified: true });
    expect(await t.ctx.db.auditEvent.count({ where: { action: { in: ["key.distrust", "key.reissue"] }, subject: compromised } })).toBe(3);
  });

  it("revoke a verifier device: its receipts and its enrolment are refused with a code from then on, and it shows as revoked with its last contact", async () => {
    const first = receiptFor(1, Math.floor(t.clock.now.getTime() / 1000));
    expect(await post(first)).toMatchObject({ accepted: [first.id] });
    const seenAt = t.clock.now;
    t.clock.advance(3_600_000);
    const officer = await createTestUser(t.ctx, ["officer"]);
    await revokeDevice(t.ctx, { deviceId: device.deviceId, reason: "phone stolen at the market" }, officer.actor);
    expect((await readDevices(t.ctx)).find((d) => d.id === device.deviceId)).toMatchObject({ revokedAt: t.clock.now, revokeReason: "phone stolen at the market", lastSeenAt: seenAt });
    // A thief's receipt (signed with the stolen key) is refused, finally.
    const forged = receiptFor(2, Math.floor(seenAt.getTime() / 1000) - 60);
    expect(await post(forged)).toEqual({ accepted: [], duplicate: [], rejected: [{ id: forged.id, code: "ERR_RECEIPT_DEVICE_REVOKED" }] });
    expect(await t.ctx.db.receipt.count({ where: { id: forged.id } })).toBe(0);
    const refusal = await t.ctx.db.auditEvent.findFirstOrThrow({ where: { action: "receipt.refused" }, orderBy: { seq: "desc" } });
    expect(JSON.parse(refusal.details)).toEqual({ receipts: [{ id: forged.id, code: "ERR_RECEIPT_DEVICE_REVOKED", device: device.deviceId, servicePoint: SERVICE_POINT }] });
    // The same key cannot come back with a new set-up code.
    const setup = parseSetupCode((await createSetupCode(t.ctx, SERVICE_POINT, admin.actor)).setupCode);
    const again = await callRoute(enrol as Route, { method: "POST", body: { code: setup.code, servicePoint: SERVICE_POINT, deviceKey: device.key.publicJwk } });
    expect(again.status).toBe(403);
    expect(await errorCode(again)).toBe("ERR_DEVICE_REVOKED");
    // ...and the code was not used up: a new device enrols with it.
    const other = await generateKeyPair({ extractable: false });
    expect((await callRoute(enrol as Route, { method: "POST", body: { code: setup.code, servicePoint: SERVICE_POINT, deviceKey: other.publicJwk } })).status).toBe(200);
    expect(await t.ctx.db.auditEvent.count({ where: { action: { in: ["device.revoke", "device.enrol_refused"] }, subject: device.deviceId } })).toBe(2);
  });

  it("disable a service point: left out of the next trust bundle (its devices answer not enrolled), no set-up code or enrolment, its receipts refused; switched on again it is back", async () => {
    const officer = await createTestUser(t.ctx, ["officer"]);
    const { res, key } = await enrolNewDevice();
    const counter = { deviceId: ((await res.json()) as { deviceId: string }).deviceId, key };
    const setup = parseSetupCode((await createSetupCode(t.ctx, SERVICE_POINT, admin.actor)).setupCode);
    await expect(setServicePointEnabled(t.ctx, { id: SERVICE_POINT, enabled: false }, officer.actor)).rejects.toMatchObject({ code: "ERR_BAD_REQUEST" });
    await setServicePointEnabled(t.ctx, { id: SERVICE_POINT, enabled: false, reason: "agent contract ended" }, officer.actor);
    await refresh();
    expect((await store.getTrust())!.bundle.servicePoints.map((p) => p.id)).not.toContain(SERVICE_POINT);
    expect(await check(paperProof(await storedCredential(3)))).toMatchObject({ outcome: "red", code: "ERR_NOT_ENROLLED" });
    await expect(createSetupCode(t.ctx, SERVICE_POINT, admin.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    const other = await generateKeyPair({ extractable: false });
    const refusedEnrol = await callRoute(enrol as Route, { method: "POST", body: { code: setup.code, servicePoint: SERVICE_POINT, deviceKey: other.publicJwk } });
    expect(await errorCode(refusedEnrol)).toBe("ERR_INVALID_STATE");
    const r = { ...receiptFor(3, Math.floor(t.clock.now.getTime() / 1000)), device: counter.deviceId };
    expect(await post(r, counter.key)).toEqual({ accepted: [], duplicate: [], rejected: [{ id: r.id, code: "ERR_RECEIPT_SERVICE_POINT_DISABLED" }] });
    await setServicePointEnabled(t.ctx, { id: SERVICE_POINT, enabled: true }, officer.actor);
    await refresh();
    expect(await check(paperProof(await storedCredential(3)))).toMatchObject({ outcome: "green" });
    expect(await post({ ...r, id: newReceiptId() }, counter.key)).toMatchObject({ accepted: [expect.any(String)] });
    expect(await t.ctx.db.auditEvent.count({ where: { action: { in: ["service_point.disable", "service_point.enable"] }, subject: SERVICE_POINT } })).toBe(2);
  });
});
