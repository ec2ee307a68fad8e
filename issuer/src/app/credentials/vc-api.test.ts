import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "@haki/credentials/keys";
import { decodeJwt } from "jose";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { createIssuedCycle } from "@/test/fixtures";
import { POST as issue } from "./issue/route";
import { POST as verify } from "./verify/route";
import { POST as tokens } from "@/app/api/tokens/route";
import { changeStatus } from "@/server/status/change-status";

describe("W3C VC-API: POST /credentials/issue and /credentials/verify", () => {
  let t: TestContext;
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  let issueToken: string;
  let verifyToken: string;
  let programme: string;

  beforeAll(async () => {
    t = await createTestContext();
    t.clock.now = new Date("2027-03-05T10:00:00Z");
    fx = await createIssuedCycle(t.ctx, 2);
    const admin = await createTestUser(t.ctx, ["admin"]);
    const make = async (scopes: string[]) =>
      ((await (await callRoute(tokens, { method: "POST", headers: admin.headers, body: { name: scopes.join("+"), scopes } })).json()) as { token: string }).token;
    issueToken = await make(["issue"]);
    verifyToken = await make(["verify"]);
    programme = (await t.ctx.db.programme.findFirstOrThrow()).code;
  }, 60_000);
  afterAll(() => t.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const subject = (i = 0, extra: object = {}) => ({ credential: { credentialSubject: { beneficiary: fx.entitlements[i]!.beneficiary.ref, programme, cycle: "2027-03", ...extra } } });

  it("only admins make tokens, and a token is stored hashed", async () => {
    const officer = await createTestUser(t.ctx, ["officer"]);
    const res = await callRoute(tokens, { method: "POST", headers: officer.headers, body: { name: "x", scopes: ["issue"] } });
    expect(res.status).toBe(403);
    expect(JSON.stringify(await t.ctx.db.apiToken.findMany())).not.toContain(issueToken);
  });

  it("issues a holder-bound credential for an approved entitlement, and verifies it", async () => {
    const holder = await generateKeyPair();
    const res = await callRoute(issue, { method: "POST", headers: bearer(issueToken), body: subject(0, { id: holder.did }) });
    expect(res.status).toBe(201);
    const { verifiableCredential } = (await res.json()) as { verifiableCredential: string };
    expect(decodeJwt(verifiableCredential)).toMatchObject({ iss: t.ctx.did, sub: holder.did });

    const v = await callRoute(verify, { method: "POST", headers: bearer(verifyToken), body: { verifiableCredential } });
    expect(v.status).toBe(200);
    expect(await v.json()).toMatchObject({ verified: true, errors: [], status: { revocation: "ok", suspension: "ok" } });
  });

  it("reports a revoked credential as not verified, with the code", async () => {
    const jwt = fx.entitlements[1]!.credential!;
    await changeStatus(t.ctx, { action: "revoke", entitlementId: fx.entitlements[1]!.id, reason: "Exited the programme" }, fx.officer.actor);
    const v = await callRoute(verify, { method: "POST", headers: bearer(verifyToken), body: { verifiableCredential: jwt } });
    expect(await v.json()).toMatchObject({ verified: false, errors: [{ code: "ERR_REVOKED", message: "This card was cancelled." }] });
    const again = await callRoute(issue, { method: "POST", headers: bearer(issueToken), body: subject(1) });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("ERR_INVALID_STATE");
  });

  it("reports a tampered credential as not verified", async () => {
    const [h, p, s] = fx.entitlements[0]!.credential!.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString()) as { vc: { credentialSubject: { benefit: { quantity: number } } } };
    payload.vc.credentialSubject.benefit.quantity = 250;
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    const v = await callRoute(verify, { method: "POST", headers: bearer(verifyToken), body: { verifiableCredential: forged } });
    expect(await v.json()).toMatchObject({ verified: false, errors: [{ code: "ERR_SIGNATURE_INVALID" }] });
  });

  it("refuses calls without a token (401), with a wrong one (401) or the wrong scope (403)", async () => {
    expect(await errorCode(await callRoute(issue, { method: "POST", body: subject() }))).toBe("ERR_UNAUTHENTICATED");
    expect((await callRoute(issue, { method: "POST", headers: bearer("haki_notarealtoken0000"), body: subject() })).status).toBe(401);
    const scope = await callRoute(issue, { method: "POST", headers: bearer(verifyToken), body: subject() });
    expect(scope.status).toBe(403);
    expect((await callRoute(verify, { method: "POST", headers: bearer(issueToken), body: { verifiableCredential: "a.b.c" } })).status).toBe(403);
  });

  it("answers 400 with a code for bad input and issues nothing", async () => {
    const before = await t.ctx.db.auditEvent.count({ where: { action: "credential.issue_api" } });
    for (const body of [{}, { credential: {} }, subject(0, { id: "did:example:123" }), { credential: { issuer: "did:web:someone.else", credentialSubject: subject().credential.credentialSubject } }]) {
      const res = await callRoute(issue, { method: "POST", headers: bearer(issueToken), body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await errorCode(res)).toBe("ERR_BAD_REQUEST");
    }
    expect((await callRoute(issue, { method: "POST", headers: bearer(issueToken), body: subject(0, { cycle: "1999-01" }) })).status).toBe(404);
    expect(await t.ctx.db.auditEvent.count({ where: { action: "credential.issue_api" } })).toBe(before);
    const bad = await callRoute(verify, { method: "POST", headers: bearer(verifyToken), body: { verifiableCredential: "not a jwt" } });
    expect(bad.status).toBe(400);
  });
});
