import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildEntitlementPayload, compileEntitlementPayload, serializeEntitlementPayload, statusEntryId } from "./canonical";
import { compileEntitlementSigner, signEntitlementPayload } from "./sign";
import type { EntitlementJwtPayload } from "./model";
import { makeFixture, sampleInput } from "../test/fixtures";

const f = await makeFixture();
const base = buildEntitlementPayload(sampleInput(f.issuer.did, f.holder.did));

/** The payload the compiled serializer stands for: the base with the fields set the slow way. */
function withFields(p: EntitlementJwtPayload, x: { id: string; beneficiary: string; name?: string; area?: string; revocationList: string; suspensionList: string; index: number }): EntitlementJwtPayload {
  const [rev, sus] = p.vc.credentialStatus as [EntitlementJwtPayload["vc"]["credentialStatus"][number], EntitlementJwtPayload["vc"]["credentialStatus"][number]];
  const i = String(x.index);
  return {
    ...p,
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
  },
  { requiredKeys: ["id", "beneficiary", "revocationList", "suspensionList", "index"] },
);

describe("compileEntitlementPayload", () => {
  it("writes exactly serializeEntitlementPayload's text for any field values, with or without name and area", () => {
    const toJson = compileEntitlementPayload(base);
    fc.assert(
      fc.property(fields, (x) => {
        expect(toJson(x)).toBe(serializeEntitlementPayload(withFields(base, x)));
      }),
      { numRuns: 2000 },
    );
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
