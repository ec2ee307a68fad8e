import { describe, expect, it } from "vitest";
import { generateKeyPair } from "@haki/credentials/keys";
import { verifyCredential } from "@haki/credentials/verify";
import { trustListOf } from "@haki/credentials/trust";
import { parseCredentialOfferUri, receiveCredential, summarizeOffer } from "@haki/openid4vci/client";
import { createTestUser } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { GET as issuerMetadata } from "@/app/.well-known/openid-credential-issuer/route";
import { GET as asMetadata } from "@/app/.well-known/oauth-authorization-server/route";
import { POST as token, OPTIONS as tokenOptions } from "./token/route";
import { POST as nonce, OPTIONS as nonceOptions } from "./nonce/route";
import { POST as credential, OPTIONS as credentialOptions } from "./credential/route";
import { POST as offerRoute } from "@/app/api/entitlements/[id]/offer/route";
import { useIssuedCycle, useTestContext } from "@/test/suite";

const ROUTES: Record<string, (r: Request) => Promise<Response>> = {
  "GET /.well-known/openid-credential-issuer": (r) => issuerMetadata(r, { params: Promise.resolve({}) }),
  "GET /.well-known/oauth-authorization-server": (r) => asMetadata(r, { params: Promise.resolve({}) }),
  "POST /api/oid4vci/token": (r) => token(r, { params: Promise.resolve({}) }),
  "POST /api/oid4vci/nonce": (r) => nonce(r, { params: Promise.resolve({}) }),
  "POST /api/oid4vci/credential": (r) => credential(r, { params: Promise.resolve({}) }),
};

/** A wallet's fetch, answered by the issuer's route handlers in process. */
const fetchIssuer: typeof fetch = async (input, init) => {
  const request = new Request(input as RequestInfo, init);
  const url = new URL(request.url);
  const route = ROUTES[`${request.method} ${url.pathname}`];
  if (url.origin !== "https://issuer.haki.test" || !route) return new Response("not found", { status: 404 });
  return route(request);
};

async function makeHolder() {
  const pair = await generateKeyPair({ extractable: false });
  return { did: pair.did, kid: pair.kid, sign: async (b: Uint8Array) => new Uint8Array(await crypto.subtle.sign("Ed25519", pair.privateKey, b as BufferSource)) };
}

describe("OpenID4VCI pre-authorised code flow through the route handlers", () => {
  const t = useTestContext();
  const fx = useIssuedCycle(t, 4);

  const makeOffer = async (entitlementId: string, body: object = {}, headers = fx.officer.headers) =>
    callRoute(offerRoute, { method: "POST", params: { id: entitlementId }, headers, body });

  it("serves issuer metadata naming the token and credential endpoints", async () => {
    const res = await callRoute(issuerMetadata);
    expect(res.status).toBe(200);
    const m = (await res.json()) as { credential_issuer: string; credential_endpoint: string; credential_configurations_supported: Record<string, unknown> };
    expect(m.credential_issuer).toBe("https://issuer.haki.test");
    expect(m.credential_endpoint).toBe("https://issuer.haki.test/api/oid4vci/credential");
    expect(Object.keys(m.credential_configurations_supported)).toEqual(["EntitlementCredential_jwt_vc_json", "EntitlementCredential_dc_sd_jwt"]);
  });

  it("answers the CORS preflight a browser wallet sends before its token, nonce and credential requests", () => {
    for (const options of [tokenOptions, nonceOptions, credentialOptions]) {
      const res = options();
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-allow-headers")).toContain("authorization");
    }
  });

  it("serves authorization server metadata and fresh nonces", async () => {
    const as = await callRoute(asMetadata);
    expect(as.status).toBe(200);
    expect(await as.json()).toMatchObject({ issuer: "https://issuer.haki.test", token_endpoint: "https://issuer.haki.test/api/oid4vci/token" });
    const n1 = (await (await callRoute(nonce, { method: "POST" })).json()) as { c_nonce: string };
    const n2 = (await (await callRoute(nonce, { method: "POST" })).json()) as { c_nonce: string };
    expect(n1.c_nonce).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(n1.c_nonce).not.toBe(n2.c_nonce);
    // Sealed nonces: handing them out stores nothing (rows come only when a request spends one).
    expect(await t.ctx.db.nonce.count()).toBe(0);
  });

  it("delivers a holder-bound credential once, with the PIN, and refuses the offer again", async () => {
    const e = fx.entitlements[0]!;
    const res = await makeOffer(e.id, { withPin: true });
    expect(res.status).toBe(201);
    const { offerUri, txCode } = (await res.json()) as { offerUri: string; txCode: string };
    expect(txCode).toMatch(/^\d{6}$/);
    expect(await t.ctx.db.offer.findUniqueOrThrow({ where: { id: e.id } })).not.toHaveProperty("txCode");

    const holder = await makeHolder();
    const offer = await parseCredentialOfferUri(offerUri);
    // The same word as the console and the wallet: the "card code".
    expect(summarizeOffer(offer).txCode).toMatchObject({ length: 6, description: expect.stringContaining("card code") });
    const received = await receiveCredential({ offer, txCode, holder, fetch: fetchIssuer, now: t.ctx.now });
    const [pub] = await t.ctx.keys.listPublicKeys();
    const trust = trustListOf({ did: t.ctx.did, name: "Test", keys: [{ id: pub!.kid, publicKeyJwk: pub!.publicJwk }] });
    const verified = await verifyCredential(received.credential, trust, { now: new Date("2027-03-05T10:00:00Z") });
    expect(verified.valid).toBe(true);
    // One bearer form (the programme's default): the phone's credential sits at a fresh status
    // position, the paper card's old one is revoked.
    const after = await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: e.id } });
    expect(after).toMatchObject({ holderDid: holder.did, bearerForm: "phone" });
    expect(after.statusIndex).not.toBe(e.statusIndex);
    if (verified.valid) {
      expect(verified.payload.sub).toBe(holder.did);
      expect(verified.payload.vc.credentialSubject.beneficiary).toBe(e.beneficiary.ref);
      expect(verified.payload.vc.credentialStatus[0]!.statusListIndex).toBe(String(after.statusIndex));
    }

    const again = await receiveCredential({ offer, txCode, holder, fetch: fetchIssuer, now: t.ctx.now }).catch((x: { code?: string }) => x);
    expect(again).toMatchObject({ code: "ERR_OFFER_ALREADY_USED" });
  });

  it("counts wrong PINs and locks the offer", async () => {
    const e = fx.entitlements[1]!;
    const { offerUri, txCode } = (await (await makeOffer(e.id)).json()) as { offerUri: string; txCode: string };
    const wrong = txCode === "000000" ? "111111" : "000000";
    const offer = await parseCredentialOfferUri(offerUri);
    const holder = await makeHolder();
    const attempt = (pin: string) => receiveCredential({ offer, txCode: pin, holder, fetch: fetchIssuer, now: t.ctx.now }).catch((x: { code?: string; attemptsLeft?: number }) => x);
    expect(await attempt(wrong)).toMatchObject({ code: "ERR_TX_CODE_WRONG", attemptsLeft: 4 });
    for (let i = 0; i < 4; i++) await attempt(wrong);
    expect(await attempt(txCode)).toMatchObject({ code: "ERR_TX_CODE_LOCKED" });
    expect(await t.ctx.db.offer.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ redeemedAt: null, credentialIssuedAt: null });
  });

  it("refuses an expired offer", async () => {
    const e = fx.entitlements[2]!;
    const { offerUri } = (await (await makeOffer(e.id, { withPin: false, validDays: 1 })).json()) as { offerUri: string };
    t.clock.advance(2 * 86_400_000);
    const r = await receiveCredential({ offer: await parseCredentialOfferUri(offerUri), holder: await makeHolder(), fetch: fetchIssuer, now: t.ctx.now }).catch((x: { code?: string }) => x);
    expect(r).toMatchObject({ code: "ERR_OFFER_EXPIRED" });
  });

  it("token endpoint: 400 in the OAuth shape for bad input, unknown codes and wrong grant types", async () => {
    const form = (body: string) => callRoute(token, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    const unknown = await form("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code=nope");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: "invalid_grant", haki_error: "offer_unknown" });
    const grant = await form("grant_type=password&username=a&password=b");
    expect(grant.status).toBe(400);
    expect(((await grant.json()) as { error: string }).error).toMatch(/unsupported_grant_type|invalid_request/);
    const json = await callRoute(token, { method: "POST", body: { grant_type: "x" } });
    expect(json.status).toBe(400);
  });

  it("credential endpoint: 401 without a valid access token; nothing is signed", async () => {
    const res = await callRoute(credential, { method: "POST", headers: { authorization: "Bearer nope" }, body: { credential_configuration_id: "EntitlementCredential_jwt_vc_json" } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_token");
    const none = await callRoute(credential, { method: "POST", body: {} });
    expect(none.status).toBe(401);
  });

  it("offers: only officers, with CSRF, for issued entitlements", async () => {
    const e = fx.entitlements[3]!;
    // The clock moved on two days above: earlier sessions have expired (and are refused).
    expect((await makeOffer(e.id)).status).toBe(401);
    const officer = await createTestUser(t.ctx, ["officer"]);
    expect((await makeOffer(e.id, {}, {})).status).toBe(401);
    expect(await errorCode(await makeOffer(e.id, {}, { cookie: officer.cookie }))).toBe("ERR_CSRF");
    const auditor = await createTestUser(t.ctx, ["auditor"]);
    expect(await errorCode(await makeOffer(e.id, {}, auditor.headers))).toBe("ERR_FORBIDDEN");
    expect((await makeOffer("00000000-0000-4000-8000-000000000000", {}, officer.headers)).status).toBe(404);
    const bad = await makeOffer(e.id, { validDays: "soon" }, officer.headers);
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe("ERR_BAD_REQUEST");
    await t.ctx.db.entitlement.update({ where: { id: e.id }, data: { status: "revoked" } });
    expect(await errorCode(await makeOffer(e.id, {}, officer.headers))).toBe("ERR_INVALID_STATE");
    expect(await t.ctx.db.offer.count({ where: { id: e.id } })).toBe(0);
  });
});
