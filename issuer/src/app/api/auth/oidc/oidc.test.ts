import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { callRoute } from "@/test/http";
import { readSession } from "@/server/auth/sessions";
import { GET as login } from "./login/route";
import { GET as callback } from "./callback/route";

const IDP = "https://idp.haki.test";

/** A tiny OpenID provider answering through the context's fetch. */
async function makeProvider() {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
  const state = { nonce: "", sub: "idp-user-1", claims: {} as Record<string, unknown>, signWith: privateKey as CryptoKey, lastToken: null as null | URLSearchParams };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (url.pathname === "/.well-known/openid-configuration") {
      return Response.json({ issuer: IDP, authorization_endpoint: `${IDP}/authorize`, token_endpoint: `${IDP}/token`, jwks_uri: `${IDP}/jwks` });
    }
    if (url.pathname === "/jwks") return Response.json({ keys: [jwk] });
    if (url.pathname === "/token") {
      state.lastToken = new URLSearchParams(String(init?.body));
      const idToken = await new SignJWT({ nonce: state.nonce, ...state.claims })
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .setIssuer(IDP)
        .setAudience("haki-console")
        .setSubject(state.sub)
        .setIssuedAt(Math.floor(Date.parse("2027-02-15T09:00:00Z") / 1000))
        .setExpirationTime(Math.floor(Date.parse("2027-02-15T10:00:00Z") / 1000))
        .sign(state.signWith);
      return Response.json({ access_token: "x", token_type: "Bearer", id_token: idToken });
    }
    return new Response("not found", { status: 404 });
  };
  return { fetch, state };
}

describe("console login through an OpenID Connect provider", () => {
  let t: TestContext;
  let idp: Awaited<ReturnType<typeof makeProvider>>;
  let officer: Awaited<ReturnType<typeof createTestUser>>;

  beforeAll(async () => {
    idp = await makeProvider();
    t = await createTestContext("sqlite", { env: { HAKI_OIDC_ISSUER: IDP, HAKI_OIDC_CLIENT_ID: "haki-console" }, fetch: idp.fetch });
    officer = await createTestUser(t.ctx, ["officer"]);
  });
  afterAll(() => t.close());

  async function begin() {
    const res = await callRoute(login);
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get("location")!);
    const cookie = /haki_oidc=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")![1]!;
    idp.state.nonce = url.searchParams.get("nonce")!;
    return { url, cookie };
  }
  const finish = (q: string, cookie?: string) => callRoute(callback, { path: `/api/auth/oidc/callback?${q}`, headers: cookie ? { cookie: `haki_oidc=${cookie}` } : {} });

  it("redirects to the provider with state, nonce and a PKCE challenge", async () => {
    const { url } = await begin();
    expect(url.origin + url.pathname).toBe(`${IDP}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "haki-console",
      redirect_uri: "https://issuer.haki.test/api/auth/oidc/callback",
      code_challenge_method: "S256",
    });
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("signs in a known person (verified email links the account) and opens a session", async () => {
    idp.state.claims = { email: officer.actor.email, email_verified: true };
    const { url, cookie } = await begin();
    const res = await finish(`code=abc&state=${url.searchParams.get("state")}`, cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://issuer.haki.test/");
    const token = /haki_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")![1]!;
    expect((await readSession(t.ctx, token))?.actor.id).toBe(officer.actor.id);
    expect(idp.state.lastToken?.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await t.ctx.db.user.findUniqueOrThrow({ where: { id: officer.actor.id } })).toMatchObject({ oidcSubject: `${IDP}|idp-user-1` });
  });

  it("refuses a wrong state, a missing flow cookie, a wrong nonce and a forged signature", async () => {
    const { url, cookie } = await begin();
    const state = url.searchParams.get("state")!;
    const refused = async (res: Response) => {
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toMatch(/\/login\?error=ERR_/);
      expect(res.headers.get("set-cookie") ?? "").not.toContain("haki_session=");
    };
    await refused(await finish(`code=abc&state=other`, cookie));
    await refused(await finish(`code=abc&state=${state}`));
    idp.state.nonce = "replayed-nonce";
    await refused(await finish(`code=abc&state=${state}`, cookie));
    const forger = await generateKeyPair("ES256");
    const real = idp.state.signWith;
    idp.state.signWith = forger.privateKey;
    const again = await begin();
    await refused(await finish(`code=abc&state=${again.url.searchParams.get("state")}`, again.cookie));
    idp.state.signWith = real;
  });

  it("refuses someone the console does not know (no account is created)", async () => {
    const users = await t.ctx.db.user.count();
    idp.state.claims = { email: "stranger@elsewhere.test", email_verified: true };
    idp.state.sub = "idp-user-2";
    const { url, cookie } = await begin();
    const res = await finish(`code=abc&state=${url.searchParams.get("state")}`, cookie);
    expect(res.headers.get("location")).toMatch(/error=ERR_/);
    expect(await t.ctx.db.user.count()).toBe(users);
    expect(await t.ctx.db.auditEvent.count({ where: { action: "auth.oidc_refused" } })).toBe(1);
  });

  it("does not link an unverified email to an existing account", async () => {
    const approver = await createTestUser(t.ctx, ["approver"]);
    idp.state.claims = { email: approver.actor.email, email_verified: false };
    idp.state.sub = "idp-user-3";
    const { url, cookie } = await begin();
    const res = await finish(`code=abc&state=${url.searchParams.get("state")}`, cookie);
    expect(res.headers.get("location")).toMatch(/error=ERR_FORBIDDEN/);
    expect(await t.ctx.db.user.findUniqueOrThrow({ where: { id: approver.actor.id } })).toMatchObject({ oidcSubject: null });
  });
});

describe("OIDC not configured", () => {
  it("GET /api/auth/oidc/login answers 404", async () => {
    const t = await createTestContext();
    try {
      const res = await callRoute(login);
      expect(res.status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
