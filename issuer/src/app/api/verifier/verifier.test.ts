import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKeyPair } from "@haki/credentials/keys";
import { parseSetupCode } from "@haki/redemption/setup";
import { verifyTrustBundle } from "@haki/redemption/trust-bundle";
import { entitlementKey, newReceiptId, signReceipt, type Receipt } from "@haki/redemption/receipts";
import { testProviders } from "@haki/db/testing";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { createIssuedCycle } from "@/test/fixtures";
import { POST as enrol } from "./enrol/route";
import { GET as trustBundle } from "./trust-bundle/route";
import { POST as receipts } from "./receipts/route";
import { POST as saveServicePoint } from "@/app/api/service-points/route";
import { POST as setupCode } from "@/app/api/service-points/[id]/setup-code/route";
import { redemptionStats } from "@/server/verifier/redemption-stats";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { readThrough, READ_CACHE_INLINE_MS } from "@/server/lib/read-cache";
import { cycleTallyKey, tallyVersion } from "@/server/cycles/cycle-tally";
import { readCycle } from "@/server/cycles/read-cycle";

describe.each(testProviders())("verifier enrolment, trust bundle and receipts on %s", (provider) => {
  let t: TestContext;
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  let admin: Awaited<ReturnType<typeof createTestUser>>;
  const devices: { id: string; privateKey: CryptoKey }[] = [];

  beforeAll(async () => {
    t = await createTestContext(provider);
    fx = await createIssuedCycle(t.ctx, 3);
    admin = await createTestUser(t.ctx, ["admin"]);
  }, 60_000);
  afterAll(() => t.close());

  async function newSetupCode(sp = "sp-kisumu-12") {
    const res = await callRoute(setupCode, { method: "POST", params: { id: sp }, headers: { ...admin.headers, "content-type": "application/json" } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { setupCode: string }).setupCode;
  }
  async function enrolDevice(code: string, sp = "sp-kisumu-12") {
    const key = await generateKeyPair({ extractable: false });
    const res = await callRoute(enrol, { method: "POST", body: { code, servicePoint: sp, deviceKey: key.publicJwk, deviceLabel: "Counter 1" } });
    return { res, key };
  }

  it("creates a service point and a set-up code pinning the bundle key", async () => {
    const bad = await callRoute(saveServicePoint, { method: "POST", headers: admin.headers, body: { id: "sp kisumu", name: "" } });
    expect(bad.status).toBe(400);
    expect(await t.ctx.db.servicePoint.count()).toBe(0);
    const ok = await callRoute(saveServicePoint, {
      method: "POST",
      headers: admin.headers,
      body: { id: "sp-kisumu-12", name: "Kisumu market agent", area: "KE-042", programmes: [(await t.ctx.db.programme.findFirstOrThrow()).code] },
    });
    expect(ok.status).toBe(201);
    const payload = parseSetupCode(await newSetupCode());
    expect(payload).toMatchObject({ issuer: "https://issuer.haki.test", servicePoint: "sp-kisumu-12" });
    expect(payload.bundleKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await callRoute(setupCode, { method: "POST", params: { id: "nope" }, headers: admin.headers })).status).toBe(404);
    expect((await callRoute(setupCode, { method: "POST", params: { id: "sp-kisumu-12" } })).status).toBe(401);
  });

  it("enrols a device once per code and hands it a bundle it can verify against the pin", async () => {
    const code = await newSetupCode();
    const { bundleKey, code: raw } = parseSetupCode(code);
    const { res, key } = await enrolDevice(raw);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await res.json()) as { deviceId: string; servicePoint: string; bundle: string };
    const bundle = await verifyTrustBundle(body.bundle, { pinnedThumbprint: bundleKey });
    expect(bundle.issuers[0]).toMatchObject({ did: t.ctx.did });
    expect(bundle.servicePoints).toEqual([expect.objectContaining({ id: "sp-kisumu-12", area: "KE-042" })]);
    expect(bundle.statusLists).toEqual(["https://issuer.haki.test/status/1/revocation", "https://issuer.haki.test/status/1/suspension"]);
    devices.push({ id: body.deviceId, privateKey: key.privateKey });

    const reused = await enrolDevice(raw);
    expect(reused.res.status).toBe(403);
    expect(await errorCode(reused.res)).toBe("ERR_FORBIDDEN");
    const expired = parseSetupCode(await newSetupCode()).code;
    t.clock.advance(31 * 60_000);
    expect((await enrolDevice(expired)).res.status).toBe(403);
    const bad = await callRoute(enrol, { method: "POST", body: { code: "x", servicePoint: "sp-kisumu-12" } });
    expect(bad.status).toBe(400);
    expect(await t.ctx.db.device.count()).toBe(1);
  });

  it("refuses a malformed enrolment with the field named, before it uses up the set-up code", async () => {
    const raw = parseSetupCode(await newSetupCode()).code;
    const devicesBefore = await t.ctx.db.device.count();
    for (const deviceKey of [{ kty: "EC", crv: "P-256", x: "abc", y: "def" }, { kty: "OKP", crv: "Ed25519" }, "not a key"]) {
      const res = await callRoute(enrol, { method: "POST", body: { code: raw, servicePoint: "sp-kisumu-12", deviceKey } });
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; details: { path: string }[] } };
      expect(error.code).toBe("ERR_BAD_REQUEST");
      expect(error.details.map((d) => d.path).join(" ")).toMatch(/^deviceKey/);
    }
    expect(await t.ctx.db.device.count()).toBe(devicesBefore);
    // The code was not spent on the bad requests: a good one enrols with it.
    expect((await enrolDevice(raw)).res.status).toBe(200);
  });

  it("trust bundle GET signed once per change: the same bundle and counter until the content changes (ETag, 304 on If-None-Match), then a higher seq still chained to the previous one", async () => {
    const get = (headers: Record<string, string> = {}) => callRoute(trustBundle, { headers });
    const firstRes = await get();
    const etag = firstRes.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(firstRes.headers.get("cache-control")).toBe("no-cache");
    const first = ((await firstRes.json()) as { bundle: string }).bundle;
    const counter = () => t.ctx.db.counter.findUniqueOrThrow({ where: { name: "trust-bundle" } }).then((c) => c.value);
    const before = await counter();
    // Many fetches (from several instances at once): one signature, no counter bump.
    const again = await Promise.all(Array.from({ length: 5 }, () => get().then((r) => r.json() as Promise<{ bundle: string }>)));
    expect(new Set(again.map((a) => a.bundle))).toEqual(new Set([first]));
    expect(await counter()).toBe(before);
    const notModified = await get({ "if-none-match": etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
    expect(await notModified.text()).toBe("");
    // A change (a service point renamed) signs a new bundle with the next seq.
    const b1 = await verifyTrustBundle(first, { pinnedThumbprint: parseSetupCode(await newSetupCode()).bundleKey });
    const res = await callRoute(saveServicePoint, { method: "POST", headers: admin.headers, body: { id: "sp-kisumu-12", name: "Kisumu market agent (north)", area: "KE-042", programmes: b1.servicePoints[0]!.programmes } });
    expect(res.status).toBe(201);
    const changed = await get({ "if-none-match": etag });
    expect(changed.status).toBe(200);
    const b2 = await verifyTrustBundle(((await changed.json()) as { bundle: string }).bundle, { previous: b1 });
    expect(b2.seq).toBe(b1.seq + 1);
    expect(await counter()).toBe(before + 1);
    // The older bundle replayed to a device that holds the newer one is refused.
    await expect(verifyTrustBundle(first, { previous: b2 })).rejects.toMatchObject({ code: "ERR_TRUST_BUNDLE_ROLLBACK" });
  });

  it("follows a key rotation without enrolling again: each bundle names the next key, which signs the bundles after the rotation", async () => {
    const fetchBundle = async () => ((await (await callRoute(trustBundle)).json()) as { bundle: string }).bundle;
    const before = await verifyTrustBundle(await fetchBundle(), { pinnedThumbprint: parseSetupCode(await newSetupCode()).bundleKey });
    const [current, announced] = before.signingKeys;
    expect(announced?.x).toBeDefined();
    expect(announced?.x).not.toBe(current?.x);
    // The announced key signs nothing yet and is not published as an issuer key.
    expect(before.issuers[0]!.keys.map((k) => k.publicKeyJwk.x)).not.toContain(announced!.x);

    const rotated = await t.ctx.keys.rotate({ actorId: admin.actor.id });
    expect(rotated.publicJwk.x).toBe(announced!.x);
    const after = await verifyTrustBundle(await fetchBundle(), { previous: before });
    expect(after.signingKeys[0]!.x).toBe(announced!.x);
    // Credentials signed before the rotation still verify: the old key stays among the issuer's keys.
    expect(after.issuers[0]!.keys.map((k) => k.publicKeyJwk.x)).toEqual(expect.arrayContaining([current!.x, announced!.x]));

    // A device that missed two rotations knows neither key: it is refused and has to enrol again.
    await t.ctx.keys.rotate({ actorId: admin.actor.id });
    await expect(verifyTrustBundle(await fetchBundle(), { previous: before })).rejects.toMatchObject({ code: "ERR_TRUST_BUNDLE_UNTRUSTED" });
  });

  function receiptFor(e: (typeof fx.entitlements)[number], device: string, at: number): Receipt {
    const parts = { issuer: t.ctx.did, programme: "", cycle: "2027-03", beneficiary: e.beneficiary.ref };
    return {
      v: 1,
      id: newReceiptId(),
      ...parts,
      programme: programmeCode,
      entitlement: entitlementKey({ ...parts, programme: programmeCode }),
      credential: `urn:uuid:${e.id}`,
      servicePoint: "sp-kisumu-12",
      device,
      redemption: "single",
      handedOver: { type: "InKind", quantity: 25, unit: "kg", item: "Maize flour" },
      remaining: 0,
      visualCheck: false,
      at,
    };
  }
  let programmeCode = "";

  it("stores receipts once, rejects forged ones, and flags a double redemption across devices", async () => {
    programmeCode = (await t.ctx.db.programme.findFirstOrThrow()).code;
    const [d1] = devices;
    const code = parseSetupCode(await newSetupCode()).code;
    const second = await enrolDevice(code);
    const d2 = { id: ((await second.res.json()) as { deviceId: string }).deviceId, privateKey: second.key.privateKey };
    const e0 = fx.entitlements[0]!;
    const e1 = fx.entitlements[1]!;
    const r1 = receiptFor(e0, d1!.id, 1_804_000_000);
    const r2 = receiptFor(e1, d1!.id, 1_804_000_100);
    const jws1 = await signReceipt(r1, { privateKey: d1!.privateKey, deviceId: d1!.id });
    const jws2 = await signReceipt(r2, { privateKey: d1!.privateKey, deviceId: d1!.id });
    const post = (items: { id: string; jws: string }[]) => callRoute(receipts, { method: "POST", body: { receipts: items } });

    const res = await post([{ id: r1.id, jws: jws1 }, { id: r2.id, jws: jws2 }]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: [r1.id, r2.id], duplicate: [], rejected: [] });
    expect(await (await post([{ id: r1.id, jws: jws1 }])).json()).toEqual({ accepted: [], duplicate: [r1.id], rejected: [] });

    // The same entitlement handed over again at another device: stored, and flagged.
    const again = receiptFor(e0, d2.id, 1_804_000_500);
    const jwsAgain = await signReceipt(again, { privateKey: d2.privateKey, deviceId: d2.id });
    expect(await (await post([{ id: again.id, jws: jwsAgain }])).json()).toMatchObject({ accepted: [again.id] });
    expect(await t.ctx.db.receipt.findUniqueOrThrow({ where: { id: again.id } })).toMatchObject({ doubleRedemption: true, entitlementId: e0.id });
    expect(await t.ctx.db.receipt.findUniqueOrThrow({ where: { id: r1.id } })).toMatchObject({ doubleRedemption: false });

    // Forged (signed by device 2 but claiming device 1) and unknown devices are rejected with codes.
    const forged = receiptFor(e1, d1!.id, 1_804_000_900);
    const forgedJws = await signReceipt(forged, { privateKey: d2.privateKey, deviceId: d1!.id });
    const stranger = await generateKeyPair();
    const unknown = receiptFor(e1, "dev-unknown", 1_804_000_900);
    const unknownJws = await signReceipt(unknown, { privateKey: stranger.privateKey, deviceId: "dev-unknown" });
    expect(await (await post([{ id: forged.id, jws: forgedJws }, { id: unknown.id, jws: unknownJws }, { id: "x", jws: "not.a.jws" }])).json()).toEqual({
      accepted: [],
      duplicate: [],
      rejected: [
        { id: forged.id, code: "ERR_RECEIPT_SIGNATURE_INVALID" },
        { id: unknown.id, code: "ERR_RECEIPT_UNKNOWN_DEVICE" },
        { id: "x", code: "ERR_RECEIPT_INVALID" },
      ],
    });
    expect(await t.ctx.db.receipt.count()).toBe(3);

    const stats = await redemptionStats(t.ctx);
    expect(stats.cycles.find((c) => c.cycleId === fx.cycleId)).toMatchObject({ issued: 3, redeemed: 2, doubleRedemptions: 1 });
    expect(stats.servicePoints).toEqual([expect.objectContaining({ servicePoint: "sp-kisumu-12", receipts: 3, entitlements: 2, doubleRedemptions: 1 })]);
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
  });

  it("rejects a receipt sent under another id than its own, and answers 500 (the device keeps the batch) when the issuer cannot read its own records", async () => {
    const [d1] = devices;
    const r = receiptFor(fx.entitlements[2]!, d1!.id, 1_804_001_000);
    const jws = await signReceipt(r, { privateKey: d1!.privateKey, deviceId: d1!.id });
    const post = (items: { id: string; jws: string }[]) => callRoute(receipts, { method: "POST", body: { receipts: items } });
    expect(await (await post([{ id: "another-id", jws }])).json()).toEqual({ accepted: [], duplicate: [], rejected: [{ id: "another-id", code: "ERR_RECEIPT_INVALID" }] });

    const { publicJwk } = await t.ctx.db.device.findUniqueOrThrow({ where: { id: d1!.id } });
    await t.ctx.db.device.update({ where: { id: d1!.id }, data: { publicJwk: "{damaged" } });
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const res = await post([{ id: r.id, jws }]);
      expect(res.status).toBe(500);
      expect(await errorCode(res)).toBe("ERR_INTERNAL");
      expect(log).toHaveBeenCalledWith("issuer: unexpected error", expect.objectContaining({ code: "ERR_STORED_DATA_INVALID", column: "Device.publicJwk" }));
    } finally {
      log.mockRestore();
      await t.ctx.db.device.update({ where: { id: d1!.id }, data: { publicJwk } });
    }
    expect(await t.ctx.db.receipt.count()).toBe(3);
  });

  it("receipts: refuses a receipt whose service point is not the device's own, an entitlement that does not exist or is not the one named, or a programme the point does not serve; audited and final", async () => {
    const [d1] = devices;
    // A second service point, serving nothing yet, with its own device.
    expect((await callRoute(saveServicePoint, { method: "POST", headers: admin.headers, body: { id: "sp-other", name: "Other shop", programmes: [] } })).status).toBe(201);
    const third = await enrolDevice(parseSetupCode(await newSetupCode("sp-other")).code, "sp-other");
    const d3 = { id: ((await third.res.json()) as { deviceId: string }).deviceId, privateKey: third.key.privateKey };
    const [e0, e1] = fx.entitlements;
    const sign = (r: Receipt, d: { id: string; privateKey: CryptoKey }) => signReceipt(r, { privateKey: d.privateKey, deviceId: d.id }).then((jws) => ({ id: r.id, jws }));
    // Device 1 (sp-kisumu-12) signs a receipt naming sp-other.
    const elsewhere = { ...receiptFor(e1!, d1!.id, 1_804_002_000), servicePoint: "sp-other" };
    // An entitlement the issuer never made.
    const invented = { ...receiptFor(e1!, d1!.id, 1_804_002_000), credential: "urn:uuid:0190a000-0000-7000-8000-000000000000" };
    // Entitlement e1's credential, but another beneficiary's entitlement key (a receipt linked to "any entitlement").
    const mixed = receiptFor(e1!, d1!.id, 1_804_002_000);
    const parts = { issuer: t.ctx.did, programme: programmeCode, cycle: "2027-03", beneficiary: e0!.beneficiary.ref };
    Object.assign(mixed, { beneficiary: e0!.beneficiary.ref, entitlement: entitlementKey(parts) });
    // Device 3's own service point does not hand over this programme.
    const notServed = { ...receiptFor(e1!, d3.id, 1_804_002_000), servicePoint: "sp-other" };
    const batch = await Promise.all([sign(elsewhere, d1!), sign(invented, d1!), sign(mixed, d1!), sign(notServed, d3)]);
    const res = await callRoute(receipts, { method: "POST", body: { receipts: batch } });
    expect(await res.json()).toEqual({
      accepted: [],
      duplicate: [],
      rejected: [
        { id: elsewhere.id, code: "ERR_RECEIPT_SERVICE_POINT_MISMATCH" },
        { id: invented.id, code: "ERR_RECEIPT_ENTITLEMENT_UNKNOWN" },
        { id: mixed.id, code: "ERR_RECEIPT_ENTITLEMENT_MISMATCH" },
        { id: notServed.id, code: "ERR_RECEIPT_PROGRAMME_NOT_SERVED" },
      ],
    });
    expect(await t.ctx.db.receipt.count()).toBe(3);
    // One audit event: this batch, signed by enrolled devices. The forged and unknown-device posts
    // earlier (noise anyone can send) were answered, not audited.
    expect(await t.ctx.db.auditEvent.count({ where: { action: "receipt.refused" } })).toBe(1);
    const audit = await t.ctx.db.auditEvent.findFirstOrThrow({ where: { action: "receipt.refused" }, orderBy: { seq: "desc" } });
    expect((JSON.parse(audit.details) as { receipts: { code: string }[] }).receipts.map((r) => r.code)).toEqual([
      "ERR_RECEIPT_SERVICE_POINT_MISMATCH",
      "ERR_RECEIPT_ENTITLEMENT_UNKNOWN",
      "ERR_RECEIPT_ENTITLEMENT_MISMATCH",
      "ERR_RECEIPT_PROGRAMME_NOT_SERVED",
    ]);
    // The devices were seen (their signatures verified).
    expect((await t.ctx.db.device.findUniqueOrThrow({ where: { id: d3.id } })).lastSeenAt).toEqual(t.ctx.now());
  });

  it("answers CORS preflights for the verifier PWA", async () => {
    const { OPTIONS } = await import("./receipts/route");
    const res = OPTIONS();
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("answers 400 with a code for a malformed batch and stores nothing", async () => {
    for (const body of [{}, { receipts: [] }, { receipts: [{ id: "a" }] }, { receipts: Array.from({ length: 101 }, (_, i) => ({ id: `r${i}`, jws: "x" })) }]) {
      const res = await callRoute(receipts, { method: "POST", body });
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(await errorCode(res)).toBe("ERR_BAD_REQUEST");
    }
    const text = await callRoute(receipts, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(text.status).toBe(415);
    expect(await t.ctx.db.receipt.count()).toBe(3);
  });

  it("a stored receipt marks the cycle's figures stale: a cycle page kept in the cache (a slow count) shows the hand-over at its next refresh", async () => {
    const e2 = fx.entitlements[2]!;
    const slowly = <T,>(value: T) => async () => {
      await new Promise((r) => setTimeout(r, READ_CACHE_INLINE_MS + 20));
      return value;
    };
    // As on a loaded server: the counts took long enough to be kept (30 s) rather than read each time.
    const cycle = await t.ctx.db.cycle.findUniqueOrThrow({ where: { id: fx.cycleId }, include: { jobs: { orderBy: { createdAt: "desc" }, take: 1 } } });
    await readThrough(t.ctx, cycleTallyKey(fx.cycleId), slowly([]), { version: tallyVersion(cycle.state, cycle.jobs[0]) });
    await readThrough(t.ctx, `cycle-receipts:${fx.cycleId}`, slowly({ receipts: 0, doubles: 0 }));
    expect(await readCycle(t.ctx, fx.cycleId)).toMatchObject({ redeemed: 0, receipts: 0 });

    const r = receiptFor(e2, devices[0]!.id, 1_804_001_000);
    const jws = await signReceipt(r, { privateKey: devices[0]!.privateKey, deviceId: devices[0]!.id });
    expect(await (await callRoute(receipts, { method: "POST", body: { receipts: [{ id: r.id, jws }] } })).json()).toMatchObject({ accepted: [r.id] });
    // The first view after the change starts the count again; the next one shows it.
    await readCycle(t.ctx, fx.cycleId);
    await vi.waitFor(async () => expect(await readCycle(t.ctx, fx.cycleId)).toMatchObject({ redeemed: 3, receipts: 4 }), { timeout: 10_000, interval: 50 });
  });
});
