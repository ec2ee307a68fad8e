// Single use under concurrency, through the route handlers: a code, an access token and a nonce
// each buy one thing however many requests race for them; deliveries committed together keep the
// audit chain whole; one bad delivery does not fail the others of its transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { generateKeyPair } from "@haki/credentials/keys";
import { parseCredentialOfferUri } from "@haki/openid4vci/client";
import { testProviders } from "@haki/db/testing";
import { createTestContext, type TestContext } from "@/test/context";
import { createIssuedCycle } from "@/test/fixtures";
import { POST as tokenRoute } from "@/app/api/oid4vci/token/route";
import { POST as nonceRoute } from "@/app/api/oid4vci/nonce/route";
import { POST as credentialRoute } from "@/app/api/oid4vci/credential/route";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { createOffer } from "./create-offer";
import { createDeliveryRecorder } from "./record-deliveries";
import { deliverySql } from "./delivery-sql";

const ISSUER = "https://issuer.haki.test";
const GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
const noParams = { params: Promise.resolve({}) };

for (const provider of testProviders()) {
  describe(`OpenID4VCI single use under concurrency (${provider})`, () => {
    let t: TestContext;
    let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
    const holder = generateKeyPair();

    beforeAll(async () => {
      t = await createTestContext(provider);
      fx = await createIssuedCycle(t.ctx, 30);
    }, 60_000);
    afterAll(() => t.close());

    let used = 0;
    const nextEntitlement = () => fx.entitlements[used++]!;

    async function codeFor(entitlementId: string): Promise<string> {
      const { offerUri } = await createOffer(t.ctx, { entitlementId, withPin: false, validDays: 1 }, fx.officer.actor);
      const offer = await parseCredentialOfferUri(offerUri);
      return String(offer.grants?.[GRANT]?.["pre-authorized_code"]);
    }
    const redeem = (code: string) =>
      tokenRoute(
        new Request(`${ISSUER}/api/oid4vci/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ grant_type: GRANT, "pre-authorized_code": code }),
        }),
        noParams,
      );
    async function tokenFor(entitlementId: string): Promise<{ access_token: string; c_nonce: string }> {
      const res = await redeem(await codeFor(entitlementId));
      expect(res.status).toBe(200);
      return (await res.json()) as { access_token: string; c_nonce: string };
    }
    async function proof(nonce: string): Promise<string> {
      const h = await holder;
      return new SignJWT({ nonce })
        .setProtectedHeader({ alg: "EdDSA", typ: "openid4vci-proof+jwt", kid: h.kid })
        .setAudience(ISSUER)
        .setIssuedAt(Math.floor(t.ctx.now().getTime() / 1000))
        .sign(h.privateKey);
    }
    const requestCredential = async (accessToken: string, jwt: string) =>
      credentialRoute(
        new Request(`${ISSUER}/api/oid4vci/credential`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` },
          body: JSON.stringify({ credential_configuration_id: "EntitlementCredential_jwt_vc_json", proof: { proof_type: "jwt", jwt } }),
        }),
        noParams,
      );
    const deliveries = (subject: string) => t.ctx.db.auditEvent.count({ where: { action: "credential.deliver", subject } });

    it("one pre-authorised code, eight token requests at once: exactly one token", async () => {
      const code = await codeFor(nextEntitlement().id);
      const answers = await Promise.all(Array.from({ length: 8 }, () => redeem(code)));
      expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
      const refused = await Promise.all(answers.filter((r) => r.status !== 200).map((r) => r.json() as Promise<{ haki_error: string }>));
      expect(new Set(refused.map((b) => b.haki_error))).toEqual(new Set(["offer_already_used"]));
    });

    it("one access token and proof sent twice at once: exactly one credential, recorded once", async () => {
      const e = nextEntitlement();
      const token = await tokenFor(e.id);
      const jwt = await proof(token.c_nonce);
      const answers = await Promise.all([requestCredential(token.access_token, jwt), requestCredential(token.access_token, jwt)]);
      expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
      // The other request is refused by whichever single-use check it reaches after the winner:
      // the nonce (400 invalid_nonce) when both read the token before either spent it, or the
      // token itself (401 invalid_token) when the winner had spent it already. Which of the two
      // depends on how the requests interleave (a loaded machine, PostgreSQL's round trips), so
      // both are right; what may not vary is one credential, recorded once.
      const loser = answers.find((r) => r.status !== 200)!;
      const { error } = (await loser.json()) as { error: string };
      expect([
        [400, "invalid_nonce"],
        [401, "invalid_token"],
      ]).toContainEqual([loser.status, error]);
      expect(await deliveries(e.id)).toBe(1);
      expect(await t.ctx.db.offer.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ holderDid: (await holder).did });
    });

    it("the same access token and proof again after the credential was delivered: 401 invalid_token, nothing recorded", async () => {
      const e = nextEntitlement();
      const token = await tokenFor(e.id);
      const jwt = await proof(token.c_nonce);
      expect((await requestCredential(token.access_token, jwt)).status).toBe(200);
      const again = await requestCredential(token.access_token, jwt);
      expect(again.status).toBe(401);
      expect(await again.json()).toMatchObject({ error: "invalid_token" });
      expect(await deliveries(e.id)).toBe(1);
    });

    it("one nonce in two requests with different access tokens at once: exactly one succeeds, the other may retry", async () => {
      const [a, b] = [nextEntitlement(), nextEntitlement()];
      const [ta, tb] = [await tokenFor(a.id), await tokenFor(b.id)];
      const jwt = await proof(ta.c_nonce);
      const answers = await Promise.all([requestCredential(ta.access_token, jwt), requestCredential(tb.access_token, jwt)]);
      const ok = answers.filter((r) => r.status === 200);
      expect(ok).toHaveLength(1);
      const loser = answers.find((r) => r.status !== 200)!;
      expect(await loser.json()).toMatchObject({ error: "invalid_nonce" });
      // The loser's token was not spent: a fresh nonce and proof get its credential.
      const loserToken = answers[0] === loser ? ta : tb;
      const fresh = (await (await nonceRoute(new Request(`${ISSUER}/api/oid4vci/nonce`, { method: "POST" }), noParams)).json()) as { c_nonce: string };
      expect((await requestCredential(loserToken.access_token, await proof(fresh.c_nonce))).status).toBe(200);
      expect((await deliveries(a.id)) + (await deliveries(b.id))).toBe(2);
    });

    it("twenty deliveries at once: all recorded, each with its audit event, and the chain verifies", async () => {
      const es = Array.from({ length: 20 }, nextEntitlement);
      const tokens = await Promise.all(es.map((e) => tokenFor(e.id)));
      const proofs = await Promise.all(tokens.map((tk) => proof(tk.c_nonce)));
      const answers = await Promise.all(tokens.map((tk, i) => requestCredential(tk.access_token, proofs[i]!)));
      expect(answers.map((r) => r.status)).toEqual(es.map(() => 200));
      const rows = await t.ctx.db.offer.findMany({ where: { id: { in: es.map((e) => e.id) } } });
      expect(rows.every((r) => r.credentialIssuedAt !== null && r.holderDid === rows[0]!.holderDid)).toBe(true);
      for (const e of es) expect(await deliveries(e.id)).toBe(1);
      expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
    });

    it("a delivery that cannot be recorded fails alone; the others of its transaction commit", async () => {
      const record = createDeliveryRecorder(deliverySql(t.ctx), t.ctx);
      const [a, b] = [nextEntitlement(), nextEntitlement()];
      const h = (await holder).did;
      for (const e of [a, b]) await createOffer(t.ctx, { entitlementId: e.id, withPin: false }, fx.officer.actor);
      const results = await Promise.allSettled([
        record({ entitlementId: a.id, holderDid: h }),
        record({ entitlementId: "no-such-entitlement", holderDid: h }),
        record({ entitlementId: b.id, holderDid: h }),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(await deliveries(a.id)).toBe(1);
      expect(await deliveries("no-such-entitlement")).toBe(0);
      expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
    });
  });
}
