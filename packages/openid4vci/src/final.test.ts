/**
 * OpenID4VCI 1.0 final, package side: both credential configurations (`jwt_vc_json`, `dc+sd-jwt`)
 * in the metadata, batch issuance (`proofs` with several JWT proofs, one credential per holder key),
 * the notification endpoint, the error codes the spec names, and JSON for unknown paths. The wallet
 * side runs through @openid4vc/openid4vci's own client (sendNotification) where it can.
 */
import { SignJWT } from "jose";
import { Openid4vciClient } from "@openid4vc/openid4vci";
import { describe, expect, it } from "vitest";
import { verifyCredential } from "@haki/credentials/verify";
import { verifySdJwtVc } from "@haki/credentials/sd-jwt";
import { trustListOf } from "@haki/credentials/trust";
import { clientAuthenticationAnonymous } from "@openid4vc/oauth2";
import { generateRandomCallback, hashCallback } from "./lib/callbacks";
import { notifyIssuer, parseCredentialOfferUri, receiveCredential } from "./client";
import { ISSUER_DID, ISSUER_URL, makeHarness, makeHolder } from "./lib/test-harness";
import { buildIssuerMetadata, credentialFormatOf, DEFAULT_SD_JWT_CONFIGURATION_ID, type IssuerConfig } from "./metadata";
import { IssuanceError } from "./errors";
import { handleCredentialRequest, handleNotificationRequest, handleTokenRequest, handleUnknownPath, NotificationRequest, registerOffer, type IssuanceDeps } from "./server";

const PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
const JWT_ID = "EntitlementCredential_jwt_vc_json";
const VCT = "https://w3id.org/haki/vct/entitlement/v1";
const clientCallbacks = {
  hash: hashCallback,
  generateRandom: generateRandomCallback,
  signJwt: () => Promise.reject(new Error("no signing here")),
  clientAuthentication: clientAuthenticationAnonymous(),
};
const config: IssuerConfig = {
  credentialIssuer: ISSUER_URL,
  sdJwtVc: { vct: VCT, claims: [{ path: ["benefit"], display: [{ name: "Benefit", locale: "en" }] }] },
  batchSize: 3,
  notifications: true,
};

async function session(overrides: Partial<IssuanceDeps> = {}, credentialConfigurationId?: string) {
  const h = await makeHarness({ config, ...overrides });
  const { offer } = await registerOffer({ config, store: h.store, id: "ent-final", expiresAt: new Date(h.clock.now.getTime() + 600_000), ...(credentialConfigurationId ? { credentialConfigurationId } : {}) });
  const token = await handleTokenRequest(
    new Request(`${ISSUER_URL}/api/oid4vci/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: PRE_AUTH, "pre-authorized_code": offer.grants?.[PRE_AUTH]?.["pre-authorized_code"] as string }).toString(),
    }),
    h.deps,
  );
  const { access_token, c_nonce } = token.body as { access_token: string; c_nonce: string };
  const proof = async (holder: Awaited<ReturnType<typeof makeHolder>>, nonce = c_nonce) =>
    new SignJWT({ aud: ISSUER_URL, iat: Math.floor(h.clock.now.getTime() / 1000), nonce })
      .setProtectedHeader({ alg: "EdDSA", typ: "openid4vci-proof+jwt", kid: holder.pair.kid })
      .sign(holder.pair.privateKey);
  const request = (body: unknown, path = "credential") =>
    new Request(`${ISSUER_URL}/api/oid4vci/${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${access_token}` }, body: JSON.stringify(body) });
  return { h, token: access_token, proof, request };
}

describe("metadata per OpenID4VCI 1.0 final", () => {
  it("offers jwt_vc_json and dc+sd-jwt, batch issuance and the notification endpoint; the library reads it as 1.0", async () => {
    const md = buildIssuerMetadata(config);
    expect(md.batch_credential_issuance).toEqual({ batch_size: 3 });
    expect(md.notification_endpoint).toBe(`${ISSUER_URL}/api/oid4vci/notification`);
    expect(md.nonce_endpoint).toBe(`${ISSUER_URL}/api/oid4vci/nonce`);
    expect(md.credential_configurations_supported[DEFAULT_SD_JWT_CONFIGURATION_ID]).toMatchObject({
      format: "dc+sd-jwt",
      vct: VCT,
      cryptographic_binding_methods_supported: ["jwk"],
      credential_signing_alg_values_supported: ["EdDSA"],
      credential_metadata: { claims: [{ path: ["benefit"] }] },
    });
    expect(credentialFormatOf(config, DEFAULT_SD_JWT_CONFIGURATION_ID)).toBe("dc+sd-jwt");
    expect(credentialFormatOf(config, JWT_ID)).toBe("jwt_vc_json");
    expect(credentialFormatOf({ credentialIssuer: ISSUER_URL }, DEFAULT_SD_JWT_CONFIGURATION_ID)).toBeUndefined();
    // Without the options the metadata is the one the issuer serves today.
    const plain = buildIssuerMetadata({ credentialIssuer: ISSUER_URL });
    expect(plain).not.toHaveProperty("batch_credential_issuance");
    expect(plain).not.toHaveProperty("notification_endpoint");
    expect(Object.keys(plain.credential_configurations_supported)).toEqual([JWT_ID]);
    const h = await makeHarness({ config });
    const client = new Openid4vciClient({ callbacks: { ...clientCallbacks, fetch: h.fetch } });
    const resolved = await client.resolveIssuerMetadata(ISSUER_URL);
    expect(resolved.originalDraftVersion).toBe("V1");
    expect(Object.keys(resolved.knownCredentialConfigurations).sort()).toEqual([DEFAULT_SD_JWT_CONFIGURATION_ID, JWT_ID].sort());
  });
});

describe("batch issuance: several proofs, one credential per holder key", () => {
  it("issues three unlinkable credentials for three keys with one nonce", async () => {
    const s = await session();
    const holders = await Promise.all([makeHolder(), makeHolder(), makeHolder()]);
    const res = await handleCredentialRequest(s.request({ credential_configuration_id: JWT_ID, proofs: { jwt: await Promise.all(holders.map((x) => s.proof(x))) } }), s.h.deps);
    expect(res.status).toBe(200);
    const body = res.body as { credentials: { credential: string }[]; notification_id?: string };
    expect(body.credentials).toHaveLength(3);
    const trust = trustListOf({ did: ISSUER_DID, name: "Ministry", keys: [{ id: "key-1", publicKeyJwk: s.h.issuerKey.publicJwk }] });
    const bound = [];
    for (const { credential } of body.credentials) {
      const r = await verifyCredential(credential, trust, { now: new Date("2027-03-15T00:00:00Z") });
      if (!r.valid) throw new Error(r.code);
      bound.push(r.holder);
    }
    expect(bound).toEqual(holders.map((x) => x.pair.did));
    expect(s.h.issued.map((i) => i.holderDid)).toEqual(holders.map((x) => x.pair.did));
  });

  it("refuses a batch with two proofs of one key, proofs with different nonces, and more than batch_size proofs, issuing nothing", async () => {
    const one = await makeHolder();
    const two = await makeHolder();
    const s = await session();
    const cases: [string, () => Promise<unknown[]>, string][] = [
      ["same key twice", async () => [await s.proof(one), await s.proof(one)], "invalid_proof"],
      ["two nonces", async () => [await s.proof(one), await s.proof(two, "another-nonce")], "invalid_proof"],
      ["four proofs", async () => Promise.all([one, two, await makeHolder(), await makeHolder()].map((x) => s.proof(x))), "invalid_credential_request"],
    ];
    for (const [name, jwts, error] of cases) {
      const res = await handleCredentialRequest(s.request({ credential_configuration_id: JWT_ID, proofs: { jwt: await jwts() } }), s.h.deps);
      expect([name, res.status, (res.body as { error: string }).error]).toEqual([name, 400, error]);
    }
    expect(s.h.issued).toEqual([]);
  });
});

describe("the SD-JWT VC configuration", () => {
  it("tells issueCredential the configuration and its format, so the issuer signs a dc+sd-jwt", async () => {
    const { issueSdJwtVc } = await import("@haki/credentials/sd-jwt");
    const { withIdentifier } = await import("@haki/credentials/keys");
    const seen: unknown[] = [];
    const s = await session(
      {
        async issueCredential(args) {
          seen.push({ format: args.format, id: args.credentialConfigurationId });
          const key = withIdentifier(s.h.issuerKey, "did:web:issuer.haki.example", "key-1");
          return issueSdJwtVc(
            {
              issuerUrl: ISSUER_URL,
              holder: args.holderDid,
              subject: { beneficiary: "HK-7M2Q9XK4TB", programme: { id: "p", name: "P" }, cycle: "c", benefit: { type: "Cash", amount: 1, currency: "KES" }, redemption: "single" },
              validFrom: "2027-03-01",
              validUntil: "2027-04-01",
              status: { uri: `${ISSUER_URL}/status/1/token`, index: 1 },
            },
            key,
          );
        },
      },
      DEFAULT_SD_JWT_CONFIGURATION_ID,
    );
    const holder = await makeHolder();
    const res = await handleCredentialRequest(s.request({ credential_configuration_id: DEFAULT_SD_JWT_CONFIGURATION_ID, proofs: { jwt: [await s.proof(holder)] } }), s.h.deps);
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ format: "dc+sd-jwt", id: DEFAULT_SD_JWT_CONFIGURATION_ID }]);
    const sdJwt = (res.body as { credentials: { credential: string }[] }).credentials[0]!.credential;
    const trust = trustListOf({ did: ISSUER_DID, name: "Ministry", keys: [{ id: "key-1", publicKeyJwk: s.h.issuerKey.publicJwk }] });
    const r = await verifySdJwtVc(sdJwt, trust, { now: new Date("2027-03-15T00:00:00Z"), requireKeyBinding: false });
    expect(r.valid && r.format).toBe("dc+sd-jwt");
    // An offer of the jwt configuration cannot be redeemed for the SD-JWT one.
    const other = await session();
    const wrong = await handleCredentialRequest(other.request({ credential_configuration_id: DEFAULT_SD_JWT_CONFIGURATION_ID, proofs: { jwt: [await other.proof(holder)] } }), other.h.deps);
    expect((wrong.body as { error: string }).error).toBe("unknown_credential_configuration");
  });

  it("refuses to register an offer of a configuration it does not have", async () => {
    const h = await makeHarness();
    await expect(registerOffer({ config: h.deps.config, store: h.store, id: "x", expiresAt: new Date(h.clock.now.getTime() + 1000), credentialConfigurationId: DEFAULT_SD_JWT_CONFIGURATION_ID })).rejects.toMatchObject({
      code: "ERR_UNKNOWN_CREDENTIAL_CONFIGURATION",
    });
  });
});

describe("credential_request_denied", () => {
  it("passes the issuer's refusal on with the spec's code (a revoked entitlement), not as a server error", async () => {
    const s = await session({
      issueCredential: async () => {
        throw new IssuanceError("ERR_CREDENTIAL_REQUEST_DENIED", { detail: "This entitlement was revoked." });
      },
    });
    const res = await handleCredentialRequest(s.request({ credential_configuration_id: JWT_ID, proofs: { jwt: [await s.proof(await makeHolder())] } }), s.h.deps);
    expect({ status: res.status, error: (res.body as { error: string }).error }).toEqual({ status: 400, error: "credential_request_denied" });
  });
});

describe("notifications", () => {
  it("gives a notification id with the credentials and takes the wallet's credential_accepted / credential_deleted through the library client", async () => {
    const events: unknown[] = [];
    let issuedFor = "";
    const s = await session({
      recordIssuance: async ({ tokenHash }) => {
        issuedFor = tokenHash;
        return { notificationId: "n-7f3a9c" };
      },
      handleNotification: async ({ notificationId, event, description, tokenHash }) => {
        if (notificationId !== "n-7f3a9c" || tokenHash !== issuedFor) return false;
        events.push({ event, description });
        return true;
      },
    });
    const res = await handleCredentialRequest(s.request({ credential_configuration_id: JWT_ID, proofs: { jwt: [await s.proof(await makeHolder())] } }), s.h.deps);
    expect((res.body as { notification_id: string }).notification_id).toBe("n-7f3a9c");

    const route = async (input: RequestInfo | URL, init?: RequestInit) => {
      const r = new Request(input as RequestInfo, init);
      if (new URL(r.url).pathname === "/api/oid4vci/notification") {
        const out = await handleNotificationRequest(r, s.h.deps);
        return new Response(out.body === undefined ? null : JSON.stringify(out.body), { status: out.status, headers: out.headers });
      }
      return s.h.fetch(input, init);
    };
    const client = new Openid4vciClient({ callbacks: { ...clientCallbacks, fetch: route as typeof fetch } });
    const issuerMetadata = await client.resolveIssuerMetadata(ISSUER_URL);
    await client.sendNotification({ issuerMetadata, accessToken: s.token, notification: { notificationId: "n-7f3a9c", event: "credential_accepted" } });
    await client.sendNotification({ issuerMetadata, accessToken: s.token, notification: { notificationId: "n-7f3a9c", event: "credential_deleted", eventDescription: "removed by the person" } });
    expect(events).toEqual([{ event: "credential_accepted", description: undefined }, { event: "credential_deleted", description: "removed by the person" }]);
  });

  it("answers invalid_notification_id and invalid_notification_request", async () => {
    const s = await session({ handleNotification: async ({ notificationId }) => notificationId === "known" });
    const send = (body: unknown) => handleNotificationRequest(s.request(body, "notification"), s.h.deps);
    const err = async (body: unknown) => {
      const r = await send(body);
      return [r.status, (r.body as { error?: string } | undefined)?.error];
    };
    expect((await send({ notification_id: "known", event: "credential_failure", event_description: "Could not store" })).status).toBe(204);
    expect(await err({ notification_id: "unknown", event: "credential_accepted" })).toEqual([400, "invalid_notification_id"]);
    expect(await err({ notification_id: "known", event: "credential_lost" })).toEqual([400, "invalid_notification_request"]);
    expect(await err({ event: "credential_accepted" })).toEqual([400, "invalid_notification_request"]);
    expect(await err({ notification_id: "known", event: "credential_failure", event_description: 'quote " not allowed' })).toEqual([400, "invalid_notification_request"]);
    const noToken = await handleNotificationRequest(new Request(`${ISSUER_URL}/api/oid4vci/notification`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), s.h.deps);
    expect(noToken.status).toBe(401);
    expect(NotificationRequest.safeParse({ notification_id: "x", event: "credential_accepted" }).success).toBe(true);
  });
});

describe("unknown paths", () => {
  it("answer JSON, never HTML", () => {
    const r = handleUnknownPath();
    expect(r.status).toBe(404);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(JSON.stringify(r.body))).toEqual({ error: "not_found", error_description: expect.any(String) });
  });
});

describe("the wallet client: a notification after receiving", () => {
  it("receiveCredential returns what notifyIssuer needs, and the issuer hears credential_accepted", async () => {
    const events: string[] = [];
    const h = await makeHarness({
      config,
      recordIssuance: async () => ({ notificationId: "n-1" }),
      handleNotification: async ({ notificationId, event }) => (notificationId === "n-1" ? (events.push(event), true) : false),
    });
    const fetchAll: typeof fetch = async (input, init) => {
      const r = new Request(input as RequestInfo, init);
      if (new URL(r.url).pathname === "/api/oid4vci/notification") {
        const out = await handleNotificationRequest(r, h.deps);
        return new Response(out.body === undefined ? null : JSON.stringify(out.body), { status: out.status, headers: out.headers });
      }
      return h.fetch(input, init);
    };
    const { offerUri } = await registerOffer({ config, store: h.store, id: "ent-n", expiresAt: new Date(h.clock.now.getTime() + 600_000) });
    const holder = await makeHolder();
    const received = await receiveCredential({ offer: await parseCredentialOfferUri(offerUri), holder: holder.holder, fetch: fetchAll, now: () => h.clock.now });
    expect(received.notification?.notificationId).toBe("n-1");
    await notifyIssuer({ received, event: "credential_accepted", fetch: fetchAll });
    expect(events).toEqual(["credential_accepted"]);
  });
});
