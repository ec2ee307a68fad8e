/**
 * The JSON-LD contexts, checked with a real JSON-LD processor (jsonld.js) in safe mode, offline,
 * with the W3C contexts as their publishers ship them (credentials v1, credentials v2, Bitstring
 * Status List v1): every member of a Haki credential expands to an IRI (nothing silently dropped),
 * the protected terms cannot be redefined by a later context, and Haki's context sits with the
 * status context (VC 1.1) and the v2 base context (VC 2.0) without a protected-term clash.
 */
import { describe, expect, it } from "vitest";
import jsonld from "jsonld";
import { contexts as credentialsContexts, CONTEXT_URL } from "credentials-context";
import { contexts as w3cContexts } from "@digitalbazaar/credentials-context";
import { CONTEXT as STATUS_CONTEXT, CONTEXT_URL as STATUS_CONTEXT_URL } from "@digitalbazaar/vc-bitstring-status-list-context";
import hakiContext from "../contexts/entitlement-v1.json" with { type: "json" };
import hakiContextV2 from "../contexts/entitlement-v2.json" with { type: "json" };
import { buildEntitlementCredentialV2, buildEntitlementPayload, LEGACY_VC1_CONTEXTS } from "./canonical";
import { ENTITLEMENT_CONTEXT_V1, ENTITLEMENT_CONTEXT_V2, W3C_CREDENTIALS_V1, W3C_CREDENTIALS_V2, W3C_STATUS_CONTEXT_V1 } from "./model";
import { sampleInput } from "../test/fixtures";

const DOCUMENTS: Record<string, unknown> = {
  [ENTITLEMENT_CONTEXT_V1]: hakiContext,
  [ENTITLEMENT_CONTEXT_V2]: hakiContextV2,
  [CONTEXT_URL]: credentialsContexts.get(CONTEXT_URL),
  [W3C_CREDENTIALS_V2]: w3cContexts.get(W3C_CREDENTIALS_V2),
  [STATUS_CONTEXT_URL]: STATUS_CONTEXT,
};
const documentLoader = async (url: string) => {
  const document = DOCUMENTS[url];
  if (!document) throw new Error(`offline test: no context for ${url}`);
  return { contextUrl: null, documentUrl: url, document };
};

const HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
const input = sampleInput("did:web:haki.example.org", HOLDER);

/** The VC 1.1 JWT payload in the W3C data model form (as did-jwt-vc normalises it). */
function asJsonLd(subjectPatch: Record<string, unknown> = {}, extraContext?: unknown, contexts?: readonly string[]): Record<string, unknown> {
  const p = buildEntitlementPayload(input);
  const vc = JSON.parse(JSON.stringify(p.vc));
  const base = contexts ? [...contexts] : vc["@context"];
  return {
    ...vc,
    "@context": extraContext ? [...base, extraContext] : base,
    issuer: p.iss,
    issuanceDate: new Date(p.nbf * 1000).toISOString(),
    expirationDate: new Date(p.exp * 1000).toISOString(),
    credentialSubject: { id: p.sub, ...vc.credentialSubject, ...subjectPatch },
  };
}

/** The VC 2.0 credential exactly as Haki signs it (the claims set of the vc+jwt). */
function asJsonLdV2(subjectPatch: Record<string, unknown> = {}, extraContext?: unknown): Record<string, unknown> {
  const c = JSON.parse(JSON.stringify(buildEntitlementCredentialV2(input)));
  return { ...c, "@context": extraContext ? [...c["@context"], extraContext] : c["@context"], credentialSubject: { ...c.credentialSubject, ...subjectPatch } };
}

const BENEFITS = [
  {},
  { benefit: { type: "InKind", item: "Maize flour", quantity: 12.5, unit: "kg" }, servicePoints: ["SP-1", "SP-2"] },
  { benefit: { type: "Voucher", description: "Clinic visit", amount: 12.34, currency: "USD" } },
];

async function expectFullExpansion(doc: Record<string, unknown>, patch: (typeof BENEFITS)[number]) {
  const [expanded] = await jsonld.expand(doc, { documentLoader, safe: true });
  const text = JSON.stringify(expanded);
  expect(text).toContain("https://w3id.org/haki/entitlement#EntitlementCredential");
  expect(text).toContain("https://w3id.org/haki/entitlement#beneficiary");
  expect(text).toContain("https://schema.org/name");
  expect(text).toContain(patch.benefit?.type === "InKind" ? "https://w3id.org/haki/entitlement#benefitQuantity" : "https://w3id.org/haki/entitlement#benefitValue");
  if (patch.benefit?.type === "Voucher") expect(text).toContain("https://schema.org/description");
  expect(text).toContain("https://www.w3.org/ns/credentials/status#statusListIndex");
  expect(text).toContain("https://www.w3.org/ns/credentials/status#BitstringStatusListEntry");
}

describe("JSON-LD context v1 (jsonld.js, safe mode)", () => {
  it("names the status context in the VC 1.1 credentials Haki issues now", () => {
    expect(buildEntitlementPayload(input).vc["@context"]).toEqual([W3C_CREDENTIALS_V1, W3C_STATUS_CONTEXT_V1, ENTITLEMENT_CONTEXT_V1]);
    expect(STATUS_CONTEXT_URL).toBe(W3C_STATUS_CONTEXT_V1);
  });

  it("expands every member of cash, in-kind and voucher credentials, with the status context (new) and without (cards already issued)", async () => {
    expect(CONTEXT_URL).toBe(W3C_CREDENTIALS_V1);
    for (const contexts of [undefined, LEGACY_VC1_CONTEXTS]) {
      for (const patch of BENEFITS) await expectFullExpansion(asJsonLd(patch, undefined, contexts), patch);
    }
  });

  it("refuses (safe mode) a member the context does not define", async () => {
    await expect(jsonld.expand(asJsonLd({ nationalId: "12345678" }), { documentLoader, safe: true })).rejects.toThrow();
  });

  it("protects its terms from redefinition by a later context", async () => {
    const attack = { beneficiary: "https://evil.example/vocab#beneficiary" };
    await expect(jsonld.expand(asJsonLd({}, attack), { documentLoader })).rejects.toThrow(/redefine a protected term/i);
  });

  it("defines the status entry terms exactly as the W3C status context, so the two can follow each other", async () => {
    const reversed = [W3C_CREDENTIALS_V1, ENTITLEMENT_CONTEXT_V1, W3C_STATUS_CONTEXT_V1];
    await expectFullExpansion(asJsonLd({}, undefined, reversed), {});
  });
});

describe("JSON-LD context v2 with the VC 2.0 base context (jsonld.js, safe mode)", () => {
  it("expands every member of cash, in-kind and voucher VC 2.0 credentials", async () => {
    for (const patch of BENEFITS) await expectFullExpansion(asJsonLdV2(patch), patch);
  });

  it("refuses a member the contexts do not define", async () => {
    await expect(jsonld.expand(asJsonLdV2({ nationalId: "12345678" }), { documentLoader, safe: true })).rejects.toThrow();
  });

  it("protects its terms from redefinition by a later context", async () => {
    await expect(jsonld.expand(asJsonLdV2({}, { area: "https://evil.example/vocab#area" }), { documentLoader })).rejects.toThrow(/redefine a protected term/i);
  });

  it("the v1 context would clash with the v2 base context (why there is a v2 context)", async () => {
    const doc = { ...asJsonLdV2(), "@context": [W3C_CREDENTIALS_V2, ENTITLEMENT_CONTEXT_V1] };
    await expect(jsonld.expand(doc, { documentLoader, safe: true })).rejects.toThrow(/protected term/i);
  });
});
