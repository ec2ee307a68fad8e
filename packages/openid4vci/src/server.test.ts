import { SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { base64url } from "./lib/crypto";
import { ISSUER_URL, makeHarness, makeHolder, type Harness } from "./lib/test-harness";
import { createMemoryOfferStore } from "./memory-store";
import { buildAuthorizationServerMetadata, buildIssuerMetadata } from "./metadata";
import { generateTxCode } from "./offer";
import {
  handleAuthorizationServerMetadataRequest,
  handleCredentialRequest,
  handleIssuerMetadataRequest,
  handleNonceRequest,
  handlePreflightRequest,
  handleTokenRequest,
  registerOffer,
  toResponse,
  type HandlerResponse,
} from "./server";
import { hashSecret, type OfferStore } from "./store";

const PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
const TOKEN_URL = `${ISSUER_URL}/api/oid4vci/token`;
const CREDENTIAL_URL = `${ISSUER_URL}/api/oid4vci/credential`;
const CONFIG_ID = "EntitlementCredential_jwt_vc_json";

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  new Request(TOKEN_URL, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });

const json = (body: unknown, token?: string, contentType = "application/json") =>
  new Request(CREDENTIAL_URL, {
    method: "POST",
    headers: { "content-type": contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** A POST whose body never ends (streamed, no length): a handler must stop reading at its limit. */
const endless = (url: string, contentType: string, token?: string) =>
  new Request(url, {
    method: "POST",
    headers: { "content-type": contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(16_384).fill(0x20)) }),
    duplex: "half",
  } as RequestInit);

function errorOf(res: HandlerResponse): { status: number; error: unknown; haki: unknown } {
  const body = res.body as Record<string, unknown>;
  return { status: res.status, error: body.error, haki: body.haki_error };
}

describe("metadata", () => {
  it("describes one jwt_vc_json credential with jwt proofs and a nonce endpoint", () => {
    const md = buildIssuerMetadata({ credentialIssuer: ISSUER_URL });
    expect(md.credential_issuer).toBe(ISSUER_URL);
    expect(md.credential_endpoint).toBe(CREDENTIAL_URL);
    expect(md.nonce_endpoint).toBe(`${ISSUER_URL}/api/oid4vci/nonce`);
    const conf = md.credential_configurations_supported[CONFIG_ID] as Record<string, unknown>;
    expect(conf.format).toBe("jwt_vc_json");
    expect(conf.proof_types_supported).toEqual({ jwt: { proof_signing_alg_values_supported: ["EdDSA"] } });
    expect(conf.credential_definition).toEqual({ type: ["VerifiableCredential", "EntitlementCredential"] });
    const as = buildAuthorizationServerMetadata({ credentialIssuer: ISSUER_URL });
    expect(as.token_endpoint).toBe(TOKEN_URL);
    expect(as["pre-authorized_grant_anonymous_access_supported"]).toBe(true);
  });

  it("refuses a bad configuration", () => {
    expect(() => buildIssuerMetadata({ credentialIssuer: "not a url" })).toThrow();
    expect(() => buildIssuerMetadata({ credentialIssuer: `${ISSUER_URL}/` })).toThrow();
  });
});

describe("CORS for browser wallets", () => {
  it("answers preflights and marks every response readable cross-origin", async () => {
    const h = await makeHarness();
    const preflight = toResponse(handlePreflightRequest());
    expect(preflight.status).toBe(204);
    expect(await preflight.text()).toBe("");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    const responses = [
      handleIssuerMetadataRequest(h.deps.config),
      handleAuthorizationServerMetadataRequest(h.deps.config),
      await handleTokenRequest(form({ grant_type: PRE_AUTH, "pre-authorized_code": "unknown" }), h.deps),
      await handleNonceRequest(new Request(`${ISSUER_URL}/api/oid4vci/nonce`, { method: "POST" }), h.deps),
      await handleCredentialRequest(json({}), h.deps),
    ];
    for (const res of responses) expect(res.headers["access-control-allow-origin"]).toBe("*");
  });
});

describe("offers keep only hashes", () => {
  it("stores the SHA-256 of the code and PIN, never the values", async () => {
    const inner = createMemoryOfferStore();
    const saved: unknown[] = [];
    const spy: OfferStore = { ...inner, createOffer: async (args) => { saved.push(args); return inner.createOffer(args); } };
    const { offer, txCode } = await registerOffer({
      config: { credentialIssuer: ISSUER_URL }, store: spy, id: "ent-h", expiresAt: new Date("2027-03-02T00:00:00Z"), txCodeLength: 6,
    });
    const code = offer.grants?.[PRE_AUTH]?.["pre-authorized_code"] as string;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const text = JSON.stringify(saved);
    expect(text).not.toContain(code);
    expect(text).not.toContain(`"${txCode}"`);
    expect(saved[0]).toEqual({ offer: expect.objectContaining({ codeHash: await hashSecret(code), txCodeHash: await hashSecret(txCode ?? "") }) });
  });

  it("draws PIN digits evenly", async () => {
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 400; i++) for (const d of await generateTxCode(5)) counts[Number(d)] += 1;
    // 2,000 digits: each expected 200; a biased generator (e.g. 0-5 favoured) drifts far more.
    for (const c of counts) expect(c).toBeGreaterThan(130);
  });
});

describe("token endpoint", () => {
  let h: Harness;
  let code: string;
  beforeEach(async () => {
    h = await makeHarness();
    const { offer } = await registerOffer({ config: h.deps.config, store: h.store, id: "ent-t", expiresAt: new Date(h.clock.now.getTime() + 600_000) });
    code = offer.grants?.[PRE_AUTH]?.["pre-authorized_code"] as string;
  });

  it("answers a Bearer token and a c_nonce, with no-store", async () => {
    const res = await handleTokenRequest(form({ grant_type: PRE_AUTH, "pre-authorized_code": code }), h.deps);
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 300, c_nonce: expect.any(String), c_nonce_expires_in: 300 });
  });

  it.each([
    ["GET", () => new Request(TOKEN_URL), "invalid_request", "invalid_request"],
    ["JSON body", () => json({ grant_type: PRE_AUTH }), "invalid_request", "invalid_request"],
    ["no grant type", () => form({ "pre-authorized_code": "x" }), "invalid_request", "invalid_request"],
    ["no code", () => form({ grant_type: PRE_AUTH }), "invalid_request", "invalid_request"],
    ["client credentials", () => form({ grant_type: "client_credentials" }), "unsupported_grant_type", "unsupported_grant_type"],
    ["authorization code", () => form({ grant_type: "authorization_code", code: "abc" }), "unsupported_grant_type", "unsupported_grant_type"],
    ["unknown code", () => form({ grant_type: PRE_AUTH, "pre-authorized_code": "not-a-real-code" }), "invalid_grant", "offer_unknown"],
    ["a body that never ends", () => endless(TOKEN_URL, "application/x-www-form-urlencoded"), "invalid_request", "invalid_request"],
  ])("refuses %s with 400 and a code", async (_name, make, error, haki) => {
    expect(errorOf(await handleTokenRequest(make(), h.deps))).toEqual({ status: 400, error, haki });
  });

  it("refuses the same code twice", async () => {
    expect((await handleTokenRequest(form({ grant_type: PRE_AUTH, "pre-authorized_code": code }), h.deps)).status).toBe(200);
    expect(errorOf(await handleTokenRequest(form({ grant_type: PRE_AUTH, "pre-authorized_code": code }), h.deps))).toEqual({
      status: 400, error: "invalid_grant", haki: "offer_already_used",
    });
  });
});

describe("nonce endpoint", () => {
  it("gives a fresh nonce on POST only", async () => {
    const h = await makeHarness();
    const url = `${ISSUER_URL}/api/oid4vci/nonce`;
    const a = await handleNonceRequest(new Request(url, { method: "POST" }), h.deps);
    const b = await handleNonceRequest(new Request(url, { method: "POST" }), h.deps);
    expect(a.status).toBe(200);
    expect((a.body as { c_nonce: string }).c_nonce).not.toBe((b.body as { c_nonce: string }).c_nonce);
    expect(errorOf(await handleNonceRequest(new Request(url), h.deps)).status).toBe(400);
  });
});

describe("credential endpoint: access token and key proof", () => {
  let h: Harness;
  let token: string;
  let nonce: string;
  let holder: Awaited<ReturnType<typeof makeHolder>>;
  const nowSeconds = () => Math.floor(h.clock.now.getTime() / 1000);

  beforeEach(async () => {
    h = await makeHarness();
    holder = await makeHolder();
    const { offer } = await registerOffer({ config: h.deps.config, store: h.store, id: "ent-c", expiresAt: new Date(h.clock.now.getTime() + 600_000) });
    const res = await handleTokenRequest(form({ grant_type: PRE_AUTH, "pre-authorized_code": offer.grants?.[PRE_AUTH]?.["pre-authorized_code"] as string }), h.deps);
    ({ access_token: token, c_nonce: nonce } = res.body as { access_token: string; c_nonce: string });
  });

  const proof = async (opts: { header?: Record<string, unknown>; payload?: Record<string, unknown>; key?: CryptoKey } = {}) =>
    new SignJWT({ aud: ISSUER_URL, iat: nowSeconds(), nonce, ...opts.payload })
      .setProtectedHeader({ alg: "EdDSA", typ: "openid4vci-proof+jwt", kid: holder.pair.kid, ...opts.header } as { alg: string })
      .sign(opts.key ?? holder.pair.privateKey);

  const request = (jwt: string, extra: Record<string, unknown> = {}) =>
    handleCredentialRequest(json({ credential_configuration_id: CONFIG_ID, proof: { proof_type: "jwt", jwt }, ...extra }, token), h.deps);

  it("issues once for a good proof, then the token is spent", async () => {
    const res = await request(await proof());
    expect(res.status).toBe(200);
    expect((res.body as { credentials: Array<{ credential: string }> }).credentials[0]?.credential.split(".")).toHaveLength(3);
    expect(h.issued[0]?.holderDid).toBe(holder.pair.did);
    const again = await handleNonceRequest(new Request(`${ISSUER_URL}/api/oid4vci/nonce`, { method: "POST" }), h.deps);
    nonce = (again.body as { c_nonce: string }).c_nonce;
    expect(errorOf(await request(await proof()))).toEqual({ status: 401, error: "invalid_token", haki: "invalid_token" });
  });

  it("accepts a holder key given as a jwk header and binds to its did:jwk", async () => {
    const res = await request(await proof({ header: { kid: undefined, jwk: holder.pair.publicJwk } }));
    expect(res.status).toBe(200);
    expect(h.issued[0]?.holderDid.startsWith("did:jwk:")).toBe(true);
  });

  it("accepts the proofs (plural) form", async () => {
    const res = await handleCredentialRequest(json({ credential_configuration_id: CONFIG_ID, proofs: { jwt: [await proof()] } }, token), h.deps);
    expect(res.status).toBe(200);
  });

  it("refuses a bad signature, wrong aud, stale or future iat, wrong typ and alg none", async () => {
    const other = await makeHolder();
    const none = `${base64url(new TextEncoder().encode(JSON.stringify({ alg: "none", typ: "openid4vci-proof+jwt", kid: holder.pair.kid })))}.${base64url(
      new TextEncoder().encode(JSON.stringify({ aud: ISSUER_URL, iat: nowSeconds(), nonce })),
    )}.`;
    const cases: Array<[string, string]> = [
      ["signed by another key", await proof({ key: other.pair.privateKey })],
      ["wrong aud", await proof({ payload: { aud: "https://evil.example" } })],
      ["stale iat", await proof({ payload: { iat: nowSeconds() - 301 } })],
      ["future iat", await proof({ payload: { iat: nowSeconds() + 120 } })],
      ["wrong typ", await proof({ header: { typ: "JWT" } })],
      ["no iat", await proof({ payload: { iat: undefined } })],
      ["alg none", none],
      ["not a JWT", "abc.def"],
      ["tampered payload", (await proof()).replace(/\.([^.]+)\./, (_m, p: string) => `.${p.slice(0, -2)}AA.`)],
    ];
    for (const [name, jwt] of cases) {
      expect([name, errorOf(await request(jwt))]).toEqual([name, { status: 400, error: "invalid_proof", haki: "invalid_proof" }]);
    }
    // None of those spent the token or the nonce.
    expect((await request(await proof())).status).toBe(200);
  });

  it("refuses an unknown or missing nonce", async () => {
    expect(errorOf(await request(await proof({ payload: { nonce: "made-up" } }))).error).toBe("invalid_nonce");
    expect(errorOf(await request(await proof({ payload: { nonce: undefined } }))).error).toBe("invalid_nonce");
  });

  it("refuses an expired nonce, and an expired access token", async () => {
    h.deps.nonceTtlSeconds = 60;
    h.deps.accessTokenTtlSeconds = 600;
    const { offer } = await registerOffer({ config: h.deps.config, store: h.store, id: "ent-ttl", expiresAt: new Date(h.clock.now.getTime() + 600_000) });
    const res = await handleTokenRequest(form({ grant_type: PRE_AUTH, "pre-authorized_code": offer.grants?.[PRE_AUTH]?.["pre-authorized_code"] as string }), h.deps);
    ({ access_token: token, c_nonce: nonce } = res.body as { access_token: string; c_nonce: string });
    h.clock.now = new Date(h.clock.now.getTime() + 61_000);
    expect(errorOf(await request(await proof()))).toEqual({ status: 400, error: "invalid_nonce", haki: "invalid_nonce" });
    h.clock.now = new Date(h.clock.now.getTime() + 600_000);
    expect(errorOf(await request(await proof()))).toEqual({ status: 401, error: "invalid_token", haki: "invalid_token" });
  });

  it("refuses a nonce used once already", async () => {
    const hh = await makeHarness({ accessTokenTtlSeconds: 3600, nonceTtlSeconds: 3600 });
    h = hh;
    const mk = async (id: string) => {
      const { offer } = await registerOffer({ config: hh.deps.config, store: hh.store, id, expiresAt: new Date(hh.clock.now.getTime() + 600_000) });
      const res = await handleTokenRequest(form({ grant_type: PRE_AUTH, "pre-authorized_code": offer.grants?.[PRE_AUTH]?.["pre-authorized_code"] as string }), hh.deps);
      return res.body as { access_token: string; c_nonce: string };
    };
    const a = await mk("ent-n1");
    const b = await mk("ent-n2");
    nonce = a.c_nonce;
    token = a.access_token;
    expect((await request(await proof())).status).toBe(200);
    token = b.access_token;
    expect(errorOf(await request(await proof()))).toEqual({ status: 400, error: "invalid_nonce", haki: "invalid_nonce" });
  });

  it.each([
    ["no Authorization", async () => handleCredentialRequest(json({ credential_configuration_id: CONFIG_ID }), h.deps), 401, "invalid_token"],
    ["unknown token", async () => handleCredentialRequest(json({ credential_configuration_id: CONFIG_ID }, "x".repeat(43)), h.deps), 401, "invalid_token"],
    ["Basic auth", async () => handleCredentialRequest(new Request(CREDENTIAL_URL, { method: "POST", headers: { authorization: `Basic ${token}`, "content-type": "application/json" }, body: "{}" }), h.deps), 401, "invalid_token"],
    ["malformed JSON", async () => handleCredentialRequest(json("{not json", token), h.deps), 400, "invalid_credential_request"],
    ["JSON array", async () => handleCredentialRequest(json("[]", token), h.deps), 400, "invalid_credential_request"],
    ["form body", async () => handleCredentialRequest(json("a=b", token, "application/x-www-form-urlencoded"), h.deps), 400, "invalid_credential_request"],
    ["no credential id", async () => handleCredentialRequest(json({ proof: { proof_type: "jwt", jwt: "a.b.c" } }, token), h.deps), 400, "invalid_credential_request"],
    ["unknown credential id", async () => handleCredentialRequest(json({ credential_configuration_id: "Passport", proof: { proof_type: "jwt", jwt: "a.b.c" } }, token), h.deps), 400, "unknown_credential_configuration"],
    ["no proof", async () => handleCredentialRequest(json({ credential_configuration_id: CONFIG_ID }, token), h.deps), 400, "invalid_proof"],
    ["two proofs without batch issuance", async () => handleCredentialRequest(json({ credential_configuration_id: CONFIG_ID, proofs: { jwt: [await proof(), await proof()] } }, token), h.deps), 400, "invalid_credential_request"],
    ["GET", async () => handleCredentialRequest(new Request(CREDENTIAL_URL, { headers: { authorization: `Bearer ${token}` } }), h.deps), 400, "invalid_credential_request"],
    ["a body that never ends", async () => handleCredentialRequest(endless(CREDENTIAL_URL, "application/json", token), h.deps), 400, "invalid_credential_request"],
  ])("refuses %s", async (_name, run, status, error) => {
    const res = await run();
    expect({ status: res.status, error: (res.body as { error: string }).error }).toEqual({ status, error });
    if (status === 401) expect(res.headers["www-authenticate"]).toContain("invalid_token");
  });

  it("answers 500 server_error when signing fails, without leaking the cause", async () => {
    h.failIssuance.on = true;
    const res = await request(await proof());
    expect(errorOf(res)).toEqual({ status: 500, error: "server_error", haki: "issuance_failed" });
    expect(JSON.stringify(res.body)).not.toContain("HSM");
  });
});

describe("a server's own hashSecret (node:crypto)", () => {
  it("is used for codes, tokens and nonces, and a flow with it matches what registerOffer stored", async () => {
    const { createHash } = await import("node:crypto");
    let calls = 0;
    const h = await makeHarness({ hashSecret: (s) => (calls++, createHash("sha256").update(s).digest("hex")) });
    expect(await h.deps.hashSecret!("abc")).toBe(await hashSecret("abc"));
    calls = 0;
    const holder = await makeHolder();
    const { offer } = await registerOffer({ config: h.deps.config, store: h.store, id: "ent-h", expiresAt: new Date(h.clock.now.getTime() + 600_000) });
    const res = await handleTokenRequest(form({ grant_type: PRE_AUTH, "pre-authorized_code": offer.grants?.[PRE_AUTH]?.["pre-authorized_code"] as string }), h.deps);
    expect(res.status).toBe(200);
    const { access_token, c_nonce } = res.body as { access_token: string; c_nonce: string };
    const jwt = await new SignJWT({ aud: ISSUER_URL, iat: Math.floor(h.clock.now.getTime() / 1000), nonce: c_nonce })
      .setProtectedHeader({ alg: "EdDSA", typ: "openid4vci-proof+jwt", kid: holder.pair.kid })
      .sign(holder.pair.privateKey);
    expect((await handleCredentialRequest(json({ credential_configuration_id: CONFIG_ID, proof: { proof_type: "jwt", jwt } }, access_token), h.deps)).status).toBe(200);
    expect(calls).toBe(5); // code, token, nonce; then token and nonce again
  });
});
