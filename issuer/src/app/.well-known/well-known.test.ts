import { describe, expect, it } from "vitest";
import { callRoute } from "@/test/http";
import { GET as didJson } from "./did.json/route";
import { GET as context } from "@/app/contexts/entitlement/v1/route";
import { GET as schema } from "@/app/schemas/entitlement/v1.json/route";
import { GET as health } from "@/app/api/health/route";
import { ENTITLEMENT_CONTEXT_V1 } from "@haki/credentials/model";
import { useTestContext } from "@/test/suite";

describe("public documents", () => {
  const t = useTestContext();

  it("GET /.well-known/did.json serves the did:web document with the signing key", async () => {
    const res = await callRoute(didJson, { path: "/.well-known/did.json" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/did+json");
    // The wallet PWA reads it from another origin.
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const doc = (await res.json()) as { id: string; verificationMethod: { id: string; publicKeyJwk: { crv: string; d?: string } }[]; assertionMethod: string[] };
    expect(doc.id).toBe("did:web:issuer.haki.test");
    const key = await t.ctx.keys.getSigningKey();
    expect(doc.verificationMethod.map((m) => m.id)).toEqual([key.kid]);
    expect(doc.assertionMethod).toEqual([key.kid]);
    expect(doc.verificationMethod[0]!.publicKeyJwk.crv).toBe("Ed25519");
    expect(doc.verificationMethod[0]!.publicKeyJwk.d).toBeUndefined();
  });

  it("lists retired keys too, so old credentials still verify", async () => {
    const old = await t.ctx.keys.getSigningKey();
    const fresh = await t.ctx.keys.rotate({ actorId: null });
    const doc = (await (await callRoute(didJson)).json()) as { verificationMethod: { id: string }[] };
    expect(doc.verificationMethod.map((m) => m.id)).toEqual([old.kid, fresh.kid]);
  });

  it("serves the JSON-LD context and the JSON Schema at stable URLs", async () => {
    const c = await callRoute(() => context());
    expect(c.headers.get("content-type")).toBe("application/ld+json");
    expect(JSON.stringify(await c.json())).toContain("EntitlementCredential");
    const s = await callRoute(() => schema());
    expect(s.headers.get("content-type")).toBe("application/schema+json");
    expect(((await s.json()) as { $schema?: string }).$schema).toMatch(/json-schema/);
    expect(ENTITLEMENT_CONTEXT_V1).toMatch(/entitlement\/v1$/);
  });

  it("GET /api/health answers ok", async () => {
    const res = await callRoute(health);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
