/**
 * The JSON-LD context, checked with a real JSON-LD processor (jsonld.js) in safe mode, offline:
 * every member of a Haki credential expands to an IRI (nothing silently dropped), and the
 * protected terms cannot be redefined by a later context.
 */
import { describe, expect, it } from "vitest";
import jsonld from "jsonld";
import { contexts as credentialsContexts, CONTEXT_URL } from "credentials-context";
import hakiContext from "../contexts/entitlement-v1.json" with { type: "json" };
import { buildEntitlementPayload } from "./canonical";
import { ENTITLEMENT_CONTEXT_V1, W3C_CREDENTIALS_V1 } from "./model";
import { sampleInput } from "../test/fixtures";

const documentLoader = async (url: string) => {
  const document = url === ENTITLEMENT_CONTEXT_V1 ? hakiContext : url === CONTEXT_URL ? credentialsContexts.get(url) : undefined;
  if (!document) throw new Error(`offline test: no context for ${url}`);
  return { contextUrl: null, documentUrl: url, document };
};

const HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

/** The JWT payload in the W3C data model form (as did-jwt-vc normalises it). */
function asJsonLd(subjectPatch: Record<string, unknown> = {}, extraContext?: unknown): Record<string, unknown> {
  const p = buildEntitlementPayload(sampleInput("did:web:haki.example.org", HOLDER));
  const vc = JSON.parse(JSON.stringify(p.vc));
  return {
    ...vc,
    "@context": extraContext ? [...vc["@context"], extraContext] : vc["@context"],
    issuer: p.iss,
    issuanceDate: new Date(p.nbf * 1000).toISOString(),
    expirationDate: new Date(p.exp * 1000).toISOString(),
    credentialSubject: { id: p.sub, ...vc.credentialSubject, ...subjectPatch },
  };
}

describe("JSON-LD context (jsonld.js, safe mode)", () => {
  it("expands every member of cash, in-kind and voucher credentials", async () => {
    expect(CONTEXT_URL).toBe(W3C_CREDENTIALS_V1);
    for (const patch of [
      {},
      { benefit: { type: "InKind", item: "Maize flour", quantity: 12.5, unit: "kg" }, servicePoints: ["SP-1", "SP-2"] },
      { benefit: { type: "Voucher", description: "Clinic visit", amount: 12.34, currency: "USD" } },
    ]) {
      const [expanded] = await jsonld.expand(asJsonLd(patch), { documentLoader, safe: true });
      const text = JSON.stringify(expanded);
      expect(text).toContain("https://w3id.org/haki/entitlement#EntitlementCredential");
      expect(text).toContain("https://w3id.org/haki/entitlement#beneficiary");
      expect(text).toContain(patch.benefit?.type === "InKind" ? "https://w3id.org/haki/entitlement#benefitQuantity" : "https://w3id.org/haki/entitlement#benefitValue");
      expect(text).toContain("https://www.w3.org/ns/credentials/status#statusListIndex");
    }
  });

  it("refuses (safe mode) a member the context does not define", async () => {
    await expect(jsonld.expand(asJsonLd({ nationalId: "12345678" }), { documentLoader, safe: true })).rejects.toThrow();
  });

  it("protects its terms from redefinition by a later context", async () => {
    const attack = { beneficiary: "https://evil.example/vocab#beneficiary" };
    await expect(jsonld.expand(asJsonLd({}, attack), { documentLoader })).rejects.toThrow(/redefine a protected term/i);
  });
});
