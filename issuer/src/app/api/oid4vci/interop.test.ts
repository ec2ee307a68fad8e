/**
 * Two third-party wallet libraries run the pre-authorised flow with a transaction code against the
 * issuer's real route handlers (served on a local port, found on disk and matched as Next matches
 * them): Sphereon's `@sphereon/oid4vci-client` 0.20.1 (its own HTTP stack, node-fetch; it probes
 * `/.well-known/openid-configuration` first and JSON-parses what comes back) and the OpenWallet
 * Foundation's `@openid4vc/openid4vci` client. Both credential configurations (VC 2.0 `vc+jwt` in
 * `jwt_vc_json`, and `dc+sd-jwt`), both holder key kinds (did:key by `kid`, a bare `jwk` header).
 * What they receive is checked by Haki's verifiers against the issuer's published keys, bound to the
 * key the library proved; the notification each sends lands on the delivery.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, exportJWK, decodeProtectedHeader, type JWK } from "jose";
import { OpenID4VCIClientV1_0_15 } from "@sphereon/oid4vci-client";
import { Openid4vciClient } from "@openid4vc/openid4vci";
import { clientAuthenticationAnonymous, type JwtSigner, type SignJwtCallback } from "@openid4vc/oauth2";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { didJwkFromPublicJwk } from "@haki/credentials/did";
import { verifyCredential } from "@haki/credentials/verify";
import { verifySdJwtVc } from "@haki/credentials/sd-jwt";
import { trustListOf, type TrustList } from "@haki/credentials/trust";
import { createTestContext, type TestContext } from "@/test/context";
import { createIssuedCycle } from "@/test/fixtures";
import { startRouteServer, type RouteServer } from "@/test/route-server";
import { createOffer } from "@/server/delivery/create-offer";

type Format = "jwt_vc_json" | "dc+sd-jwt";
type KeyKind = "did:key" | "jwk";
const CONFIG: Record<Format, string> = { jwt_vc_json: "EntitlementCredential_jwt_vc_json", "dc+sd-jwt": "EntitlementCredential_dc_sd_jwt" };
const CASES = (["jwt_vc_json", "dc+sd-jwt"] as const).flatMap((format) => (["did:key", "jwk"] as const).map((kind) => ({ format, kind })));

describe("third-party wallet libraries against the issuer's route handlers", () => {
  let server: RouteServer;
  let t: TestContext;
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  let trust: TrustList;
  let next = 0;

  beforeAll(async () => {
    server = await startRouteServer();
    t = await createTestContext("sqlite", { env: { HAKI_PUBLIC_URL: server.origin } });
    t.clock.now = new Date();
    fx = await createIssuedCycle(t.ctx, CASES.length * 2 + 1);
    await t.ctx.db.cycle.update({ where: { id: fx.cycleId }, data: { validFrom: new Date(Date.now() - 86_400_000), validUntil: new Date(Date.now() + 30 * 86_400_000) } });
    const keys = await t.ctx.keys.listPublicKeys();
    trust = trustListOf({ did: t.ctx.did, name: "Test", keys: keys.map((k) => ({ id: k.kid, publicKeyJwk: k.publicJwk })) });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await server.close();
  });

  /** A fresh entitlement's offer with a PIN, made as the console makes it. */
  async function offer(format: Format) {
    const e = fx.entitlements[next++]!;
    const made = await createOffer(t.ctx, { entitlementId: e.id, withPin: true, format }, fx.officer.actor);
    return { entitlement: e, offerUri: made.offerUri, txCode: made.txCode! };
  }

  async function holder(kind: KeyKind) {
    const pair: HakiKeyPair = await generateKeyPair();
    const jwk = (await exportJWK(pair.publicKey)) as JWK & { x: string };
    const did = kind === "did:key" ? pair.did : didJwkFromPublicJwk({ kty: "OKP", crv: "Ed25519", x: jwk.x });
    return { pair, jwk: { kty: "OKP", crv: "Ed25519", x: jwk.x }, did };
  }

  /** Checks the credential with Haki's verifiers and that it is bound to the proven key. */
  async function expectIssued(credential: string, format: Format, h: Awaited<ReturnType<typeof holder>>, ref: string) {
    if (format === "jwt_vc_json") {
      expect(decodeProtectedHeader(credential).typ).toBe("vc+jwt");
      const r = await verifyCredential(credential, trust, { now: new Date() });
      expect(r).toMatchObject({ valid: true, format: "vc2", holder: h.did });
      if (r.valid) expect(r.subject.beneficiary).toBe(ref);
    } else {
      expect(decodeProtectedHeader(credential).typ).toBe("dc+sd-jwt");
      const r = await verifySdJwtVc(credential, trust, { now: new Date(), requireKeyBinding: false });
      expect(r).toMatchObject({ valid: true, subject: { beneficiary: ref } });
      if (r.valid) expect((r.claims.cnf as { jwk: { x: string } }).jwk.x).toBe(h.jwk.x);
    }
  }

  const walletEventOf = async (entitlementId: string) => (await t.ctx.db.offer.findUniqueOrThrow({ where: { id: entitlementId } })).walletEvent;

  describe("@sphereon/oid4vci-client 0.20.1", () => {
    it.each(CASES)("receives $format with a $kind key, PIN and notification", async ({ format, kind }) => {
      const { entitlement, offerUri, txCode } = await offer(format);
      const h = await holder(kind);
      const seen = server.requests.length;
      const client = await OpenID4VCIClientV1_0_15.fromURI({ uri: offerUri, retrieveServerMetadata: true, ...(kind === "did:key" ? { kid: h.pair.kid } : {}), alg: "EdDSA" });
      expect(client.getCredentialOfferConfigurationIds()).toEqual([CONFIG[format]]);
      expect(client.hasNonceEndpoint()).toBe(true);
      // Its first look is at the OpenID Connect discovery document, which the issuer does not have.
      expect(server.requests.slice(seen)).toContain("GET /.well-known/openid-configuration 404");
      await client.acquireAccessToken({ pin: txCode });
      const signCallback = async (jwt: { header: Record<string, unknown>; payload: Record<string, unknown> }) =>
        new SignJWT(jwt.payload).setProtectedHeader({ ...(jwt.header as { alg: string }), alg: "EdDSA" }).sign(h.pair.privateKey);
      const response = await client.acquireCredentials({
        credentialConfigurationId: CONFIG[format],
        format,
        proofCallbacks: { signCallback },
        alg: "EdDSA",
        ...(kind === "did:key" ? { kid: h.pair.kid } : { jwk: h.jwk }),
      });
      const credential = (response.credentials?.[0] as { credential?: string } | undefined)?.credential ?? (response as { credential?: string }).credential;
      expect(typeof credential).toBe("string");
      await expectIssued(credential!, format, h, entitlement.beneficiary.ref);
      expect(response.notification_id).toEqual(expect.any(String));
      const notificationEndpoint = client.endpointMetadata.credentialIssuerMetadata?.notification_endpoint;
      expect(notificationEndpoint).toBe(`${server.origin}/api/oid4vci/notification`);
      const sent = await client.sendNotification({ notificationEndpoint }, { notification_id: response.notification_id!, event: "credential_accepted" }, response.access_token);
      expect(sent.error).toBe(false);
      expect(await walletEventOf(entitlement.id)).toBe("credential_accepted");
    });
  });

  describe("@openid4vc/openid4vci client 0.4.6", () => {
    const callbacks = (sign: SignJwtCallback) => ({
      fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
      hash: (data: Uint8Array) => new Uint8Array(createHash("sha256").update(data).digest()),
      generateRandom: (n: number) => new Uint8Array(randomBytes(n)),
      signJwt: sign,
      clientAuthentication: clientAuthenticationAnonymous(),
    });

    it.each(CASES)("receives $format with a $kind key, PIN and notification", async ({ format, kind }) => {
      const { entitlement, offerUri, txCode } = await offer(format);
      const h = await holder(kind);
      const signJwt: SignJwtCallback = async (_signer: JwtSigner, jwt) => ({
        jwt: await new SignJWT(jwt.payload as Record<string, unknown>).setProtectedHeader(jwt.header as { alg: string }).sign(h.pair.privateKey),
        signerJwk: h.jwk as never,
      });
      const client = new Openid4vciClient({ callbacks: callbacks(signJwt) });
      const credentialOffer = await client.resolveCredentialOffer(offerUri);
      const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
      const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode });
      const { c_nonce } = await client.requestNonce({ issuerMetadata });
      const { jwt } = await client.createCredentialRequestJwtProof({
        issuerMetadata,
        credentialConfigurationId: CONFIG[format],
        signer: kind === "did:key" ? { method: "did", didUrl: h.pair.kid, alg: "EdDSA" } : { method: "jwk", publicJwk: h.jwk as never, alg: "EdDSA" },
        nonce: c_nonce,
      });
      const { credentialResponse } = await client.retrieveCredentials({
        issuerMetadata,
        accessToken: accessTokenResponse.access_token,
        credentialConfigurationId: CONFIG[format],
        proof: { proof_type: "jwt", jwt },
      });
      const credential = (credentialResponse.credentials?.[0] as { credential: string }).credential;
      await expectIssued(credential, format, h, entitlement.beneficiary.ref);
      await client.sendNotification({
        issuerMetadata,
        accessToken: accessTokenResponse.access_token,
        notification: { notificationId: credentialResponse.notification_id!, event: "credential_deleted" },
      });
      expect(await walletEventOf(entitlement.id)).toBe("credential_deleted");
    });

    it("refuses a wrong PIN in the spec's shape, with what Haki adds (attempts left)", async () => {
      const { offerUri, txCode } = await offer("jwt_vc_json");
      const client = new Openid4vciClient({ callbacks: callbacks(() => Promise.reject(new Error("no signing"))) });
      const credentialOffer = await client.resolveCredentialOffer(offerUri);
      const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
      const wrong = txCode === "000000" ? "111111" : "000000";
      const error = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: wrong }).catch((e: unknown) => e);
      expect((error as { errorResponse?: unknown }).errorResponse).toMatchObject({ error: "invalid_grant", haki_error: "tx_code_wrong", attempts_left: 4 });
    });
  });

  it("answers the probes the libraries make before the flow as JSON, never HTML", async () => {
    for (const path of ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server/x", "/api/oid4vci/deferred_credential"]) {
      const res = await fetch(`${server.origin}${path}`);
      expect([res.status, res.headers.get("content-type")]).toEqual([404, "application/json"]);
      expect(await res.json()).toMatchObject({ error: "not_found" });
    }
  });
});
