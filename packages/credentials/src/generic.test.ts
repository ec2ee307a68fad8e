import { describe, expect, it } from "vitest";
import { SignJWT, decodeProtectedHeader, exportJWK, importJWK, jwtVerify } from "jose";
import { generateKeyPair, withIdentifier } from "./keys";
import { trustListOf } from "./trust";
import { signGenericCredential, verifyGenericCredential, verifyGenericPresentation } from "./generic";
import { checkCredentialV2, isDateTimeStamp } from "./vcdm2";
import { envelopeCredential } from "./presentation";

const V2 = "https://www.w3.org/ns/credentials/v2";
const NOW = new Date("2027-03-05T10:00:00Z");
const credential = {
  "@context": [V2, { TrainingCredential: "https://ministry.example/vocab#TrainingCredential", course: "https://schema.org/name" }],
  type: ["VerifiableCredential", "TrainingCredential"],
  validFrom: "2027-01-01T00:00:00Z",
  validUntil: "2028-01-01T00:00:00Z",
  credentialSubject: [{ id: "did:example:alice", course: "Bookkeeping" }, { course: "Bookkeeping" }],
};

async function setup() {
  const issuer = withIdentifier(await generateKeyPair(), "did:web:issuer.example", "key-1");
  const trust = trustListOf({ did: issuer.did, name: "Ministry", keys: [{ id: "key-1", publicKeyJwk: issuer.publicJwk }] });
  return { issuer, trust };
}

describe("generic VC 2.0 credentials (vc+jwt)", () => {
  it("signs any conforming credential as this issuer; jose verifies it with typ vc+jwt", async () => {
    const { issuer } = await setup();
    const { jwt } = await signGenericCredential({ ...credential, issuer: "did:example:asked-for" }, issuer);
    const { payload, protectedHeader } = await jwtVerify(jwt, await importJWK(issuer.publicJwk, "EdDSA"), { typ: "vc+jwt" });
    expect(protectedHeader).toMatchObject({ alg: "EdDSA", kid: "did:web:issuer.example#key-1" });
    expect(payload).toEqual({ ...credential, issuer: issuer.did });
  });

  it("refuses what the data model refuses, with every issue, and signs nothing", async () => {
    const { issuer } = await setup();
    await expect(signGenericCredential({ type: ["VerifiableCredential"], credentialSubject: {} }, issuer)).rejects.toMatchObject({
      code: "ERR_INPUT_INVALID",
      issues: [{ path: "@context" }, { path: "credentialSubject" }],
    });
    // A context URL this package does not hold is refused, never fetched.
    expect(await checkCredentialV2({ ...credential, issuer: "did:example:i", "@context": [V2, "https://evil.example/context.jsonld"] })).toEqual([
      { path: "@context[1]", message: "is not a context this service holds (contexts are never fetched)" },
    ]);
  });

  it("verifies what it signs and what jose signs for a trusted issuer; status through the lookup; other status types as warnings", async () => {
    const { issuer, trust } = await setup();
    const { jwt } = await signGenericCredential(credential, issuer);
    expect(await verifyGenericCredential(jwt, trust, { now: NOW })).toMatchObject({ valid: true, issuer: { did: issuer.did, name: "Ministry" }, checks: ["proof", "issuer", "dataModel", "validity"] });
    expect(await verifyGenericCredential(envelopeCredential(jwt), trust, { now: NOW })).toMatchObject({ valid: true });

    const status = { id: "https://issuer.example/status/1#7", type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListIndex: "7", statusListCredential: "https://issuer.example/status/1" };
    const withStatus = await new SignJWT({ ...credential, "@context": [V2, "https://www.w3.org/ns/credentials/examples/v2"], issuer: issuer.did, credentialStatus: status, iat: 1 })
      .setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt", kid: issuer.kid })
      .sign(issuer.privateKey);
    expect(await verifyGenericCredential(withStatus, trust, { now: NOW, status: () => false })).toMatchObject({ valid: true, checks: ["proof", "issuer", "dataModel", "validity", "credentialStatus"] });
    expect(await verifyGenericCredential(withStatus, trust, { now: NOW, status: () => true })).toMatchObject({ valid: false, code: "ERR_REVOKED" });
    expect(await verifyGenericCredential(withStatus, trust, { now: NOW })).toMatchObject({ valid: true, warnings: [{ code: "STATUS_UNAVAILABLE" }] });
  });

  it("refuses alg none, a flipped signature, an untrusted issuer, a VC 1.1 claim set, a non-conforming signed credential, and an expired one", async () => {
    const { issuer, trust } = await setup();
    const { jwt } = await signGenericCredential(credential, issuer);
    const [h, p, s] = jwt.split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "vc+jwt" })).toString("base64url")}.${p}.`;
    const flipped = `${h}.${p}.${s!.slice(0, -2)}${s!.endsWith("AA") ? "BA" : "AA"}`;
    const stranger = await generateKeyPair();
    const foreign = await new SignJWT({ ...credential, issuer: stranger.did }).setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt", kid: stranger.kid }).sign(stranger.privateKey);
    const vc1 = await new SignJWT({ vc: credential }).setProtectedHeader({ alg: "EdDSA", typ: "JWT", kid: issuer.kid }).setIssuer(issuer.did).sign(issuer.privateKey);
    const bad = await new SignJWT({ ...credential, issuer: issuer.did, credentialSubject: {} }).setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt", kid: issuer.kid }).sign(issuer.privateKey);
    const codes = async (x: unknown) => ((r) => (r.valid ? "valid" : r.code))(await verifyGenericCredential(x, trust, { now: NOW }));
    expect(await codes(none)).toBe("ERR_ALG_UNSUPPORTED");
    expect(await codes(flipped)).toBe("ERR_SIGNATURE_INVALID");
    expect(await codes(foreign)).toBe("ERR_ISSUER_UNTRUSTED");
    expect(await codes(vc1)).toBe("ERR_WRONG_TYPE");
    expect(await codes(bad)).toBe("ERR_SCHEMA_VIOLATION");
    expect(await codes({ ...credential, issuer: issuer.did })).toBe("ERR_MALFORMED");
    expect(((r) => (r.valid ? "valid" : r.code))(await verifyGenericCredential(jwt, trust, { now: new Date("2028-02-01T00:00:00Z") }))).toBe("ERR_EXPIRED");
  });

  it("knows a dateTimeStamp", () => {
    for (const ok of ["2027-03-01T00:00:00Z", "2023-02-26T01:02:58.447Z", "2023-02-25T19:10:39-06:00"]) expect(isDateTimeStamp(ok)).toBe(true);
    for (const bad of ["2027-03-01", "2027-03-01T00:00:00", "Sat 25 Feb 2023 07:16:31 PM CST", "2027-13-01T00:00:00Z"]) expect(isDateTimeStamp(bad)).toBe(false);
  });
});

describe("generic VC 2.0 presentations (vp+jwt)", () => {
  it("verifies the holder's signature, challenge, domain and each enveloped credential; refuses another holder's key and a self-asserted credential from someone else", async () => {
    const { issuer, trust } = await setup();
    const { jwt } = await signGenericCredential(credential, issuer);
    const holder = await generateKeyPair();
    const vp = (claims: Record<string, unknown>, key = holder) =>
      new SignJWT({ "@context": [V2], type: ["VerifiablePresentation"], holder: key.did, verifiableCredential: [envelopeCredential(jwt)], ...claims })
        .setProtectedHeader({ alg: "EdDSA", typ: "vp+jwt", kid: key.kid })
        .setIssuedAt(Math.floor(NOW.getTime() / 1000))
        .sign(key.privateKey);
    const ok = await vp({ nonce: "c-1", aud: "verifier.example" });
    expect(await verifyGenericPresentation(ok, trust, { now: NOW, challenge: "c-1", domain: "verifier.example" })).toMatchObject({ valid: true, holder: holder.did, credentials: 1 });
    expect(await verifyGenericPresentation({ "@context": [V2], id: `data:application/vp+jwt,${ok}`, type: "EnvelopedVerifiablePresentation" }, trust, { now: NOW })).toMatchObject({ valid: true });
    expect(await verifyGenericPresentation(ok, trust, { now: NOW, challenge: "c-2" })).toMatchObject({ valid: false, code: "ERR_NONCE_MISMATCH" });

    const other = await generateKeyPair();
    const signedByOther = await new SignJWT({ "@context": [V2], type: ["VerifiablePresentation"], holder: holder.did })
      .setProtectedHeader({ alg: "EdDSA", typ: "vp+jwt", kid: other.kid })
      .sign(other.privateKey);
    expect(await verifyGenericPresentation(signedByOther, trust, { now: NOW })).toMatchObject({ valid: false, code: "ERR_HOLDER_BINDING" });

    const selfAsserted = { "@context": [V2, "https://www.w3.org/ns/credentials/examples/v2"], type: ["VerifiableCredential"], issuer: holder.did, credentialSubject: { id: holder.did, nickname: "Ami" } };
    expect(await verifyGenericPresentation(await vp({ verifiableCredential: [selfAsserted] }), trust, { now: NOW })).toMatchObject({ valid: true });
    expect(await verifyGenericPresentation(await vp({ verifiableCredential: [{ ...selfAsserted, issuer: issuer.did }] }), trust, { now: NOW })).toMatchObject({ valid: false, code: "ERR_HOLDER_BINDING" });
    // A holder known only by a did:jwk works the same (resolved offline).
    const jwkHolder = await generateKeyPair();
    const x = (await exportJWK(jwkHolder.publicKey)).x!;
    const didJwk = `did:jwk:${Buffer.from(JSON.stringify({ kty: "OKP", crv: "Ed25519", x })).toString("base64url")}`;
    const viaJwk = await new SignJWT({ "@context": [V2], type: ["VerifiablePresentation"], holder: didJwk })
      .setProtectedHeader({ alg: "EdDSA", typ: "vp+jwt", kid: `${didJwk}#0` })
      .sign(jwkHolder.privateKey);
    expect(await verifyGenericPresentation(viaJwk, trust, { now: NOW })).toMatchObject({ valid: true, holder: didJwk });
    expect(decodeProtectedHeader(viaJwk).typ).toBe("vp+jwt");
  });
});
