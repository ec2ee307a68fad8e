/**
 * Interoperability both ways with independent libraries, fully offline:
 * - Haki credentials verify with did-jwt-vc, did-jwt, jose and Veramo's own verifyCredential;
 * - credentials made by did-jwt-vc, jose and Veramo with the same claims verify in Haki.
 * DIDs resolve through key-did-resolver (Ceramic, independent of Haki) and a did:web resolver fed
 * with the document Haki builds for the issuer to publish.
 */
import { describe, expect, it } from "vitest";
import { EdDSASigner, verifyJWT } from "did-jwt";
import {
  createVerifiableCredentialJwt,
  createVerifiablePresentationJwt,
  normalizeCredential,
  verifyCredential as didJwtVcVerify,
  verifyPresentation,
  type JwtCredentialPayload,
} from "did-jwt-vc";
import { Resolver, type DIDResolutionResult } from "did-resolver";
import { getResolver as keyDidResolver } from "key-did-resolver";
import { SignJWT, importJWK, jwtVerify } from "jose";
import { base64urlnopad } from "@scure/base";
import { createHakiAgent } from "./agent";
import { buildEntitlementPayload } from "./canonical";
import { buildDidWebDocument } from "./did";
import { exportPrivateJwk, generateKeyPair } from "./keys";
import type { EntitlementJwtPayload } from "./model";
import { signCredential } from "./sign";
import { trustListOf } from "./trust";
import { verifyCredential } from "./verify";
import { ISSUER_DID, makeFixture, NOW, sampleInput } from "../test/fixtures";

const f = await makeFixture();
const didWebDocument = buildDidWebDocument({ did: ISSUER_DID, keys: [{ id: "key-1", publicKeyJwk: f.issuer.publicJwk }] });
const resolver = new Resolver({
  ...keyDidResolver(),
  web: async (did): Promise<DIDResolutionResult> =>
    did === ISSUER_DID
      ? { didResolutionMetadata: {}, didDocument: didWebDocument, didDocumentMetadata: {} }
      : { didResolutionMetadata: { error: "notFound" }, didDocument: null, didDocumentMetadata: {} },
});
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const input = sampleInput(f.issuer.did, f.holder.did);
const hakiJwt = await signCredential(input, f.issuer);
const localIssuer = await generateKeyPair();
const localTrust = trustListOf({ did: localIssuer.did, name: "Local issuer" });
const localInput = sampleInput(localIssuer.did, f.holder.did);
const localJwt = await signCredential(localInput, localIssuer);

/** Haki's claims in the W3C form (issuanceDate, credentialSubject.id) that did-jwt-vc and Veramo take as input. */
function w3cCredential(issuerDid: string, holderDid: string, vc: EntitlementJwtPayload["vc"]) {
  return {
    "@context": vc["@context"],
    type: vc.type,
    issuer: { id: issuerDid },
    issuanceDate: "2027-03-01T00:00:00Z",
    expirationDate: "2027-04-01T00:00:00Z",
    credentialSubject: { id: holderDid, ...vc.credentialSubject },
    credentialStatus: vc.credentialStatus,
    credentialSchema: vc.credentialSchema,
  };
}

describe("Haki credentials verify in independent libraries", () => {
  it("did-jwt-vc verifyCredential (did:web issuer and did:key issuer)", async () => {
    for (const jwt of [hakiJwt, localJwt]) {
      const r = await didJwtVcVerify(jwt, resolver, { policies: { now: nowSeconds } });
      expect(r.verified).toBe(true);
      expect(r.verifiableCredential.type).toContain("EntitlementCredential");
      expect(r.verifiableCredential.credentialSubject.id).toBe(f.holder.did);
      expect(r.verifiableCredential.expirationDate).toBe("2027-04-01T00:00:00.000Z");
    }
  });

  it("did-jwt verifyJWT, which refuses the same token once expired", async () => {
    const r = await verifyJWT(hakiJwt, { resolver, policies: { now: nowSeconds } });
    expect(r.verified).toBe(true);
    expect(r.issuer).toBe(ISSUER_DID);
    await expect(verifyJWT(hakiJwt, { resolver, policies: { now: nowSeconds + 86400 * 60 } })).rejects.toThrow(/expired/i);
  });

  it("jose jwtVerify with the issuer's published JWK", async () => {
    const key = await importJWK(didWebDocument.verificationMethod?.[0]?.publicKeyJwk ?? {}, "EdDSA");
    const { payload, protectedHeader } = await jwtVerify(hakiJwt, key, { currentDate: NOW, issuer: ISSUER_DID, algorithms: ["EdDSA"] });
    expect(protectedHeader).toEqual({ alg: "EdDSA", typ: "JWT", kid: `${ISSUER_DID}#key-1` });
    expect(payload).toEqual(JSON.parse(JSON.stringify(buildEntitlementPayload(input))));
  });

  it("Veramo's own verifyCredential (agent with offline resolver)", async () => {
    const agent = await createHakiAgent({ trust: f.trust, status: () => false });
    for (const jwt of [hakiJwt, localJwt]) {
      const r = await agent.verifyCredential({ credential: jwt, policies: { now: nowSeconds } });
      expect(r.error).toBeUndefined();
      expect(r.verified).toBe(true);
    }
    // Veramo checks status only for a credential given as an object (a JWT string skips it), through
    // the Haki plugin's checkCredentialStatus.
    const revoking = await createHakiAgent({ trust: f.trust, status: (e) => e.statusPurpose === "revocation" });
    const asObject = normalizeCredential(hakiJwt);
    expect((await revoking.verifyCredential({ credential: asObject, policies: { now: nowSeconds } })).verified).toBe(false);
    expect((await agent.verifyCredential({ credential: asObject, policies: { now: nowSeconds } })).verified).toBe(true);
  });
});

describe("credentials made by other libraries verify in Haki", () => {
  const payload = buildEntitlementPayload(localInput);
  const seed = async () => base64urlnopad.decode((await exportPrivateJwk(localIssuer)).d);

  it("did-jwt-vc createVerifiableCredentialJwt, JWT claims form", async () => {
    const jwt = await createVerifiableCredentialJwt(payload as unknown as JwtCredentialPayload, {
      did: localIssuer.did,
      signer: EdDSASigner(await seed()),
      alg: "EdDSA",
    });
    const r = await verifyCredential(jwt, localTrust, { now: NOW });
    expect(r.valid ? r.subject : r).toEqual(localInput.subject);
  });

  it("did-jwt-vc createVerifiableCredentialJwt, W3C credential form (issuanceDate, credentialSubject.id)", async () => {
    const { vc } = payload;
    const jwt = await createVerifiableCredentialJwt(
      w3cCredential(localIssuer.did, f.holder.did, vc) as never,
      { did: localIssuer.did, signer: EdDSASigner(await seed()), alg: "EdDSA" },
    );
    const r = await verifyCredential(jwt, localTrust, { now: NOW });
    if (!r.valid) throw new Error(`${r.code}: ${JSON.stringify(r.details)}`);
    expect(r.holder).toBe(f.holder.did);
    expect(r.validUntil.toISOString()).toBe("2027-04-01T00:00:00.000Z");
  });

  it("jose SignJWT, alg EdDSA with kid and alg Ed25519 without kid", async () => {
    const a = await new SignJWT(payload as never).setProtectedHeader({ alg: "EdDSA", kid: localIssuer.kid }).sign(localIssuer.privateKey);
    const b = await new SignJWT({ ...payload, iat: nowSeconds } as never).setProtectedHeader({ alg: "Ed25519", typ: "JWT" }).sign(localIssuer.privateKey);
    for (const jwt of [a, b]) expect((await verifyCredential(jwt, localTrust, { now: NOW })).valid).toBe(true);
    // VC-JOSE-COSE: a vc+jwt never carries a `vc` claim, so a VC 1.1 payload under that type is refused.
    const mislabelled = await new SignJWT(payload as never).setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt" }).sign(localIssuer.privateKey);
    expect(await verifyCredential(mislabelled, localTrust, { now: NOW })).toMatchObject({ valid: false, code: "ERR_WRONG_TYPE" });
  });

  it("Veramo createVerifiableCredential with a Veramo-managed did:key", async () => {
    const agent = await createHakiAgent({ trust: f.trust });
    const id = await agent.didManagerCreate({ provider: "did:key", kms: "local", options: { keyType: "Ed25519" } });
    const { vc } = buildEntitlementPayload(sampleInput(id.did, f.holder.did));
    const credential = await agent.createVerifiableCredential({
      proofFormat: "jwt",
      credential: { ...w3cCredential(id.did, f.holder.did, vc), credentialStatus: vc.credentialStatus as never },
    });
    const r = await verifyCredential(credential.proof.jwt as string, trustListOf({ did: id.did, name: "Veramo issuer" }), { now: NOW });
    if (!r.valid) throw new Error(`${r.code}: ${JSON.stringify(r.details)}`);
    expect(r.subject.programme.id).toBe("cash-for-work");
    // The same token from an untrusted issuer is refused.
    expect(await verifyCredential(credential.proof.jwt as string, f.trust, { now: NOW })).toMatchObject({ code: "ERR_ISSUER_UNTRUSTED" });
  });
});

describe("presentations interoperate", () => {
  it("did-jwt-vc verifyPresentation accepts a Haki presentation", async () => {
    const { signPresentation } = await import("./presentation");
    const vp = await signPresentation(hakiJwt, f.holder, { now: NOW, nonce: "n-42" });
    const r = await verifyPresentation(vp, resolver, { policies: { now: nowSeconds }, challenge: "n-42" } as never);
    expect(r.verified).toBe(true);
    expect(r.verifiablePresentation.holder).toBe(f.holder.did);
  });

  // Haki requires iat (creation time) and jti (one-time id), which did-jwt-vc writes only when asked.
  it("a did-jwt-vc presentation with a one-time jti and iat verifies in Haki", async () => {
    const { verifyPresentation: hakiVerifyPresentation } = await import("./presentation");
    const seed = base64urlnopad.decode((await exportPrivateJwk(f.holder)).d);
    const vp = await createVerifiablePresentationJwt(
      { vp: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], verifiableCredential: [hakiJwt] }, jti: "one-time-id-0001", iat: nowSeconds } as never,
      { did: f.holder.did, signer: EdDSASigner(seed), alg: "EdDSA" },
    );
    const r = await hakiVerifyPresentation(vp, f.trust, { now: NOW });
    if (!r.valid) throw new Error(`${r.code}: ${JSON.stringify(r.details)}`);
    expect(r.presentation.id).toBe("one-time-id-0001");
  });
});
