/**
 * Format 2 (`HK2:`): both credential formats (VC 1.1 VC-JWT with or without the status context,
 * VC 2.0 vc+jwt), credentials shaped exactly as the running issuer signs them (did:web of
 * localhost:3000, `key-` key ids, urn:uuid ids, `HK-` references, its http status list routes),
 * references to the issuer's key and the programme, and format 1 payloads made before format 2.
 * Sizes are the benchmark's business (`pnpm bench:qr`); here every payload must give back the
 * signed bytes and verify.
 */
import { codeOf } from "@haki/testing/code-of";
import { beforeAll, describe, expect, it } from "vitest";
import { buildEntitlementPayload, LEGACY_VC1_CONTEXTS } from "@haki/credentials/canonical";
import { generateKeyPair, withIdentifier, type HakiKeyPair } from "@haki/credentials/keys";
import type { EntitlementInput, JwtCredentialFormat } from "@haki/credentials/model";
import { signPresentation, verifyPresentation } from "@haki/credentials/presentation";
import { signCredential, signEntitlementPayload } from "@haki/credentials/sign";
import { trustListOf, type TrustList } from "@haki/credentials/trust";
import { verifyCredential } from "@haki/credentials/verify";
import { compactVerify, importJWK } from "jose";
import vectors from "../test/format1-vectors.json" with { type: "json" };
import {
  LEGACY_PROOF_PREFIX,
  PROOF_PREFIX,
  decodeProof,
  decodeReferences,
  encodeProofWithFormat,
  proofReferences,
  type EncodeProofOptions,
} from "./codec";

const ISSUER = "did:web:localhost%3A3000";
const NOW = new Date("2026-12-01T10:00:00Z");
let issuer: HakiKeyPair;
let holder: HakiKeyPair;
let trust: TrustList;

beforeAll(async () => {
  issuer = withIdentifier(await generateKeyPair(), ISSUER, "key-Qm9vbGVhbkZh");
  holder = await generateKeyPair();
  trust = trustListOf({ did: ISSUER, name: "Haki issuer", keys: [{ id: issuer.kid, publicKeyJwk: issuer.publicJwk }] });
});

/** What the issuer's entitlementInput gives for a demo beneficiary (issuer/src/server/issuance/entitlement-input.ts). */
function issuerInput(over: { holder?: string; name?: string; inKind?: boolean; index?: number } = {}): EntitlementInput {
  return {
    issuer: ISSUER,
    ...(over.holder ? { holder: over.holder } : {}),
    id: "urn:uuid:019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b",
    subject: {
      beneficiary: "HK-7M2Q9XK4TB",
      ...(over.name !== undefined ? { name: over.name } : { name: "จันทร์เพ็ญ ศรีสมบูรณ์" }),
      programme: over.inKind ? { id: "demo-food", name: "Food basket (demo)" } : { id: "demo-cash", name: "Cash transfer (demo)" },
      cycle: "demo-1",
      benefit: over.inKind ? { type: "InKind", item: "Maize flour", quantity: 10, unit: "kg" } : { type: "Cash", amount: 2500, currency: "KES" },
      redemption: over.inKind ? "partial" : "single",
      area: "KE-047",
    },
    validFrom: new Date("2026-11-24T00:00:00Z"),
    validUntil: new Date("2027-02-22T00:00:00Z"),
    status: { revocationList: "http://localhost:3000/status/1/revocation", suspensionList: "http://localhost:3000/status/1/suspension", index: over.index ?? 1234 },
  };
}

async function roundTrip(jwt: string, kind: "credential" | "presentation", options: EncodeProofOptions) {
  const encoded = encodeProofWithFormat(jwt, options);
  expect(encoded.format, encoded.fallbackReason).toBe("compact");
  expect(encoded.payload.startsWith(PROOF_PREFIX)).toBe(true);
  const decoded = decodeProof(encoded.payload, decodeReferences(trust.issuers, options.programmes ?? []));
  expect(decoded.jwt).toBe(jwt);
  expect(decoded.kind).toBe(kind);
  const r = kind === "credential" ? await verifyCredential(decoded.jwt, trust, { now: NOW }) : await verifyPresentation(decoded.jwt, trust, { now: NOW, maxAgeSeconds: 10 ** 9 });
  expect(r.valid).toBe(true);
  const issuerKey = await importJWK(issuer.publicJwk, "EdDSA");
  await compactVerify(decoded.credentialJwt ?? decoded.jwt, issuerKey);
  return encoded.payload;
}

describe("format 2 round trips the issuer's real credential shapes, both formats", () => {
  const formats: JwtCredentialFormat[] = ["vc1", "vc2"];
  it.each(formats.flatMap((f) => [[f, false], [f, true]] as const))("%s, in-kind %s: paper card and phone proof, with and without references", async (format, inKind) => {
    const paper = await signCredential(issuerInput({ inKind }), issuer, { format });
    const bound = await signCredential(issuerInput({ inKind, holder: holder.did }), issuer, { format });
    const vp = await signPresentation(bound, holder, { now: NOW });
    const refs = proofReferences(bound);
    expect(refs).toEqual({ issuers: [ISSUER], keys: [issuer.kid], programmes: [issuerInput({ inKind }).subject.programme] });
    const selfContained = await roundTrip(vp, "presentation", {});
    const referenced = await roundTrip(vp, "presentation", refs);
    expect(referenced.length).toBeLessThan(selfContained.length);
    await roundTrip(paper, "credential", { issuers: [ISSUER] });
    await roundTrip(paper, "credential", {});
  });

  it("keeps the context list of VC 1.1 cards issued before the status context", async () => {
    const p = buildEntitlementPayload(issuerInput());
    const legacy = await signEntitlementPayload({ ...p, vc: { ...p.vc, "@context": [...LEGACY_VC1_CONTEXTS] } }, issuer);
    const current = await signCredential(issuerInput(), issuer);
    expect(legacy).not.toBe(current);
    await roundTrip(legacy, "credential", { issuers: [ISSUER] });
    await roundTrip(current, "credential", { issuers: [ISSUER] });
  });

  it("carries names in every demo script, any index, and a did:jwk holder", async () => {
    const jwkHolder = await generateKeyPair({ method: "jwk" });
    for (const name of ["Amina Wanjiru", "Souleymane Dembélé", "ወለተሚካኤል ገብረመድኅን", "عبد الرحمن عبد الله", "A", "😀 Emoji 👍", "  two  spaces  "]) {
      for (const format of formats) {
        const bound = await signCredential(issuerInput({ name, holder: jwkHolder.did, index: 131_071 }), issuer, { format });
        await roundTrip(await signPresentation(bound, jwkHolder, { now: NOW, nonce: "n-1", audience: "sp-demo-nairobi" }), "presentation", proofReferences(bound));
      }
    }
  });
});

describe("references resolve only against what the verifier knows", () => {
  it("refuses a programme or key reference the verifier cannot resolve, with ERR_QR_UNKNOWN_ISSUER", async () => {
    const bound = await signCredential(issuerInput({ holder: holder.did }), issuer, { format: "vc2" });
    const { payload } = encodeProofWithFormat(await signPresentation(bound, holder, { now: NOW }), proofReferences(bound));
    const full = decodeReferences(trust.issuers, [{ id: "demo-cash", name: "Cash transfer (demo)" }]);
    expect(codeOf(() => decodeProof(payload, full))).toBeUndefined();
    expect(codeOf(() => decodeProof(payload, { ...full, programmes: [] }))).toBe("ERR_QR_UNKNOWN_ISSUER");
    expect(codeOf(() => decodeProof(payload, { ...full, programmes: [{ id: "demo-cash", name: "Cash transfer" }] }))).toBe("ERR_QR_UNKNOWN_ISSUER");
    expect(codeOf(() => decodeProof(payload, { ...full, keys: [`${ISSUER}#key-other`] }))).toBe("ERR_QR_UNKNOWN_ISSUER");
    expect(codeOf(() => decodeProof(payload, { ...full, issuers: [] }))).toBe("ERR_QR_UNKNOWN_ISSUER");
  });

  it("decodeReferences takes key ids as fragments or full ids", () => {
    expect(decodeReferences([{ did: ISSUER, keys: [{ id: "key-1" }, { id: `${ISSUER}#key-2` }, { id: "#key-3" }] }]).keys).toEqual([
      `${ISSUER}#key-1`,
      `${ISSUER}#key-2`,
      `${ISSUER}#key-3`,
    ]);
    expect(proofReferences("not a jwt")).toEqual({});
  });
});

describe("format 1 payloads made before format 2 (test/format1-vectors.json)", () => {
  it("decode to the very JWT that was signed, which still verifies", async () => {
    const v1Trust = trustListOf({ did: vectors.issuer.did, name: "Ministry", keys: [{ id: vectors.issuer.keyId, publicKeyJwk: vectors.issuer.publicKeyJwk as never }] });
    expect(vectors.paperCard.payload.startsWith(LEGACY_PROOF_PREFIX)).toBe(true);
    const paper = decodeProof(vectors.paperCard.payload, { issuers: vectors.paperCard.issuers });
    expect(paper).toMatchObject({ kind: "credential", format: "compact", jwt: vectors.paperCard.jwt });
    const r = await verifyCredential(paper.jwt, v1Trust, { now: new Date("2027-03-15T00:00:00Z") });
    expect(r.valid && r.payload.vc["@context"]).toEqual([...LEGACY_VC1_CONTEXTS]);

    const proof = decodeProof(vectors.presentation.payload);
    expect(proof).toMatchObject({ kind: "presentation", format: "compact", jwt: vectors.presentation.jwt });
    const p = await verifyPresentation(proof.jwt, v1Trust, { now: new Date(vectors.presentation.createdAt) });
    expect(p.valid && p.presentation.holder).toBe(vectors.holder);
  });

  it("the same credential is re-encoded in format 2, never in format 1", () => {
    expect(encodeProofWithFormat(vectors.paperCard.jwt, { issuers: vectors.paperCard.issuers }).payload.startsWith("HK2:")).toBe(true);
  });
});
