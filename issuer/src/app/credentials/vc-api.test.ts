import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, importJWK, jwtVerify } from "jose";
import { generateKeyPair } from "@haki/credentials/keys";
import { signPresentation } from "@haki/credentials/presentation";
import { signCredential } from "@haki/credentials/sign";
import { entitlementInput } from "@/server/issuance/entitlement-input";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { createIssuedCycle } from "@/test/fixtures";
import { POST as issue } from "./issue/route";
import { POST as verify } from "./verify/route";
import { POST as verifyPresentation } from "@/app/presentations/verify/route";
import { POST as tokens } from "@/app/api/tokens/route";
import { changeStatus } from "@/server/status/change-status";
import { useTestContext } from "@/test/suite";

const V2 = "https://www.w3.org/ns/credentials/v2";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const unwrap = (vc: { id: string }) => vc.id.slice("data:application/vc+jwt,".length);

async function makeTokens(t: TestContext) {
  const admin = await createTestUser(t.ctx, ["admin"]);
  const make = async (scopes: string[]) =>
    ((await (await callRoute(tokens, { method: "POST", headers: admin.headers, body: { name: scopes.join("+"), scopes } })).json()) as { token: string }).token;
  return { issue: await make(["issue"]), any: await make(["issue:any"]), verify: await make(["verify"]) };
}

describe("W3C VC-API: POST /credentials/issue, /credentials/verify, /presentations/verify", () => {
  const t = useTestContext();
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  let tk: Awaited<ReturnType<typeof makeTokens>>;
  let programme: string;
  beforeAll(async () => {
    t.clock.now = new Date("2027-03-05T10:00:00Z");
    fx = await createIssuedCycle(t.ctx, 4);
    tk = await makeTokens(t);
    programme = (await t.ctx.db.programme.findFirstOrThrow()).code;
  }, 60_000);

  const subject = (i = 0, extra: object = {}) => ({ credential: { credentialSubject: { beneficiary: fx.entitlements[i]!.beneficiary.ref, programme, cycle: "2027-03", ...extra } } });
  const post = (route: typeof issue, token: string, body: object) => callRoute(route, { method: "POST", headers: bearer(token), body });
  const verified = async (body: object) => (await (await post(verify, tk.verify, body)).json()) as { verified: boolean; errors: { code: string; type?: string }[]; warnings: unknown[]; checks: string[]; status?: object };

  it("only admins make tokens, and a token is stored hashed", async () => {
    const officer = await createTestUser(t.ctx, ["officer"]);
    const res = await callRoute(tokens, { method: "POST", headers: officer.headers, body: { name: "x", scopes: ["issue"] } });
    expect(res.status).toBe(403);
    expect(JSON.stringify(await t.ctx.db.apiToken.findMany())).not.toContain(tk.issue);
  });

  it("issues a holder-bound entitlement as an EnvelopedVerifiableCredential (VC 2.0 vc+jwt) that verifies as a string and enveloped", async () => {
    const holder = await generateKeyPair();
    const res = await post(issue, tk.issue, subject(0, { id: holder.did }));
    expect(res.status).toBe(201);
    const { verifiableCredential } = (await res.json()) as { verifiableCredential: { "@context": string[]; id: string; type: string } };
    expect(verifiableCredential).toMatchObject({ "@context": [V2], type: "EnvelopedVerifiableCredential" });
    expect(verifiableCredential.id).toMatch(/^data:application\/vc\+jwt,ey/);
    const jwt = unwrap(verifiableCredential);
    expect(decodeProtectedHeader(jwt).typ).toBe("vc+jwt");
    expect(decodeJwt(jwt)).toMatchObject({ issuer: t.ctx.did, credentialSubject: { id: holder.did } });
    for (const form of [jwt, verifiableCredential]) {
      expect(await verified({ verifiableCredential: form })).toMatchObject({ verified: true, errors: [], status: { revocation: "ok", suspension: "ok" } });
    }
  });

  it("keeps verifying VC 1.1 entitlement cards (the cards already in people's hands)", async () => {
    const e = await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: fx.entitlements[3]!.id }, include: { beneficiary: true, cycle: { include: { programme: true } } } });
    const key = await t.ctx.keys.getSigningKey();
    const vc1 = await signCredential(entitlementInput({ entitlement: e, cycle: e.cycle, programme: e.cycle.programme, beneficiary: e.beneficiary }, { did: key.did, publicUrl: t.ctx.env.HAKI_PUBLIC_URL }), key, { format: "vc1" });
    expect(decodeProtectedHeader(vc1).typ).toBe("JWT");
    expect(await verified({ verifiableCredential: vc1 })).toMatchObject({ verified: true, status: { revocation: "ok", suspension: "ok" } });
  });

  it("reports a revoked credential as not verified, with the code", async () => {
    const jwt = fx.entitlements[1]!.credential!;
    await changeStatus(t.ctx, { action: "revoke", entitlementId: fx.entitlements[1]!.id, reason: "Exited the programme" }, fx.officer.actor);
    expect(await verified({ verifiableCredential: jwt })).toMatchObject({ verified: false, errors: [{ code: "ERR_REVOKED", message: "This card was cancelled." }] });
    const again = await post(issue, tk.issue, subject(1));
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("ERR_INVALID_STATE");
  });

  it("reports a tampered credential, alg none and an unsecured credential as not verified, with VCDM problem types", async () => {
    const [h, p, s] = fx.entitlements[0]!.credential!.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString()) as { credentialSubject: { benefit: { quantity: number } } };
    payload.credentialSubject.benefit.quantity = 250;
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    expect(await verified({ verifiableCredential: forged })).toMatchObject({ verified: false, errors: [{ code: "ERR_SIGNATURE_INVALID", type: "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR" }] });
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "vc+jwt" })).toString("base64url")}.${p}.`;
    expect((await verified({ verifiableCredential: none })).errors[0]!.code).toBe("ERR_ALG_UNSUPPORTED");
    expect((await verified({ verifiableCredential: { ...payload, "@context": [V2] } })).errors[0]!.code).toBe("ERR_MALFORMED");
    expect((await verified({ verifiableCredential: "not a jwt" })).errors[0]).toMatchObject({ code: "ERR_MALFORMED", type: "https://www.w3.org/TR/vc-data-model#PARSING_ERROR" });
  });

  it("issue:any issues any VC 2.0 credential: any subject id, several subjects, inline context objects; jose verifies it; the VC-API verifies it", async () => {
    const credential = {
      "@context": [V2, { TrainingCredential: "https://ministry.example/vocab#TrainingCredential", course: "https://schema.org/name", hours: "https://ministry.example/vocab#hours" }],
      type: ["VerifiableCredential", "TrainingCredential"],
      issuer: { id: "did:example:someone-else", name: { "@value": "Ministère", "@language": "fr" } },
      validFrom: "2027-01-01T00:00:00Z",
      validUntil: "2028-01-01T00:00:00Z",
      credentialSubject: [
        { id: "did:example:alice", course: "Bookkeeping", hours: 40 },
        { id: "urn:uuid:8c3b0c2e-5f2b-4f8e-9f39-3f7f2d6a1c11", course: "Bookkeeping" },
      ],
    };
    const res = await post(issue, tk.any, { credential, options: {} });
    expect(res.status).toBe(201);
    const jwt = unwrap(((await res.json()) as { verifiableCredential: { id: string } }).verifiableCredential);
    const [pub] = await t.ctx.keys.listPublicKeys();
    const { payload, protectedHeader } = await jwtVerify(jwt, await importJWK(pub!.publicJwk, "EdDSA"), { typ: "vc+jwt" });
    expect(protectedHeader.kid).toBe(pub!.kid);
    // The issuer is this issuer (its DID replaced the one asked for); the rest is as sent.
    expect(payload).toEqual({ ...credential, issuer: { id: t.ctx.did, name: credential.issuer.name } });
    expect(await verified({ verifiableCredential: jwt })).toMatchObject({ verified: true, checks: ["proof", "issuer", "dataModel", "validity"] });
    t.clock.now = new Date("2028-02-01T00:00:00Z");
    expect((await verified({ verifiableCredential: jwt })).errors[0]).toMatchObject({ code: "ERR_EXPIRED", type: "https://www.w3.org/TR/vc-data-model#RANGE_ERROR" });
    t.clock.now = new Date("2027-03-05T10:00:00Z");
  });

  it("refuses a credential the data model refuses with 400 and every issue found, and the issue scope alone for anything but entitlements", async () => {
    const bad = await post(issue, tk.any, { credential: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["Thing"], credentialSubject: {} } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(body.error.code).toBe("ERR_BAD_REQUEST");
    expect(body.error.details.issues.map((i) => i.path)).toEqual(["@context[0]", "type", "credentialSubject"]);
    const generic = { credential: { "@context": [V2], type: ["VerifiableCredential"], credentialSubject: { id: "did:example:x" } } };
    expect(await errorCode(await post(issue, tk.issue, generic))).toBe("ERR_FORBIDDEN");
    expect((await post(issue, tk.any, generic)).status).toBe(201);
  });

  it("refuses calls without a token (401), with a wrong one (401) or the wrong scope (403)", async () => {
    expect(await errorCode(await callRoute(issue, { method: "POST", body: subject() }))).toBe("ERR_UNAUTHENTICATED");
    expect((await post(issue, "haki_notarealtoken0000", subject())).status).toBe(401);
    expect((await post(issue, tk.verify, subject())).status).toBe(403);
    expect((await post(verify, tk.issue, { verifiableCredential: "a.b.c" })).status).toBe(403);
    expect((await post(verifyPresentation, tk.any, { verifiablePresentation: "a.b.c" })).status).toBe(403);
  });

  it("answers 400 with a code for bad input and issues nothing", async () => {
    const before = await t.ctx.db.auditEvent.count({ where: { action: { in: ["credential.issue_api", "credential.issue_any"] } } });
    for (const body of [{}, subject(0, { id: "did:example:123" }), { credential: { issuer: "did:web:someone.else", credentialSubject: subject().credential.credentialSubject } }]) {
      const res = await post(issue, tk.issue, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await errorCode(res)).toBe("ERR_BAD_REQUEST");
    }
    expect((await post(issue, tk.issue, subject(0, { cycle: "1999-01" }))).status).toBe(404);
    expect((await post(verify, tk.verify, {})).status).toBe(400);
    expect(await t.ctx.db.auditEvent.count({ where: { action: { in: ["credential.issue_api", "credential.issue_any"] } } })).toBe(before);
  });

  it("verifies VC 2.0 presentations (vp+jwt, and enveloped) with challenge and domain; a bound card shown by another key is refused", async () => {
    const holder = await generateKeyPair();
    const issued = (await (await post(issue, tk.issue, subject(2, { id: holder.did }))).json()) as { verifiableCredential: { id: string } };
    const vc = unwrap(issued.verifiableCredential);
    const vp = await signPresentation(vc, holder, { nonce: "challenge-123", audience: "haki.example", now: t.clock.now });
    expect(decodeProtectedHeader(vp).typ).toBe("vp+jwt");
    const check = async (verifiablePresentation: unknown, options: object) =>
      (await (await post(verifyPresentation, tk.verify, { verifiablePresentation, options })).json()) as { verified: boolean; errors: { code: string }[]; checks: string[] };
    expect(await check(vp, { challenge: "challenge-123", domain: "haki.example" })).toMatchObject({ verified: true, checks: ["proof", "holder", "dataModel", "challenge", "domain", "credentials"] });
    const enveloped = { "@context": [V2], id: `data:application/vp+jwt,${vp}`, type: "EnvelopedVerifiablePresentation" };
    expect(await check(enveloped, { challenge: "challenge-123" })).toMatchObject({ verified: true });
    expect((await check(vp, { challenge: "other" })).errors[0]!.code).toBe("ERR_NONCE_MISMATCH");
    expect((await check(vp, { domain: "elsewhere.example" })).errors[0]!.code).toBe("ERR_NONCE_MISMATCH");

    // Someone else wraps the same card in a presentation signed with their own key.
    const thief = await generateKeyPair();
    const stolen = await new SignJWT({ "@context": [V2], type: ["VerifiablePresentation"], holder: thief.did, verifiableCredential: [issued.verifiableCredential], nonce: "n" })
      .setProtectedHeader({ alg: "EdDSA", typ: "vp+jwt", kid: thief.kid })
      .setIssuedAt(Math.floor(t.clock.now.getTime() / 1000))
      .sign(thief.privateKey);
    expect((await check(stolen, { challenge: "n" })).errors[0]!.code).toBe("ERR_HOLDER_BINDING");
    // A presentation without a securing mechanism, and one with a Data Integrity proof.
    expect((await check({ "@context": [V2], type: ["VerifiablePresentation"] }, {})).errors[0]!.code).toBe("ERR_MALFORMED");
    expect((await check({ "@context": [V2], type: ["VerifiablePresentation"], proof: { type: "DataIntegrityProof" } }, {})).errors[0]!.code).toBe("ERR_ALG_UNSUPPORTED");
  });
});

describe("VC-API verify trusts the issuers its trust list names", () => {
  let t: TestContext;
  let tk: Awaited<ReturnType<typeof makeTokens>>;
  const other = generateKeyPair();

  async function foreignCredential(issuerDid: string) {
    const key = await other;
    return new SignJWT({ "@context": [V2], type: ["VerifiableCredential"], issuer: issuerDid, validFrom: "2027-01-01T00:00:00Z", credentialSubject: { id: "did:example:bob" } })
      .setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt", kid: key.kid })
      .sign(key.privateKey);
  }

  beforeAll(async () => {
    const key = await other;
    const dir = mkdtempSync(join(tmpdir(), "haki-trust-"));
    const file = join(dir, "trust.json");
    writeFileSync(file, JSON.stringify({ updatedAt: "2027-01-01T00:00:00Z", issuers: [{ did: key.did, name: "Partner registry", keys: [{ id: key.kid, publicKeyJwk: await exportJWK(key.publicKey) }] }] }));
    t = await createTestContext("sqlite", { env: { HAKI_VC_API_TRUST_LIST: file } });
    t.clock.now = new Date("2027-03-05T10:00:00Z");
    tk = await makeTokens(t);
  }, 60_000);
  afterAll(() => t.close());

  it("verifies a credential jose signed for an issuer in the list, and refuses an issuer that is not", async () => {
    const trusted = await foreignCredential((await other).did);
    const res = (await (await callRoute(verify, { method: "POST", headers: bearer(tk.verify), body: { verifiableCredential: trusted } })).json()) as { verified: boolean };
    expect(res.verified).toBe(true);
    const stranger = await generateKeyPair();
    const untrusted = await new SignJWT({ "@context": [V2], type: ["VerifiableCredential"], issuer: stranger.did, credentialSubject: { id: "did:example:bob" } })
      .setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt", kid: stranger.kid })
      .sign(stranger.privateKey);
    const refused = (await (await callRoute(verify, { method: "POST", headers: bearer(tk.verify), body: { verifiableCredential: untrusted } })).json()) as { errors: { code: string }[] };
    expect(refused.errors[0]!.code).toBe("ERR_ISSUER_UNTRUSTED");
  });
});
