/**
 * VC Data Model 2.0 secured with VC-JOSE-COSE (`vc+jwt`, `vp+jwt`): Haki signs and verifies both
 * formats; jose verifies what Haki issues and Haki verifies what jose issues; VC 1.1 cards issued
 * before (two contexts, no status context) keep verifying; the W3C VC 2.0 test suite's envelope
 * fixtures (w3c/vc-data-model-2.0-test-suite, tests/fixtures.js and 4.13.2-envelopes.js) are read
 * the way the suite expects.
 */
import { describe, expect, it } from "vitest";
import { CompactSign, SignJWT, importJWK, jwtVerify } from "jose";
import { buildEntitlementCredentialV2, buildEntitlementPayload, LEGACY_VC1_CONTEXTS, serializeEntitlementPayload } from "./canonical";
import { BitstringStatusListEntry } from "./model";
import {
  buildPresentationPayloadV2,
  envelopeCredential,
  serializePresentationPayloadV2,
  signPresentation,
  unwrapEnvelopedCredential,
  verifyPresentation,
} from "./presentation";
import { generateKeyPair } from "./keys";
import { signCredential } from "./sign";
import { readEntitlementCredential, verifyCredential, type VerificationResult } from "./verify";
import { b64url, makeFixture, NOW, sampleInput, signManual } from "../test/fixtures";

const f = await makeFixture();
const input = sampleInput(f.issuer.did, f.holder.did);
const vc2 = await signCredential(input, f.issuer, { format: "vc2" });
const paper2 = await signCredential(sampleInput(f.issuer.did), f.issuer, { format: "vc2" });
const decode = (jwt: string, part: 0 | 1) => JSON.parse(Buffer.from(jwt.split(".")[part]!, "base64url").toString()) as Record<string, unknown>;
const outcomeOf = (r: VerificationResult) => (r.valid ? "valid" : r.code);
const lookup = (bits: Partial<Record<"revocation" | "suspension", boolean>>) => (e: BitstringStatusListEntry) => bits[e.statusPurpose];

describe("vc+jwt issuing", () => {
  it("is a JWT whose claims set is the VC 2.0 credential: typ vc+jwt, v2 contexts, validFrom/validUntil, no vc claim", () => {
    expect(decode(vc2, 0)).toEqual({ alg: "EdDSA", typ: "vc+jwt", kid: f.issuer.kid });
    const claims = decode(vc2, 1);
    expect(claims).toEqual(JSON.parse(JSON.stringify(buildEntitlementCredentialV2(input))));
    expect(claims["@context"]).toEqual(["https://www.w3.org/ns/credentials/v2", "https://w3id.org/haki/entitlement/v2"]);
    expect(claims).toMatchObject({ issuer: f.issuer.did, validFrom: "2027-03-01T00:00:00Z", validUntil: "2027-04-01T00:00:00Z" });
    expect(claims).not.toHaveProperty("vc");
    expect((claims.credentialSubject as Record<string, unknown>).id).toBe(f.holder.did);
    expect(claims.credentialStatus).toEqual([
      { id: `${input.status.revocationList}#42`, type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListIndex: "42", statusListCredential: input.status.revocationList },
      { id: `${input.status.suspensionList}#42`, type: "BitstringStatusListEntry", statusPurpose: "suspension", statusListIndex: "42", statusListCredential: input.status.suspensionList },
    ]);
  });

  it("verifies in Haki with the same result shape as VC 1.1 (format, VC 1.1 claims view, the credential itself)", async () => {
    const r = await verifyCredential(vc2, f.trust, { now: NOW, status: lookup({ revocation: false, suspension: false }), requireStatus: true });
    if (!r.valid) throw new Error(r.code);
    const v1 = await verifyCredential(await signCredential(input, f.issuer), f.trust, { now: NOW, status: lookup({ revocation: false, suspension: false }), requireStatus: true });
    if (!v1.valid) throw new Error(v1.code);
    expect(r.format).toBe("vc2");
    expect(v1.format).toBe("vc1");
    for (const k of ["subject", "issuer", "kid", "holder", "holderBinding", "status", "validFrom", "validUntil"] as const) expect(r[k]).toEqual(v1[k]);
    expect(r.payload.vc.credentialStatus).toEqual(v1.payload.vc.credentialStatus);
    expect(r.payload).toMatchObject({ iss: v1.payload.iss, sub: v1.payload.sub, nbf: v1.payload.nbf, exp: v1.payload.exp });
    expect(r.credential?.validUntil).toBe("2027-04-01T00:00:00Z");
  });

  it("jose jwtVerify checks Haki's vc+jwt (signature and typ) with the issuer's JWK", async () => {
    const key = await importJWK(f.issuer.publicJwk, "EdDSA");
    const { payload, protectedHeader } = await jwtVerify(vc2, key, { typ: "vc+jwt", algorithms: ["EdDSA"] });
    expect(protectedHeader.typ).toBe("vc+jwt");
    expect(payload.validFrom).toBe("2027-03-01T00:00:00Z");
    await expect(jwtVerify(vc2, key, { typ: "JWT" })).rejects.toMatchObject({ code: "ERR_JWT_CLAIM_VALIDATION_FAILED" });
  });

  it("Haki verifies a vc+jwt made by jose (other member order, issuer object, iat), and honours its exp", async () => {
    const credential = JSON.parse(JSON.stringify(buildEntitlementCredentialV2(input)));
    const reordered = { issuer: { id: f.issuer.did, name: "Ministry" }, ...credential, iat: Math.floor(NOW.getTime() / 1000) };
    reordered.issuer = { id: f.issuer.did, name: "Ministry" };
    const jwt = await new SignJWT(reordered).setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt", kid: f.issuer.kid }).sign(f.issuer.privateKey);
    const r = await verifyCredential(jwt, f.trust, { now: NOW });
    expect(r.valid && r.subject).toEqual(input.subject);
    // An exp claim shorter than validUntil narrows the period (the stricter of both holds).
    const withExp = await new SignJWT({ ...credential, exp: Math.floor(Date.parse("2027-03-10T00:00:00Z") / 1000) })
      .setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt", kid: f.issuer.kid })
      .sign(f.issuer.privateKey);
    expect(outcomeOf(await verifyCredential(withExp, f.trust, { now: NOW }))).toBe("ERR_EXPIRED");
  });
});

describe("vc+jwt tamper matrix", () => {
  const claims = () => JSON.parse(JSON.stringify(buildEntitlementCredentialV2(input))) as Record<string, unknown>;
  const signClaims = (c: Record<string, unknown>, header: Record<string, unknown> = { alg: "EdDSA", typ: "vc+jwt", kid: f.issuer.kid }) =>
    signManual(header, c, f.issuer.privateKey);
  const [h, p, s] = vc2.split(".") as [string, string, string];
  const cases: [string, string, () => Promise<VerificationResult>][] = [
    ["alg none", "ERR_ALG_UNSUPPORTED", () => verifyCredential(`${b64url('{"alg":"none","typ":"vc+jwt"}')}.${p}.`, f.trust, { now: NOW })],
    ["signature byte flipped", "ERR_SIGNATURE_INVALID", () => verifyCredential(`${h}.${p}.${s.slice(0, 10)}${s[10] === "A" ? "B" : "A"}${s.slice(11)}`, f.trust, { now: NOW })],
    ["validUntil extended after signing", "ERR_SIGNATURE_INVALID", () => verifyCredential(`${h}.${b64url(JSON.stringify({ ...claims(), validUntil: "2030-01-01T00:00:00Z" }))}.${s}`, f.trust, { now: NOW })],
    ["a vc claim inside a vc+jwt", "ERR_WRONG_TYPE", async () => verifyCredential(await signClaims({ ...claims(), vc: {} }), f.trust, { now: NOW })],
    ["a vp+jwt offered as a credential", "ERR_WRONG_TYPE", async () => verifyCredential(await signClaims(claims(), { alg: "EdDSA", typ: "vp+jwt", kid: f.issuer.kid }), f.trust, { now: NOW })],
    ["not an entitlement", "ERR_WRONG_TYPE", async () => verifyCredential(await signClaims({ ...claims(), type: ["VerifiableCredential"] }), f.trust, { now: NOW })],
    ["VC 1.1 context in a v2 credential", "ERR_SCHEMA_VIOLATION", async () => verifyCredential(await signClaims({ ...claims(), "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/haki/entitlement/v2"] }), f.trust, { now: NOW })],
    ["no validUntil", "ERR_SCHEMA_VIOLATION", async () => verifyCredential(await signClaims({ ...claims(), validUntil: undefined }), f.trust, { now: NOW })],
    ["validFrom without a time zone", "ERR_SCHEMA_VIOLATION", async () => verifyCredential(await signClaims({ ...claims(), validFrom: "2027-03-01T00:00:00" }), f.trust, { now: NOW })],
    ["national ID in the subject", "ERR_SCHEMA_VIOLATION", async () => verifyCredential(await signClaims({ ...claims(), credentialSubject: { ...(claims().credentialSubject as object), nationalId: "1" } }), f.trust, { now: NOW })],
    ["before validFrom", "ERR_NOT_YET_VALID", () => verifyCredential(vc2, f.trust, { now: new Date("2027-02-01T00:00:00Z") })],
    ["after validUntil", "ERR_EXPIRED", () => verifyCredential(vc2, f.trust, { now: new Date("2027-04-02T00:00:00Z") })],
    ["revoked", "ERR_REVOKED", () => verifyCredential(vc2, f.trust, { now: NOW, status: lookup({ revocation: true, suspension: false }) })],
    ["suspended", "ERR_SUSPENDED", () => verifyCredential(vc2, f.trust, { now: NOW, status: lookup({ revocation: false, suspension: true }) })],
    ["bound card shown bare", "ERR_HOLDER_PROOF_REQUIRED", () => verifyCredential(vc2, f.trust, { now: NOW, requireHolderProof: true })],
    ["unknown issuer", "ERR_ISSUER_UNTRUSTED", async () => {
      const k = await generateKeyPair();
      return verifyCredential(await signCredential(sampleInput(k.did), k, { format: "vc2" }), f.trust, { now: NOW });
    }],
  ];
  it.each(cases)("%s -> %s", async (_name, code, run) => {
    expect(outcomeOf(await run())).toBe(code);
  });

  it("a paper card (no credentialSubject.id) passes with holderBinding none", async () => {
    const r = await verifyCredential(paper2, f.trust, { now: NOW, requireHolderProof: true });
    expect(r.valid && r.holderBinding).toBe("none");
  });
});

describe("vp+jwt presentations", () => {
  it("the holder presents a vc+jwt as a vp+jwt with an enveloped credential, canonical bytes", async () => {
    const vp = await signPresentation(vc2, f.holder, { now: NOW, id: "fixed-id-123", nonce: "n-7", audience: "sp-demo" });
    expect(decode(vp, 0)).toEqual({ alg: "EdDSA", typ: "vp+jwt", kid: f.holder.kid });
    const claims = decode(vp, 1);
    expect(Buffer.from(vp.split(".")[1]!, "base64url").toString()).toBe(
      serializePresentationPayloadV2(buildPresentationPayloadV2({ credential: vc2, holder: f.holder.did, now: NOW, id: "fixed-id-123", nonce: "n-7", audience: "sp-demo" })),
    );
    expect(Object.keys(claims)).toEqual(["@context", "type", "holder", "verifiableCredential", "aud", "jti", "iat", "nonce"]);
    expect(claims.verifiableCredential).toEqual([{ "@context": "https://www.w3.org/ns/credentials/v2", id: `data:application/vc+jwt,${vc2}`, type: "EnvelopedVerifiableCredential" }]);
    const r = await verifyPresentation(vp, f.trust, { now: NOW, nonce: "n-7", audience: "sp-demo", isReplay: () => false });
    if (!r.valid) throw new Error(r.code);
    expect(r.format).toBe("vc2");
    expect(r.holderBinding).toBe("verified");
    expect(r.presentation).toMatchObject({ id: "fixed-id-123", holder: f.holder.did, nonce: "n-7" });
  });

  it("jose verifies Haki's vp+jwt and its enveloped vc+jwt; Haki verifies a vp+jwt jose signed", async () => {
    const vp = await signPresentation(vc2, f.holder, { now: NOW });
    const { payload } = await jwtVerify(vp, await importJWK(f.holder.publicJwk, "EdDSA"), { typ: "vp+jwt" });
    const inner = unwrapEnvelopedCredential((payload.verifiableCredential as unknown[])[0]);
    expect(inner).toBe(vc2);
    await jwtVerify(inner!, await importJWK(f.issuer.publicJwk, "EdDSA"), { typ: "vc+jwt" });

    const byJose = await new SignJWT({
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiablePresentation"],
      holder: f.holder.did,
      verifiableCredential: [{ "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["EnvelopedVerifiableCredential"], id: `data:application/vc+jwt,${vc2}` }],
      nonce: "abc",
    })
      .setProtectedHeader({ alg: "EdDSA", typ: "vp+jwt", kid: f.holder.kid })
      .setJti("jose-one-time-1")
      .setIssuedAt(Math.floor(NOW.getTime() / 1000))
      .sign(f.holder.privateKey);
    const r = await verifyPresentation(byJose, f.trust, { now: NOW, nonce: "abc" });
    expect(r.valid && r.presentation.id).toBe("jose-one-time-1");
  });

  const vp = (opts: Parameters<typeof signPresentation>[2] = {}) => signPresentation(vc2, f.holder, { now: NOW, ...opts });
  const cases: [string, string, () => Promise<VerificationResult>][] = [
    ["stale", "ERR_PRESENTATION_STALE", async () => verifyPresentation(await vp(), f.trust, { now: new Date(NOW.getTime() + 600_000) })],
    ["replayed", "ERR_PRESENTATION_REPLAYED", async () => verifyPresentation(await vp(), f.trust, { now: NOW, isReplay: () => true })],
    ["wrong nonce", "ERR_NONCE_MISMATCH", async () => verifyPresentation(await vp({ nonce: "a" }), f.trust, { now: NOW, nonce: "b" })],
    ["wrong audience", "ERR_NONCE_MISMATCH", async () => verifyPresentation(await vp({ audience: "a" }), f.trust, { now: NOW, audience: "b" })],
    ["signed by another phone claiming the holder", "ERR_SIGNATURE_INVALID", async () => {
      const thief = await generateKeyPair();
      return verifyPresentation(await signPresentation(vc2, { kid: f.holder.kid, privateKey: thief.privateKey }, { now: NOW }), f.trust, { now: NOW });
    }],
    ["another phone presents someone else's card", "ERR_HOLDER_BINDING", async () => {
      const thief = await generateKeyPair();
      const payload = { ...buildPresentationPayloadV2({ credential: vc2, holder: thief.did, now: NOW }) };
      return verifyPresentation(await signManual({ alg: "EdDSA", typ: "vp+jwt", kid: thief.kid }, payload, thief.privateKey), f.trust, { now: NOW });
    }],
    ["paper card in a presentation", "ERR_HOLDER_BINDING", async () => verifyPresentation(await signPresentation(paper2, f.holder, { now: NOW }), f.trust, { now: NOW })],
    ["VC 1.1 JWT enveloped as a vc+jwt", "ERR_MALFORMED", async () => {
      const v1 = await signCredential(input, f.issuer);
      const payload = { ...buildPresentationPayloadV2({ credential: v1, holder: f.holder.did, now: NOW }) };
      return verifyPresentation(await signManual({ alg: "EdDSA", typ: "vp+jwt", kid: f.holder.kid }, payload, f.holder.privateKey), f.trust, { now: NOW });
    }],
    ["credential inside is revoked", "ERR_REVOKED", async () => verifyPresentation(await vp(), f.trust, { now: NOW, status: lookup({ revocation: true }) })],
  ];
  it.each(cases)("%s -> %s", async (_name, code, run) => {
    expect(outcomeOf(await run())).toBe(code);
  });
});

describe("VC 1.1 cards already in people's hands", () => {
  it("a card issued before the status context (two contexts) still verifies, bare and presented", async () => {
    const payload = buildEntitlementPayload(input);
    const legacy = { ...payload, vc: { ...payload.vc, "@context": [...LEGACY_VC1_CONTEXTS] } };
    const header = b64url(JSON.stringify({ alg: "EdDSA", typ: "JWT", kid: f.issuer.kid }));
    const body = b64url(serializeEntitlementPayload(legacy));
    const sig = await new CompactSign(new TextEncoder().encode(serializeEntitlementPayload(legacy)))
      .setProtectedHeader({ alg: "EdDSA", typ: "JWT", kid: f.issuer.kid })
      .sign(f.issuer.privateKey);
    expect(sig.startsWith(`${header}.${body}.`)).toBe(true);
    const r = await verifyCredential(sig, f.trust, { now: NOW });
    expect(r.valid && r.format).toBe("vc1");
    const p = await verifyPresentation(await signPresentation(sig, f.holder, { now: NOW }), f.trust, { now: NOW });
    expect(p.valid && p.payload.vc["@context"]).toEqual([...LEGACY_VC1_CONTEXTS]);
  });
});

describe("W3C VC 2.0 test suite: enveloped credentials (fixtures.js, 4.13.2-envelopes.js)", () => {
  // tests/fixtures.js `envelopedCredential` wraps `vc_jwt` (an ES256 JWT with a vc claim).
  const suiteJwt =
    "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJ2YyI6eyJAY29udGV4dCI6WyJodHRwczovL3d3dy53My5vcmcvbnMvY3JlZGVudGlhbHMvdjIiLCJodHRwczovL3d3dy53My5vcmcvbnMvY3JlZGVudGlhbHMvZXhhbXBsZXMvdjIiXSwiaWQiOiJodHRwOi8vZXhhbXBsZS5lZHUvY3JlZGVudGlhbHMvMzczMiIsInR5cGUiOlsiVmVyaWZpYWJsZUNyZWRlbnRpYWwiLCJVbml2ZXJzaXR5RGVncmVlQ3JlZGVudGlhbCJdLCJpc3N1ZXIiOiJodHRwczovL2V4YW1wbGUuZWR1L2lzc3VlcnMvNTY1MDQ5IiwidmFsaWRGcm9tIjoiMjAxMC0wMS0wMVQwMDowMDowMFoiLCJjcmVkZW50aWFsU3ViamVjdCI6eyJpZCI6ImRpZDpleGFtcGxlOmViZmViMWY3MTJlYmM2ZjFjMjc2ZTEyZWMyMSIsImRlZ3JlZSI6eyJ0eXBlIjoiQmFjaGVsb3JEZWdyZWUiLCJuYW1lIjoiQmFjaGVsb3Igb2YgU2NpZW5jZSBhbmQgQXJ0cyJ9fX0sImlzcyI6Imh0dHBzOi8vZXhhbXBsZS5lZHUvaXNzdWVycy81NjUwNDkiLCJqdGkiOiJodHRwOi8vZXhhbXBsZS5lZHUvY3JlZGVudGlhbHMvMzczMiIsInN1YiI6ImRpZDpleGFtcGxlOmViZmViMWY3MTJlYmM2ZjFjMjc2ZTEyZWMyMSJ9.0fkQPZOKlD0Sl0A798KBUNMOdGq90McQQIEtKU9tgSd9K1kRcxWVKDXQJcn_FJqLvo2bk793EHk-RTeEL1HyAQ";
  const enveloped = { "@context": "https://www.w3.org/ns/credentials/v2", type: "EnvelopedVerifiableCredential", id: `data:application/vc+jwt,${suiteJwt}` };

  it("unwraps the suite's enveloped credential, and Haki refuses its ES256 JWT by algorithm", async () => {
    expect(unwrapEnvelopedCredential(enveloped)).toBe(suiteJwt);
    expect(outcomeOf(await verifyCredential(unwrapEnvelopedCredential(enveloped)!, f.trust, { now: NOW }))).toBe("ERR_ALG_UNSUPPORTED");
  });

  it("refuses the suite's negative fixtures: empty or wrong @context, id not a data URL, type missing or wrong", () => {
    const negatives = [
      { ...enveloped, "@context": [] },
      { ...enveloped, "@context": "https://www.w3.org/ns/credentials/examples/v2" },
      { ...enveloped, id: suiteJwt },
      { ...enveloped, type: undefined },
      { ...enveloped, type: "VerifiableCredential" },
    ];
    for (const n of negatives) expect(unwrapEnvelopedCredential(n)).toBeUndefined();
  });

  it("envelopes Haki's own vc+jwt the way the suite writes it", () => {
    expect(envelopeCredential(vc2)).toEqual({ "@context": "https://www.w3.org/ns/credentials/v2", id: `data:application/vc+jwt,${vc2}`, type: "EnvelopedVerifiableCredential" });
  });
});

describe("readEntitlementCredential (a wallet reading its stored cards, no signature check)", () => {
  it("reads both formats into the same claims view, and nothing else", async () => {
    const v1 = readEntitlementCredential(await signCredential(input, f.issuer));
    const v2 = readEntitlementCredential(vc2);
    expect(v1?.format).toBe("vc1");
    expect(v2?.format).toBe("vc2");
    expect(v2?.payload.vc.credentialSubject).toEqual(v1?.payload.vc.credentialSubject);
    expect(v2?.payload).toMatchObject({ iss: v1?.payload.iss, sub: v1?.payload.sub, nbf: v1?.payload.nbf, exp: v1?.payload.exp });
    expect(v2?.credential?.validFrom).toBe("2027-03-01T00:00:00Z");
    expect(readEntitlementCredential("a.b.c")).toBeUndefined();
    expect(readEntitlementCredential(await signPresentation(vc2, f.holder, { now: NOW }))).toBeUndefined();
  });
});

describe("W3C Bitstring Status List v1.0, section 2.1, Example 1 (the spec's credentialStatus entry)", () => {
  const example = {
    id: "https://example.com/credentials/status/3#94567",
    type: "BitstringStatusListEntry",
    statusPurpose: "revocation",
    statusListIndex: "94567",
    statusListCredential: "https://example.com/credentials/status/3",
  };

  it("is an entry as Haki reads it, and Haki's own entries have the same shape", () => {
    expect(BitstringStatusListEntry.parse(example)).toEqual(example);
    const status = (decode(vc2, 1) as { credentialStatus: object[] }).credentialStatus;
    for (const entry of status) expect(Object.keys(BitstringStatusListEntry.parse(entry)).sort()).toEqual(Object.keys(example).sort());
  });

  it("refuses what Haki does not read: a number index (the spec says a string), a leading zero, a purpose Haki does not use, the 2021 type", () => {
    for (const bad of [{ statusListIndex: 94567 }, { statusListIndex: "094567" }, { statusPurpose: "refresh" }, { type: "StatusList2021Entry" }])
      expect(BitstringStatusListEntry.safeParse({ ...example, ...bad }).success).toBe(false);
  });
});
