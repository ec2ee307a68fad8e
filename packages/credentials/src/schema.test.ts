/**
 * The published JSON Schema and JSON-LD context agree with the zod model: the same samples are
 * valid or invalid under both, across a grid of field x value mutations of real credentials.
 */
import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import schema from "../schemas/entitlement-v1.json" with { type: "json" };
import schemaV2 from "../schemas/entitlement-v2.json" with { type: "json" };
import context from "../contexts/entitlement-v1.json" with { type: "json" };
import contextV2 from "../contexts/entitlement-v2.json" with { type: "json" };
import { buildEntitlementCredentialV2, buildEntitlementPayload } from "./canonical";
import {
  ENTITLEMENT_CONTEXT_V1,
  ENTITLEMENT_CONTEXT_V2,
  ENTITLEMENT_SCHEMA_V1,
  ENTITLEMENT_SCHEMA_V2,
  EntitlementCredentialV2,
  EntitlementJwtPayload,
  EntitlementSubject,
} from "./model";
import { sampleInput } from "../test/fixtures";

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: true, strictTuples: false, allErrors: true, multipleOfPrecision: 6 });
addFormats(ajv);
const validate = ajv.compile(schema);

const HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
const base = () => JSON.parse(JSON.stringify(buildEntitlementPayload(sampleInput("did:web:haki.example.org", HOLDER)))) as Record<string, unknown>;

const validSamples: Record<string, unknown>[] = [
  base(),
  JSON.parse(JSON.stringify(buildEntitlementPayload(sampleInput("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")))),
  withSubject({ benefit: { type: "InKind", item: "Maize flour", quantity: 12.5, unit: "kg" }, redemption: "partial", servicePoints: ["SP-001", "SP-002"] }),
  withSubject({ benefit: { type: "Voucher", description: "School uniform" }, name: undefined, area: undefined }),
  withSubject({ benefit: { type: "Voucher", description: "Clinic visit", amount: 12.34, currency: "USD" } }),
  // A paper card bound to its holder's national ID (@haki/id-binding): the binding, never the ID.
  withSubject({ idBinding: { v: 1, kid: "cash-2027", fields: "id+birthDate", logN: 15, r: 8, p: 1, salt: "AAAAAAAAAAAAAAAAAAAAAA", mac: "BBBBBBBBBBBBBBBBBBBBBB" } }),
  { ...base(), iat: 1803859200, jti: "urn:uuid:5b4c0f8e-3a1e-4a52-9d5e-1c8f3f0a2b11" },
];

function withSubject(patch: Record<string, unknown>): Record<string, unknown> {
  const p = base();
  const vc = p.vc as { credentialSubject: Record<string, unknown> };
  vc.credentialSubject = { ...vc.credentialSubject, ...patch };
  for (const k of Object.keys(vc.credentialSubject)) if (vc.credentialSubject[k] === undefined) delete vc.credentialSubject[k];
  return p;
}

function setPath(obj: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  let cur: Record<string | number, unknown> = obj;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (value === DELETE) delete cur[last];
  else cur[last] = value;
  return obj;
}

const DELETE = Symbol("delete");

/** ajv and zod give the same answer on every path x value mutation, and the grid hits both answers. */
function expectAgreement(
  paths: (string | number)[][],
  values: unknown[],
  mutate: (path: (string | number)[], value: unknown) => Record<string, unknown>,
  ajvSays: (x: unknown) => boolean,
  zodSays: (x: unknown) => boolean,
) {
  const disagreements: string[] = [];
  let valid = 0;
  let invalid = 0;
  for (const path of paths) {
    for (const value of values) {
      const sample = mutate(path, value);
      const a = ajvSays(sample);
      const z = zodSays(sample);
      if (a !== z) disagreements.push(`${path.join(".")} = ${String(typeof value === "symbol" ? "(deleted)" : JSON.stringify(value))}: ajv ${a}, zod ${z}`);
      if (z) valid++;
      else invalid++;
    }
  }
  expect(disagreements).toEqual([]);
  // The grid must exercise both outcomes, or it proves nothing.
  expect(valid).toBeGreaterThan(40);
  expect(invalid).toBeGreaterThan(400);
}
const S = ["vc", "credentialSubject"];
const PATHS: (string | number)[][] = [
  ["iss"], ["sub"], ["nbf"], ["exp"], ["iat"], ["vc"], ["vc", "type"], ["vc", "@context"], ["vc", "credentialSchema"],
  [...S, "beneficiary"], [...S, "name"], [...S, "programme"], [...S, "programme", "id"], [...S, "programme", "name"],
  [...S, "cycle"], [...S, "benefit"], [...S, "benefit", "type"], [...S, "benefit", "amount"], [...S, "benefit", "currency"],
  [...S, "redemption"], [...S, "area"], [...S, "servicePoints"], [...S, "nationalId"],
  ["vc", "credentialStatus"], ["vc", "credentialStatus", 0, "statusListIndex"], ["vc", "credentialStatus", 1, "statusPurpose"],
  ["vc", "credentialStatus", 0, "statusListCredential"], ["vc", "credentialStatus", 0, "type"],
];
const VALUES: unknown[] = [
  DELETE, null, "", "x", "   ", 0, -1, 7, 12.34, 0.001, 1e13, true, [], ["SP-1"], {}, "KES", "kes", "single", "Cash", "InKind",
  "https://status.example.org/1", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "did:web:x.example", "did:jwk:eyJ4IjoiMSJ9",
  "12345678901", "01", "BEN-0001", ["VerifiableCredential", "EntitlementCredential"], ["VerifiableCredential"],
  ["https://www.w3.org/2018/credentials/v1", ENTITLEMENT_CONTEXT_V1], [ENTITLEMENT_CONTEXT_V1],
  { id: "p-1", name: "Programme" }, { type: "Cash", amount: 5, currency: "UGX" }, { type: "InKind", item: "Soap", quantity: 2, unit: "bar" },
];

describe("JSON Schema and zod model agree", () => {
  it("on the valid samples", () => {
    for (const s of validSamples) {
      expect(validate(s), JSON.stringify(validate.errors)).toBe(true);
      expect(EntitlementJwtPayload.safeParse(s).success).toBe(true);
    }
  });

  it("on every field x value mutation of a real credential", () => {
    expectAgreement(PATHS, VALUES, (path, value) => setPath(base(), path, value), (x) => validate(x) === true, (x) => EntitlementJwtPayload.safeParse(x).success);
  });

  it("names the schema URL the credentials point to", () => {
    expect(schema.$id).toBe(ENTITLEMENT_SCHEMA_V1);
    expect(base().vc).toMatchObject({ credentialSchema: { id: ENTITLEMENT_SCHEMA_V1, type: "JsonSchema" } });
  });
});

describe("JSON-LD context", () => {
  const ctx = context["@context"];
  it("is protected and defines every subject and benefit term", () => {
    expect(ctx["@protected"]).toBe(true);
    // Top-level terms: type-scoped contexts would not reach into credentialSubject.
    for (const term of Object.keys(EntitlementSubject.shape)) expect(ctx, term).toHaveProperty(term);
    expect(Object.keys(ctx.Cash["@context"]).filter((k) => !k.startsWith("@")).sort()).toEqual(["amount", "currency"]);
    expect(Object.keys(ctx.InKind["@context"]).filter((k) => !k.startsWith("@")).sort()).toEqual(["item", "quantity", "unit"]);
    expect(Object.keys(ctx.Voucher["@context"]).filter((k) => !k.startsWith("@")).sort()).toEqual(["amount", "currency", "description"]);
    expect(ctx.BitstringStatusListEntry["@id"]).toBe("https://www.w3.org/ns/credentials/status#BitstringStatusListEntry");
  });
});

describe("VC 2.0: JSON Schema and zod model agree", () => {
  const validate2 = ajv.compile(schemaV2);
  const base2 = () => JSON.parse(JSON.stringify(buildEntitlementCredentialV2(sampleInput("did:web:haki.example.org", HOLDER)))) as Record<string, unknown>;
  const S2 = ["credentialSubject"];
  const PATHS2: (string | number)[][] = [
    ["@context"], ["id"], ["type"], ["issuer"], ["issuer", "id"], ["validFrom"], ["validUntil"], ["credentialSchema"], ["vc"], ["vp"],
    [...S2, "id"], [...S2, "beneficiary"], [...S2, "name"], [...S2, "programme"], [...S2, "cycle"], [...S2, "benefit"], [...S2, "benefit", "amount"],
    [...S2, "redemption"], [...S2, "area"], [...S2, "servicePoints"], [...S2, "nationalId"],
    ["credentialStatus"], ["credentialStatus", 0, "statusListIndex"], ["credentialStatus", 1, "statusPurpose"], ["credentialStatus", 0, "type"],
  ];
  const VALUES2: unknown[] = [
    ...VALUES,
    "2027-03-01T00:00:00Z", "2027-03-01T00:00:00.123+03:00", "2027-03-01T00:00:00", "2027-02-30T00:00:00Z", "2027-03-01T24:00:00Z", "2027-03-01",
    { id: "did:web:haki.example.org", name: "Ministry" }, { name: "no id" },
    ["https://www.w3.org/ns/credentials/v2", ENTITLEMENT_CONTEXT_V2], ["https://www.w3.org/2018/credentials/v1", ENTITLEMENT_CONTEXT_V2],
  ];

  it("on the valid samples (cash, in-kind, paper card, issuer object)", () => {
    const samples = [
      base2(),
      JSON.parse(JSON.stringify(buildEntitlementCredentialV2(sampleInput("did:web:haki.example.org")))),
      { ...base2(), credentialSubject: { ...(base2().credentialSubject as object), benefit: { type: "InKind", item: "Maize flour", quantity: 12.5, unit: "kg" } } },
      { ...base2(), issuer: { id: "did:web:haki.example.org", name: "Ministry" } },
    ];
    for (const s of samples) {
      expect(validate2(s), JSON.stringify(validate2.errors)).toBe(true);
      expect(EntitlementCredentialV2.safeParse(s).success).toBe(true);
    }
  });

  it("on every field x value mutation of a real VC 2.0 credential", () => {
    const mutate = (path: (string | number)[], value: unknown) => {
      const sample = base2();
      if (path[0] === "issuer" && path.length > 1) sample.issuer = { id: sample.issuer };
      return setPath(sample, path, value);
    };
    expectAgreement(PATHS2, VALUES2, mutate, (x) => validate2(x) === true, (x) => EntitlementCredentialV2.safeParse(x).success);
  });

  it("names the schema URL the credentials point to, and the context defines the subject terms the v2 base context does not", () => {
    expect(schemaV2.$id).toBe(ENTITLEMENT_SCHEMA_V2);
    expect(base2()).toMatchObject({ credentialSchema: { id: ENTITLEMENT_SCHEMA_V2, type: "JsonSchema" } });
    const ctx = contextV2["@context"] as Record<string, unknown>;
    for (const term of Object.keys(EntitlementSubject.shape).filter((t) => t !== "name")) expect(ctx, term).toHaveProperty(term);
    expect(ctx).not.toHaveProperty("BitstringStatusListEntry");
  });
});
