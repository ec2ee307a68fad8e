import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  buildEntitlementCredentialV2,
  buildEntitlementPayload,
  compileEntitlementCredentialV2,
  compileEntitlementPayload,
  LEGACY_VC1_CONTEXTS,
  serializeEntitlementCredentialV2,
  serializeEntitlementPayload,
  statusEntryId,
  VC1_CONTEXTS,
} from "./canonical";
import { compileEntitlementSigner, signCredential, signEntitlementCredentialV2, signEntitlementPayload } from "./sign";
import type { EntitlementCredentialV2, EntitlementJwtPayload } from "./model";
import { makeFixture, sampleInput } from "../test/fixtures";

const f = await makeFixture();
const base = buildEntitlementPayload(sampleInput(f.issuer.did, f.holder.did));
const base2 = buildEntitlementCredentialV2(sampleInput(f.issuer.did));

/** The payload the compiled serializer stands for: the base with the fields set the slow way. */
function withFields(p: EntitlementJwtPayload, x: { id: string; beneficiary: string; name?: string; area?: string; revocationList: string; suspensionList: string; index: number; holder?: string }): EntitlementJwtPayload {
  const [rev, sus] = p.vc.credentialStatus as [EntitlementJwtPayload["vc"]["credentialStatus"][number], EntitlementJwtPayload["vc"]["credentialStatus"][number]];
  const i = String(x.index);
  return {
    ...p,
    ...(x.holder !== undefined ? { sub: x.holder } : {}),
    jti: x.id,
    vc: {
      ...p.vc,
      credentialSubject: { ...p.vc.credentialSubject, beneficiary: x.beneficiary, name: x.name, area: x.area },
      credentialStatus: [
        { ...rev, id: statusEntryId(x.revocationList, i), statusListIndex: i, statusListCredential: x.revocationList },
        { ...sus, id: statusEntryId(x.suspensionList, i), statusListIndex: i, statusListCredential: x.suspensionList },
      ],
    },
  };
}

/** The VC 2.0 credential the compiled serializer stands for. */
function withFields2(c: EntitlementCredentialV2, x: Parameters<typeof withFields>[1]): EntitlementCredentialV2 {
  const v1 = withFields(base, x);
  return {
    ...c,
    id: x.id,
    credentialSubject: { ...c.credentialSubject, ...(x.holder !== undefined ? { id: x.holder } : {}), beneficiary: x.beneficiary, name: x.name, area: x.area },
    credentialStatus: v1.vc.credentialStatus,
  };
}

// Any text, including quotes, backslashes, control characters, lone surrogates and the slot marks.
const text = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom('"', "\\", "\u0000id\u0000", "\u2028", "\ud800", "فاطمة", "ሰላም"));
const fields = fc.record(
  {
    id: text,
    beneficiary: text,
    name: text,
    area: text,
    revocationList: text,
    suspensionList: text,
    index: fc.nat({ max: 2 ** 31 }),
    holder: text,
  },
  { requiredKeys: ["id", "beneficiary", "revocationList", "suspensionList", "index"] },
);

/** A compiled writer writes exactly the general serializer's text, for any field values. */
function expectSameText(compiled: (x: Fields) => string, serialized: (x: Fields) => string): void {
  fc.assert(
    fc.property(fields, (x) => {
      expect(compiled(x)).toBe(serialized(x));
    }),
    { numRuns: 2000 },
  );
}
type Fields = Parameters<typeof withFields>[1];

describe("compileEntitlementPayload", () => {
  it("writes exactly serializeEntitlementPayload's text for any field values, with or without name, area and holder", () => {
    expectSameText(compileEntitlementPayload(base), (x) => serializeEntitlementPayload(withFields(base, x)));
  });

  it("keeps the fixed parts of a base that has an area of its own (a programme limited to one area)", () => {
    const local = buildEntitlementPayload({ ...sampleInput(f.issuer.did, f.holder.did), subject: { ...base.vc.credentialSubject, area: "KE-047" } });
    const toJson = compileEntitlementPayload(local);
    const x = { id: "urn:uuid:1", beneficiary: "HK-B00000001", area: "KE-047", revocationList: "https://i.example/status/1/revocation", suspensionList: "https://i.example/status/1/suspension", index: 7 };
    expect(toJson(x)).toBe(serializeEntitlementPayload(withFields(local, x)));
  });

  it("refuses a base whose fixed text contains the slot marker rather than mis-sign", () => {
    const odd = { ...base, vc: { ...base.vc, credentialSubject: { ...base.vc.credentialSubject, cycle: "\u0000id\u0000" } } };
    const x = { id: "urn:uuid:1", beneficiary: "HK-B00000001", revocationList: "r", suspensionList: "s", index: 1 };
    expect(() => compileEntitlementPayload(odd)(x)).toThrow(TypeError);
  });

  it("refuses a base without the revocation and suspension entries in order", () => {
    const swapped = { ...base, vc: { ...base.vc, credentialStatus: [...base.vc.credentialStatus].reverse() } };
    expect(() => compileEntitlementPayload(swapped)).toThrow(TypeError);
  });
});

describe("compileEntitlementSigner", () => {
  it("signs the same JWT as signEntitlementPayload", async () => {
    const sign = compileEntitlementSigner(base, f.issuer);
    const x = { id: "urn:uuid:0b7c", beneficiary: "HK-B00000042", name: "Amina Odhiambo", revocationList: "https://i.example/status/2/revocation", suspensionList: "https://i.example/status/2/suspension", index: 131071 };
    expect(await sign(x)).toBe(await signEntitlementPayload(withFields(base, x), f.issuer));
  });

  it("refuses a key that is not the issuer's, once, before any credential", async () => {
    expect(() => compileEntitlementSigner(base, { ...f.issuer, kid: "did:web:other.example#key-1" })).toThrow(expect.objectContaining({ code: "ERR_KEY_MISMATCH" }));
  });
});

describe("VC 1.1 contexts", () => {
  it("names the status context before Haki's, so status-aware libraries read the entries", () => {
    expect(base.vc["@context"]).toEqual([...VC1_CONTEXTS]);
    expect(VC1_CONTEXTS).toEqual(["https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/status/v1", "https://w3id.org/haki/entitlement/v1"]);
  });

  it("keeps the context list of a card issued before (canonical form preserves it byte for byte)", () => {
    const legacy = { ...base, vc: { ...base.vc, "@context": [...LEGACY_VC1_CONTEXTS] } };
    const text = serializeEntitlementPayload(legacy);
    expect(text).toContain('"@context":["https://www.w3.org/2018/credentials/v1","https://w3id.org/haki/entitlement/v1"]');
    expect(serializeEntitlementPayload(JSON.parse(text))).toBe(text);
  });
});

describe("VC 2.0 canonical form", () => {
  it("puts the credential itself in canonical member order, holder as credentialSubject.id, times to the second", () => {
    const c = buildEntitlementCredentialV2({ ...sampleInput(f.issuer.did, f.holder.did), validFrom: new Date("2027-03-01T00:00:00.999Z") });
    expect(Object.keys(c).filter((k) => c[k as keyof typeof c] !== undefined)).toEqual([
      "@context", "type", "issuer", "validFrom", "validUntil", "credentialSchema", "credentialSubject", "credentialStatus",
    ]);
    expect(c["@context"]).toEqual(["https://www.w3.org/ns/credentials/v2", "https://w3id.org/haki/entitlement/v2"]);
    expect(c.validFrom).toBe("2027-03-01T00:00:00Z");
    expect(c.credentialSubject.id).toBe(f.holder.did);
    expect(Object.keys(c.credentialSubject)[0]).toBe("id");
    expect(serializeEntitlementCredentialV2(JSON.parse(serializeEntitlementCredentialV2(c)))).toBe(serializeEntitlementCredentialV2(c));
  });

  it("compileEntitlementCredentialV2 writes exactly serializeEntitlementCredentialV2's text for any field values", () => {
    expectSameText(compileEntitlementCredentialV2(base2), (x) => serializeEntitlementCredentialV2(withFields2(base2, x)));
  });

  it("compileEntitlementSigner signs the same vc+jwt as the plain signer, and the same VC 1.1 JWT for a VC 1.1 base", async () => {
    const x = { id: "urn:uuid:0b7c", beneficiary: "HK-B00000042", name: "ศิริวรรณ ธนสาร", area: "KE-047", revocationList: "https://i.example/status/2/revocation", suspensionList: "https://i.example/status/2/suspension", index: 131071 };
    expect(await compileEntitlementSigner(base2, f.issuer)(x)).toBe(await signEntitlementCredentialV2(withFields2(base2, x), f.issuer));
    expect(await compileEntitlementSigner(base, f.issuer)(x)).toBe(await signEntitlementPayload(withFields(base, x), f.issuer));
    const input = { ...sampleInput(f.issuer.did), id: x.id };
    expect(await signCredential(input, f.issuer, { format: "vc2" })).toBe(await signEntitlementCredentialV2(buildEntitlementCredentialV2(input), f.issuer));
    // A holder given per credential (OpenID4VCI: each wallet's key) on a base made without one.
    const bound = { ...sampleInput(f.issuer.did, f.holder.did), id: "urn:uuid:0b7c" };
    const fields = { id: "urn:uuid:0b7c", beneficiary: bound.subject.beneficiary, revocationList: bound.status.revocationList, suspensionList: bound.status.suspensionList, index: bound.status.index, holder: f.holder.did };
    for (const format of ["vc1", "vc2"] as const) {
      const paperBase = format === "vc2" ? base2 : buildEntitlementPayload(sampleInput(f.issuer.did));
      expect(await compileEntitlementSigner(paperBase, f.issuer)({ ...fields, ...(bound.subject.name ? { name: bound.subject.name } : {}), ...(bound.subject.area ? { area: bound.subject.area } : {}) })).toBe(await signCredential(bound, f.issuer, { format }));
    }
  });

  it("refuses a VC 2.0 base with swapped status entries", () => {
    expect(() => compileEntitlementCredentialV2({ ...base2, credentialStatus: [...base2.credentialStatus].reverse() })).toThrow(TypeError);
  });
});
