/**
 * OpenID4VCI 1.0 (final) at the issuer's route handlers: both credential configurations, sealed
 * nonces (no row per nonce request; spent ones pruned), `proofs` with several keys (batch issuance),
 * the notification endpoint feeding the console's cycle view, the spec's error codes, JSON for every
 * unknown path, and the per-address rate limit shared across instances.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { SignJWT, exportJWK, decodeProtectedHeader } from "jose";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { verifyCredential } from "@haki/credentials/verify";
import { verifySdJwtVc } from "@haki/credentials/sd-jwt";
import { trustListOf, type TrustList } from "@haki/credentials/trust";
import { didJwkFromPublicJwk } from "@haki/credentials/did";
import { createTokenStatusLookup, verifyStatusListToken } from "@haki/status-list/token";
import { testProviders } from "@haki/db/testing";
import { createServerContext } from "@/server/context";
import { callRoute } from "@/test/http";
import { createIssuedCycle } from "@/test/fixtures";
import { readCycle } from "@/server/cycles/read-cycle";
import { CycleListFilter, readCycleEntitlements } from "@/server/cycles/read-cycle-entitlements";
import { changeStatus } from "@/server/status/change-status";
import { oid4vciRateLimiter } from "@/server/delivery/oid4vci-route";
import { GET as issuerMetadata } from "@/app/.well-known/openid-credential-issuer/route";
import { GET as wellKnownUnknown } from "@/app/.well-known/[...path]/route";
import { GET as jwtVcIssuer } from "@/app/.well-known/jwt-vc-issuer/route";
import { GET as statusRoute } from "@/app/status/[list]/[purpose]/route";
import { POST as token } from "./token/route";
import { offerAndToken } from "@/test/oid4vci-offer";
import { POST as nonce } from "./nonce/route";
import { POST as credential } from "./credential/route";
import { POST as notification } from "./notification/route";
import { GET as oid4vciUnknownGet, POST as oid4vciUnknownPost } from "./[...path]/route";
import { useTestContext } from "@/test/suite";

const ISSUER = "https://issuer.haki.test";
const JWT_CONFIG = "EntitlementCredential_jwt_vc_json";
const SD_JWT_CONFIG = "EntitlementCredential_dc_sd_jwt";

type Holder = { pair: HakiKeyPair; kind: "did:key" | "jwk" };
const holderDid = async (h: Holder) => (h.kind === "did:key" ? h.pair.did : didJwkFromPublicJwk((await exportJWK(h.pair.publicKey)) as { kty: "OKP"; crv: "Ed25519"; x: string }));

async function proofFor(h: Holder, nonceValue: string, iat: Date) {
  const header = h.kind === "did:key" ? { alg: "EdDSA", typ: "openid4vci-proof+jwt", kid: h.pair.kid } : { alg: "EdDSA", typ: "openid4vci-proof+jwt", jwk: await exportJWK(h.pair.publicKey) };
  return new SignJWT({ nonce: nonceValue }).setProtectedHeader(header).setAudience(ISSUER).setIssuedAt(Math.floor(iat.getTime() / 1000)).sign(h.pair.privateKey);
}

describe.each(testProviders())("OpenID4VCI 1.0 at the issuer on %s", (provider) => {
  const t = useTestContext(provider, { env: { HAKI_OID4VCI_RATE_LIMIT: "100000" } });
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  let trust: TrustList;
  beforeAll(async () => {
    t.clock.now = new Date("2027-03-05T10:00:00Z");
    fx = await createIssuedCycle(t.ctx, 8);
    const keys = await t.ctx.keys.listPublicKeys();
    trust = trustListOf({ did: t.ctx.did, name: "Test", keys: keys.map((k) => ({ id: k.kid, publicKeyJwk: k.publicJwk })) });
  }, 60_000);

  /** Offer (console) -> token (no PIN) over the route handlers. */
  async function tokenFor(entitlementId: string, format: "jwt_vc_json" | "dc+sd-jwt" = "jwt_vc_json") {
    const { made, offer, granted: res } = await offerAndToken(fx.officer.headers, entitlementId, format);
    expect(made.status).toBe(201);
    expect(res!.status).toBe(200);
    return { configurationId: offer!.credential_configuration_ids[0]!, accessToken: ((await res!.json()) as { access_token: string }).access_token };
  }
  const freshNonce = async () => ((await (await callRoute(nonce, { method: "POST" })).json()) as { c_nonce: string }).c_nonce;
  const askCredential = (accessToken: string, body: object) => callRoute(credential, { method: "POST", headers: { authorization: `Bearer ${accessToken}` }, body });
  const oauthError = async (res: Response) => ((await res.json()) as { error: string }).error;

  it("publishes both configurations, batch issuance, the nonce and notification endpoints", async () => {
    const m = (await (await callRoute(issuerMetadata)).json()) as Record<string, unknown> & { credential_configurations_supported: Record<string, { format: string; vct?: string }> };
    expect(m).toMatchObject({
      nonce_endpoint: `${ISSUER}/api/oid4vci/nonce`,
      notification_endpoint: `${ISSUER}/api/oid4vci/notification`,
      batch_credential_issuance: { batch_size: 4 },
    });
    expect(m.credential_configurations_supported[JWT_CONFIG]!.format).toBe("jwt_vc_json");
    expect(m.credential_configurations_supported[SD_JWT_CONFIG]).toMatchObject({ format: "dc+sd-jwt", vct: "https://w3id.org/haki/vct/entitlement/v1" });
  });

  it("nonce endpoint: { c_nonce } never cached, no row per call; a spent nonce is one row, refused again, pruned after expiry", async () => {
    const res = await callRoute(nonce, { method: "POST" });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(Object.keys((await res.json()) as object)).toEqual(["c_nonce"]);
    for (let i = 0; i < 200; i++) await freshNonce();
    expect(await t.ctx.db.nonce.count()).toBe(0);

    const e = fx.entitlements[0]!;
    const h: Holder = { pair: await generateKeyPair(), kind: "did:key" };
    const n = await freshNonce();
    const first = await tokenFor(e.id);
    expect((await askCredential(first.accessToken, { credential_configuration_id: JWT_CONFIG, proofs: { jwt: [await proofFor(h, n, t.clock.now)] } })).status).toBe(200);
    expect(await t.ctx.db.nonce.count()).toBe(1);
    // The same nonce again, with a fresh token: invalid_nonce, nothing issued.
    const second = await tokenFor(fx.entitlements[1]!.id);
    const replay = await askCredential(second.accessToken, { credential_configuration_id: JWT_CONFIG, proofs: { jwt: [await proofFor(h, n, t.clock.now)] } });
    expect([replay.status, await oauthError(replay)]).toEqual([400, "invalid_nonce"]);
    // A made-up nonce: invalid_nonce, and no row written for it.
    const forged = await askCredential(second.accessToken, { credential_configuration_id: JWT_CONFIG, proofs: { jwt: [await proofFor(h, "A".repeat(55), t.clock.now)] } });
    expect(await oauthError(forged)).toBe("invalid_nonce");
    expect(await t.ctx.db.nonce.count()).toBe(1);
    // Ten minutes on, the next spend deletes rows whose nonce expired.
    t.clock.advance(10 * 60_000);
    const third = await tokenFor(fx.entitlements[1]!.id);
    expect((await askCredential(third.accessToken, { credential_configuration_id: JWT_CONFIG, proofs: { jwt: [await proofFor(h, await freshNonce(), t.clock.now)] } })).status).toBe(200);
    const rows = await t.ctx.db.nonce.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.expiresAt.getTime()).toBeGreaterThan(t.clock.now.getTime());
  });

  it("batch: `proofs` with four keys (did:key and jwk) gives four credentials in the cycle's format (VC 2.0), each bound to its key", async () => {
    const e = fx.entitlements[2]!;
    const { accessToken } = await tokenFor(e.id);
    const holders: Holder[] = [
      { pair: await generateKeyPair(), kind: "did:key" },
      { pair: await generateKeyPair(), kind: "jwk" },
      { pair: await generateKeyPair(), kind: "did:key" },
      { pair: await generateKeyPair(), kind: "jwk" },
    ];
    const n = await freshNonce();
    const res = await askCredential(accessToken, { credential_configuration_id: JWT_CONFIG, proofs: { jwt: await Promise.all(holders.map((h) => proofFor(h, n, t.clock.now))) } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { credentials: { credential: string }[]; notification_id: string };
    expect(body.credentials).toHaveLength(4);
    expect(body.notification_id).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    for (const [i, { credential: vc }] of body.credentials.entries()) {
      expect(decodeProtectedHeader(vc).typ).toBe("vc+jwt");
      const r = await verifyCredential(vc, trust, { now: t.clock.now });
      expect(r.valid).toBe(true);
      if (r.valid) {
        expect(r.format).toBe("vc2");
        expect(r.holder).toBe(await holderDid(holders[i]!));
      }
    }
    expect(await t.ctx.db.offer.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ credentialCount: 4, holderDid: await holderDid(holders[0]!) });
  });

  it("refuses a batch with a repeated key or more proofs than batch_size (invalid_proof / invalid_credential_request), issuing nothing", async () => {
    const e = fx.entitlements[3]!;
    const { accessToken } = await tokenFor(e.id);
    const h: Holder = { pair: await generateKeyPair(), kind: "did:key" };
    const n = await freshNonce();
    const twice = await askCredential(accessToken, { credential_configuration_id: JWT_CONFIG, proofs: { jwt: [await proofFor(h, n, t.clock.now), await proofFor(h, n, t.clock.now)] } });
    expect(await oauthError(twice)).toBe("invalid_proof");
    const five = await Promise.all(Array.from({ length: 5 }, async () => proofFor({ pair: await generateKeyPair(), kind: "did:key" }, n, t.clock.now)));
    expect(await oauthError(await askCredential(accessToken, { credential_configuration_id: JWT_CONFIG, proofs: { jwt: five } }))).toBe("invalid_credential_request");
    expect(await oauthError(await askCredential(accessToken, { credential_configuration_id: "Nope", proofs: { jwt: [await proofFor(h, n, t.clock.now)] } }))).toBe("unknown_credential_configuration");
    expect(await t.ctx.db.offer.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ credentialIssuedAt: null, credentialCount: 0 });
  });

  it("dc+sd-jwt: an SD-JWT VC bound to the proof's key, whose status is the Token Status List served beside the Bitstring lists", async () => {
    const e = fx.entitlements[4]!;
    const { accessToken, configurationId } = await tokenFor(e.id, "dc+sd-jwt");
    expect(configurationId).toBe(SD_JWT_CONFIG);
    const h: Holder = { pair: await generateKeyPair(), kind: "jwk" };
    const res = await askCredential(accessToken, { credential_configuration_id: SD_JWT_CONFIG, proofs: { jwt: [await proofFor(h, await freshNonce(), t.clock.now)] } });
    expect(res.status).toBe(200);
    const sdJwt = ((await res.json()) as { credentials: { credential: string }[] }).credentials[0]!.credential;
    expect(decodeProtectedHeader(sdJwt).typ).toBe("dc+sd-jwt");
    const tokenList = async () => {
      const r = await callRoute(statusRoute, { params: { list: String(e.statusList), purpose: "token" } });
      expect(r.headers.get("content-type")).toBe("application/statuslist+jwt");
      const [pub] = await t.ctx.keys.listPublicKeys();
      const verified = await verifyStatusListToken(await r.text(), pub!.publicJwk, { uri: `${ISSUER}/status/${e.statusList}/token`, now: t.clock.now });
      return createTokenStatusLookup([{ ...verified, fetchedAt: t.clock.now }], { now: () => t.clock.now });
    };
    const ok = await verifySdJwtVc(sdJwt, trust, { now: t.clock.now, status: await tokenList(), requireStatus: true, requireKeyBinding: false });
    expect(ok).toMatchObject({ valid: true, status: "ok", subject: { beneficiary: e.beneficiary.ref } });
    if (ok.valid) expect((ok.claims.cnf as { jwk: { x: string } }).jwk.x).toBe((await exportJWK(h.pair.publicKey)).x);
    await changeStatus(t.ctx, { action: "suspend", entitlementId: e.id, reason: "Under review" }, fx.officer.actor);
    expect(await verifySdJwtVc(sdJwt, trust, { now: t.clock.now, status: await tokenList(), requireKeyBinding: false })).toMatchObject({ valid: false, code: "ERR_SUSPENDED" });
    await changeStatus(t.ctx, { action: "revoke", entitlementId: e.id, reason: "Exited the programme" }, fx.officer.actor);
    expect(await verifySdJwtVc(sdJwt, trust, { now: t.clock.now, status: await tokenList(), requireKeyBinding: false })).toMatchObject({ valid: false, code: "ERR_REVOKED" });
  });

  it("serves the JWT VC Issuer Metadata naming the SD-JWT VCs' iss and keys", async () => {
    const doc = (await (await callRoute(jwtVcIssuer)).json()) as { issuer: string; jwks: { keys: { kid: string }[] } };
    expect(doc.issuer).toBe(ISSUER);
    expect(doc.jwks.keys.map((k) => k.kid)).toEqual(trust.issuers[0]!.keys.map((k) => k.id));
  });

  it("credential_request_denied for a revoked entitlement; the token stays unspent for nothing", async () => {
    const e = fx.entitlements[5]!;
    const { accessToken } = await tokenFor(e.id);
    await changeStatus(t.ctx, { action: "revoke", entitlementId: e.id, reason: "Duplicate" }, fx.officer.actor);
    const res = await askCredential(accessToken, { credential_configuration_id: JWT_CONFIG, proofs: { jwt: [await proofFor({ pair: await generateKeyPair(), kind: "did:key" }, await freshNonce(), t.clock.now)] } });
    expect([res.status, await oauthError(res)]).toEqual([400, "credential_request_denied"]);
  });

  it("notifications: accepted then deleted, stored on the delivery and counted on the cycle view; unknown ids and other tokens refused", async () => {
    const e = fx.entitlements[6]!;
    const { accessToken } = await tokenFor(e.id);
    const res = await askCredential(accessToken, { credential_configuration_id: JWT_CONFIG, proofs: { jwt: [await proofFor({ pair: await generateKeyPair(), kind: "did:key" }, await freshNonce(), t.clock.now)] } });
    const { notification_id } = (await res.json()) as { notification_id: string };
    const notify = (body: object, bearer = accessToken) => callRoute(notification, { method: "POST", headers: { authorization: `Bearer ${bearer}` }, body });
    const other = await tokenFor(fx.entitlements[7]!.id);
    const before = await readCycle(t.ctx, fx.cycleId);
    expect((await notify({ notification_id, event: "credential_accepted" })).status).toBe(204);
    let view = await readCycle(t.ctx, fx.cycleId);
    expect(view!.wallets.accepted).toBe(before!.wallets.accepted + 1);
    const rowOf = async () => (await readCycleEntitlements(t.ctx, fx.cycleId, CycleListFilter.parse({}), { pageSize: 100 })).rows.find((r) => r.id === e.id)!;
    expect((await rowOf()).delivery).toMatchObject({ phone: "collected", walletEvent: "credential_accepted" });
    // Weeks later the person deletes the card: the (long spent) token still binds the notification.
    t.clock.advance(21 * 86_400_000);
    expect((await notify({ notification_id, event: "credential_deleted", event_description: "removed by the person" })).status).toBe(204);
    view = await readCycle(t.ctx, fx.cycleId);
    expect(view!.wallets).toMatchObject({ accepted: before!.wallets.accepted, deleted: before!.wallets.deleted + 1 });
    expect((await rowOf()).delivery).toMatchObject({ walletEvent: "credential_deleted" });
    expect(await t.ctx.db.offer.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ walletEvent: "credential_deleted", walletEventAt: t.clock.now });

    expect(await oauthError(await notify({ notification_id, event: "credential_accepted" }, other.accessToken))).toBe("invalid_notification_id");
    expect(await oauthError(await notify({ notification_id: "nope", event: "credential_accepted" }))).toBe("invalid_notification_id");
    expect(await oauthError(await notify({ notification_id, event: "credential_lost" }))).toBe("invalid_notification_request");
    t.clock.advance(-21 * 86_400_000);
  });

  it("answers JSON (never HTML) for unknown paths under /.well-known/ and /api/oid4vci/", async () => {
    for (const res of [
      await callRoute(wellKnownUnknown, { path: "/.well-known/openid-configuration" }),
      await callRoute(wellKnownUnknown, { path: "/.well-known/openid-credential-issuer/extra" }),
      await callRoute(oid4vciUnknownGet, { path: "/api/oid4vci/deferred" }),
      await callRoute(oid4vciUnknownPost, { path: "/api/oid4vci/batch_credential", body: {} }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toMatchObject({ error: "not_found" });
    }
  });
});

describe.each(testProviders())("rate limit on the anonymous OpenID4VCI endpoints on %s", (provider) => {
  const t = useTestContext(provider, { env: { HAKI_OID4VCI_RATE_LIMIT: "5", HAKI_TRUSTED_PROXY_HOPS: "1" } });

  const from = (address: string) => callRoute(nonce, { method: "POST", headers: { "x-forwarded-for": `198.51.100.99, ${address}` } });

  it("answers 429 too_many_requests with Retry-After past the limit per address and endpoint, and lets others through", async () => {
    t.clock.now = new Date("2027-03-05T10:00:10Z");
    for (let i = 0; i < 5; i++) expect((await from("203.0.113.7")).status).toBe(200);
    const refused = await from("203.0.113.7");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("50");
    expect(await refused.json()).toMatchObject({ error: "too_many_requests", haki_error: "rate_limited" });
    expect((await from("203.0.113.8")).status).toBe(200);
    // Another endpoint has its own count; a new window starts afresh.
    expect((await callRoute(token, { method: "POST", headers: { "x-forwarded-for": "203.0.113.7", "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=x" })).status).toBe(400);
    t.clock.advance(60_000);
    expect((await from("203.0.113.7")).status).toBe(200);
  });

  it("counts an IPv6 /64 as one address", async () => {
    t.clock.now = new Date("2027-03-05T11:00:00Z");
    for (let i = 1; i <= 5; i++) expect((await from(`2001:db8:1:2::${i}`)).status).toBe(200);
    expect((await from("2001:db8:1:2:ffff::9")).status).toBe(429);
    expect((await from("2001:db8:1:3::1")).status).toBe(200);
  });

  it("is shared across instances through the database", async () => {
    t.clock.now = new Date("2027-03-05T12:00:00Z");
    // A second issuer instance on the same database: its own process memory, the same table.
    const other = createServerContext(t.ctx.env, { db: t.ctx.db, now: () => t.clock.now });
    const a = oid4vciRateLimiter(t.ctx)!;
    const b = oid4vciRateLimiter(other)!;
    for (let i = 0; i < 3; i++) expect(a.check("nonce", "192.0.2.1").ok).toBe(true);
    await a.flush();
    expect(b.check("nonce", "192.0.2.1").ok).toBe(true);
    await b.flush(); // b now knows the shared total: 4
    expect(b.check("nonce", "192.0.2.1").ok).toBe(true);
    expect(b.check("nonce", "192.0.2.1")).toMatchObject({ ok: false });
    await b.flush();
    // a learns the shared total with its next write: one request past the limit at most per
    // instance and flush interval, then refused there too.
    expect(a.check("nonce", "192.0.2.1").ok).toBe(true);
    await a.flush();
    expect(a.check("nonce", "192.0.2.1").ok).toBe(false);
    expect(await t.ctx.db.rateLimitWindow.findFirst({ where: { key: { startsWith: "nonce|192.0.2.1|" } } })).toMatchObject({ count: 6 });
  });
});
