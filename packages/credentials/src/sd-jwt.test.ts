/**
 * SD-JWT VC: Haki issues, the phone presents, Haki verifies; `@sd-jwt/sd-jwt-vc` (OpenWallet
 * Foundation) verifies what Haki issues and presents, with the issuer's key found through the JWT
 * VC Issuer Metadata Haki builds, and Haki verifies what the library issues and presents;
 * disclosure digests are also checked by hand (node:crypto SHA-256); the tamper matrix gives
 * one stable code per failure; the SD-JWT VC draft's example is used as a vector.
 */
import { KeyObject, createHash, randomBytes, sign as nodeSign } from "node:crypto";
import { SDJwtVcInstance, TypeMetadataFormatSchema } from "@sd-jwt/sd-jwt-vc";
import { StatusList as SdStatusList, createHeaderAndPayload } from "@sd-jwt/jwt-status-list";
import { SignJWT, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import typeMetadataFile from "../vct/entitlement-v1.json" with { type: "json" };
import { generateKeyPair, withIdentifier, type HakiKeyPair } from "./keys";
import {
  ENTITLEMENT_VCT,
  checkDisclosureDigests,
  createMemoryNonceStore,
  didWebForUrl,
  issueSdJwtVc,
  presentSdJwtVc,
  verifySdJwtVc,
  type DisclosableClaim,
  type SdJwtVerificationResult,
  type VerifySdJwtVcOptions,
} from "./sd-jwt";
import { buildEntitlementTypeMetadata, buildJwtVcIssuerMetadata, jwtVcIssuerMetadataUrl } from "./sd-jwt-metadata";
import { DEMO_SUBJECT, jwsSignatureVerifies } from "./testing";
import { trustListOf, type TrustList } from "./trust";

const ISSUER_URL = "https://issuer.haki.example";
const ISSUER_DID = "did:web:issuer.haki.example";
const STATUS_URI = `${ISSUER_URL}/status/1/token`;
const NOW = new Date("2027-03-15T12:00:00Z");
const at = (s: number) => new Date(NOW.getTime() + s * 1000);

const issuer: HakiKeyPair = withIdentifier(await generateKeyPair(), ISSUER_DID, "key-1");
const holder: HakiKeyPair = await generateKeyPair();
const trust: TrustList = trustListOf({ did: ISSUER_DID, name: "Ministry", keys: [{ id: "key-1", publicKeyJwk: issuer.publicJwk }] });
const input = {
  issuerUrl: ISSUER_URL,
  holder: holder.did,
  subject: { ...DEMO_SUBJECT, servicePoints: ["sp-demo-nairobi"] },
  validFrom: new Date("2027-03-01T00:00:00Z"),
  validUntil: new Date("2027-04-01T00:00:00Z"),
  status: { uri: STATUS_URI, index: 42 },
  issuedAt: new Date("2027-02-28T09:00:00Z"),
};
const issued = await issueSdJwtVc(input, issuer);
const part = (jwt: string, i: 0 | 1) => JSON.parse(Buffer.from(jwt.split("~")[0]!.split(".")[i]!, "base64url").toString()) as Record<string, unknown>;
const b64 = (s: string) => Buffer.from(s).toString("base64url");
const code = (r: SdJwtVerificationResult) => (r.valid ? "valid" : r.code);
const verifyAt = (p: string, o: VerifySdJwtVcOptions = {}) => verifySdJwtVc(p, trust, { now: NOW, audience: "sp-1", nonce: "n-1", ...o });
const present = (disclose: readonly DisclosableClaim[] = ["programme", "cycle", "benefit"], o: { audience?: string; nonce?: string; now?: Date } = {}) =>
  presentSdJwtVc(issued, holder, { disclose: [...disclose], audience: o.audience ?? "sp-1", nonce: o.nonce ?? "n-1", now: o.now ?? NOW });

describe("issuing", () => {
  it("is a dc+sd-jwt with vct, cnf, a Token Status List reference, and the five claims selectively disclosable", () => {
    expect(part(issued, 0)).toEqual({ alg: "EdDSA", typ: "dc+sd-jwt", kid: issuer.kid });
    const payload = part(issued, 1);
    expect(payload).toMatchObject({
      iss: ISSUER_URL,
      vct: ENTITLEMENT_VCT,
      nbf: 1803859200,
      exp: 1806537600,
      cnf: { jwk: holder.publicJwk },
      status: { status_list: { idx: 42, uri: STATUS_URI } },
      beneficiary: DEMO_SUBJECT.beneficiary,
      redemption: "single",
      servicePoints: ["sp-demo-nairobi"],
      _sd_alg: "sha-256",
    });
    for (const k of ["name", "benefit", "area", "programme", "cycle"]) expect(payload).not.toHaveProperty(k);
    expect(payload._sd).toHaveLength(5);
  });

  it("hand check: every disclosure is [salt, name, value] and its SHA-256 is one of the payload's _sd digests", () => {
    const [, ...disclosures] = issued.split("~").slice(0, -1);
    const sd = part(issued, 1)._sd as string[];
    const seen: Record<string, unknown> = {};
    for (const d of disclosures) {
      const digest = createHash("sha256").update(d, "ascii").digest("base64url");
      expect(sd).toContain(digest);
      const [salt, name, value] = JSON.parse(Buffer.from(d, "base64url").toString()) as [string, string, unknown];
      expect(Buffer.from(salt, "base64url").length).toBeGreaterThanOrEqual(16);
      seen[name] = value;
    }
    expect(seen).toEqual({ name: DEMO_SUBJECT.name, benefit: DEMO_SUBJECT.benefit, area: DEMO_SUBJECT.area, programme: DEMO_SUBJECT.programme, cycle: DEMO_SUBJECT.cycle });
  });

  it("refuses a key that is not the issuer URL's did:web, and bad input", async () => {
    await expect(issueSdJwtVc(input, withIdentifier(issuer, "did:web:other.example", "key-1"))).rejects.toMatchObject({ code: "ERR_KEY_MISMATCH" });
    await expect(issueSdJwtVc({ ...input, validUntil: input.validFrom }, issuer)).rejects.toMatchObject({ code: "ERR_INPUT_INVALID" });
    await expect(issueSdJwtVc({ ...input, subject: { ...DEMO_SUBJECT, nationalId: "1" } as never }, issuer)).rejects.toMatchObject({ code: "ERR_INPUT_INVALID" });
    expect(didWebForUrl("https://issuer.example:8443/tenant/7")).toBe("did:web:issuer.example%3A8443:tenant:7");
  });
});

describe("presenting and verifying", () => {
  it("the holder shows only what the counter needs, bound to its key with the counter's audience and nonce", async () => {
    const shown = await present();
    expect(shown.split("~")).toHaveLength(5); // jwt, 3 disclosures, KB-JWT
    const r = await verifyAt(shown, { requiredClaims: ["programme", "benefit"] });
    if (!r.valid) throw new Error(`${r.code} ${JSON.stringify(r.details)}`);
    expect(r.disclosed.sort()).toEqual(["benefit", "cycle", "programme"]);
    expect(r.subject).toEqual({ beneficiary: DEMO_SUBJECT.beneficiary, programme: DEMO_SUBJECT.programme, cycle: DEMO_SUBJECT.cycle, benefit: DEMO_SUBJECT.benefit, redemption: "single", servicePoints: ["sp-demo-nairobi"] });
    expect(r.subject).not.toHaveProperty("name");
    expect(r).toMatchObject({ holderBinding: "verified", keyBinding: { audience: "sp-1", nonce: "n-1" }, issuer: { did: ISSUER_DID, url: ISSUER_URL }, kid: issuer.kid });
  });

  it("reads an issued SD-JWT VC (all disclosures, no KB-JWT) when key binding is not required", async () => {
    const r = await verifySdJwtVc(issued, trust, { now: NOW, requireKeyBinding: false });
    expect(r.valid && r.holderBinding).toBe("required");
    expect(r.valid && r.subject.name).toBe(DEMO_SUBJECT.name);
  });

  it("refuses to present another holder's card", async () => {
    await expect(presentSdJwtVc(issued, await generateKeyPair(), { disclose: ["benefit"], audience: "a", nonce: "n" })).rejects.toMatchObject({ code: "ERR_KEY_MISMATCH" });
  });
});

describe("tamper matrix: one code per failure", () => {
  const swapPart = (p: string, index: number, value: string) => {
    const parts = p.split("~");
    parts[index] = value;
    return parts.join("~");
  };
  const cases: [string, string, () => Promise<SdJwtVerificationResult>][] = [
    ["alg none", "ERR_ALG_UNSUPPORTED", async () => {
      const shown = await present();
      const [, body] = shown.split("~")[0]!.split(".");
      return verifyAt(swapPart(shown, 0, `${b64('{"alg":"none","typ":"dc+sd-jwt"}')}.${body}.`));
    }],
    ["flipped issuer signature", "ERR_SIGNATURE_INVALID", async () => {
      const shown = await present();
      const jwt = shown.split("~")[0]!;
      return verifyAt(swapPart(shown, 0, jwt.slice(0, -4) + (jwt.at(-4) === "A" ? "B" : "A") + jwt.slice(-3)));
    }],
    ["edited disclosure (amount raised)", "ERR_DISCLOSURE_INVALID", async () => {
      const shown = await present(["benefit"]);
      const [salt] = JSON.parse(Buffer.from(shown.split("~")[1]!, "base64url").toString());
      return verifyAt(swapPart(shown, 1, b64(JSON.stringify([salt, "benefit", { type: "Cash", amount: 25000, currency: "KES" }]))));
    }],
    ["disclosure repeated", "ERR_DISCLOSURE_INVALID", async () => verifySdJwtVc(`${issued.split("~").slice(0, 2).join("~")}~${issued.split("~")[1]}~`, trust, { now: NOW, requireKeyBinding: false })],
    ["missing KB-JWT", "ERR_KEY_BINDING_MISSING", async () => verifyAt(`${(await present()).split("~").slice(0, -1).join("~")}~`)],
    ["KB-JWT signed by another phone", "ERR_KEY_BINDING_INVALID", async () => {
      const thief = await generateKeyPair();
      const shown = await present();
      const kb = shown.split("~").at(-1)!;
      const forged = await new SignJWT(JSON.parse(Buffer.from(kb.split(".")[1]!, "base64url").toString())).setProtectedHeader({ alg: "EdDSA", typ: "kb+jwt" }).sign(thief.privateKey);
      return verifyAt(swapPart(shown, shown.split("~").length - 1, forged));
    }],
    ["a disclosure dropped after the KB-JWT was made (sd_hash)", "ERR_KEY_BINDING_INVALID", async () => {
      const parts = (await present()).split("~");
      return verifyAt([parts[0], parts[1], parts[2], parts.at(-1)].join("~"));
    }],
    ["wrong audience in the KB-JWT", "ERR_NONCE_MISMATCH", async () => verifyAt(await present(undefined, { audience: "sp-other" }))],
    ["wrong nonce in the KB-JWT", "ERR_NONCE_MISMATCH", async () => verifyAt(await present(undefined, { nonce: "n-other" }))],
    ["replayed nonce", "ERR_PRESENTATION_REPLAYED", async () => {
      const store = createMemoryNonceStore({ now: () => NOW });
      const nonce = store.createNonce();
      const shown = await present(undefined, { nonce });
      const first = await verifyAt(shown, { nonce, nonceStore: store });
      if (!first.valid) throw new Error(first.code);
      return verifyAt(shown, { nonce, nonceStore: store });
    }],
    ["KB-JWT older than allowed", "ERR_PRESENTATION_STALE", async () => verifyAt(await present(undefined, { now: at(-600) }))],
    ["KB-JWT with alg none", "ERR_ALG_UNSUPPORTED", async () => {
      const shown = await present();
      const kb = shown.split("~").at(-1)!;
      return verifyAt(swapPart(shown, shown.split("~").length - 1, `${b64('{"alg":"none","typ":"kb+jwt"}')}.${kb.split(".")[1]}.`));
    }],
    ["unknown issuer", "ERR_ISSUER_UNTRUSTED", async () => {
      const other = withIdentifier(await generateKeyPair(), "did:web:evil.example", "key-1");
      const fake = await issueSdJwtVc({ ...input, issuerUrl: "https://evil.example" }, other);
      return verifyAt(await presentSdJwtVc(fake, holder, { disclose: ["benefit"], audience: "sp-1", nonce: "n-1", now: NOW }));
    }],
    ["another credential type", "ERR_WRONG_TYPE", async () => {
      const other = await issueSdJwtVc({ ...input, vct: "https://example.org/identity_credential" }, issuer);
      return verifyAt(await presentSdJwtVc(other, holder, { disclose: ["benefit"], audience: "sp-1", nonce: "n-1", now: NOW }));
    }],
    ["a VC-JWT header type", "ERR_WRONG_TYPE", async () => {
      const shown = await present();
      const [h, p, s] = shown.split("~")[0]!.split(".");
      const header = { ...JSON.parse(Buffer.from(h!, "base64url").toString()), typ: "vc+sd-jwt" };
      return verifyAt(swapPart(shown, 0, `${b64(JSON.stringify(header))}.${p}.${s}`));
    }],
    ["required claim not disclosed", "ERR_SCHEMA_VIOLATION", async () => verifyAt(await present(["cycle"]), { requiredClaims: ["benefit"] })],
    ["expired", "ERR_EXPIRED", async () => verifyAt(await present(undefined, { now: new Date("2027-04-02T00:00:00Z") }), { now: new Date("2027-04-02T00:00:00Z") })],
    ["revoked in the Token Status List", "ERR_REVOKED", async () => verifyAt(await present(), { status: () => 1 })],
    ["suspended in the Token Status List", "ERR_SUSPENDED", async () => verifyAt(await present(), { status: () => 2 })],
    ["status list not held, status required", "ERR_STATUS_UNAVAILABLE", async () => verifyAt(await present(), { status: () => undefined, requireStatus: true })],
    ["not an SD-JWT", "ERR_MALFORMED", async () => verifyAt("eyJ.a.b")],
  ];
  it.each(cases)("%s -> %s", async (_n, expected, run) => {
    expect(code(await run())).toBe(expected);
  });
});

describe("@sd-jwt/sd-jwt-vc interoperates both ways", () => {
  it("verifies Haki's SD-JWT VC and presentation, finding the issuer key by kid in the JWT VC Issuer Metadata Haki builds", async () => {
    const metadata = buildJwtVcIssuerMetadata({ issuer: ISSUER_URL, keys: [{ kid: issuer.kid, publicKeyJwk: issuer.publicJwk }] });
    expect(jwtVcIssuerMetadataUrl(ISSUER_URL)).toBe("https://issuer.haki.example/.well-known/jwt-vc-issuer");
    const shown = await present();
    const kid = part(shown, 0).kid;
    const statusKey = await generateKeyPair();
    const list = new SdStatusList(Array.from({ length: 128 }, (_, i) => (i === 42 ? 0 : 1)), 2);
    const { header, payload } = createHeaderAndPayload(list, { iss: ISSUER_URL, sub: STATUS_URI, iat: Math.floor(NOW.getTime() / 1000) }, { alg: "EdDSA", typ: "statuslist+jwt" });
    const statusJwt = await new SignJWT(payload).setProtectedHeader(header).sign(statusKey.privateKey);
    const sdjwt = new SDJwtVcInstance({
      hasher: async (d) => new Uint8Array(createHash("sha256").update(typeof d === "string" ? d : Buffer.from(d)).digest()),
      verifier: async (data, sig) => jwsSignatureVerifies(data, sig, metadata.jwks.keys.find((k) => k.kid === kid) as JWK, "EdDSA"),
      kbVerifier: async (data, sig, payload) => jwsSignatureVerifies(data, sig, (payload.cnf as { jwk: JWK }).jwk, "EdDSA"),
      statusListFetcher: async (uri) => {
        expect(uri).toBe(STATUS_URI);
        return statusJwt;
      },
      statusVerifier: async (data, sig) => jwsSignatureVerifies(data, sig, statusKey.publicJwk as JWK, "EdDSA"),
    });
    const r = await sdjwt.verify(shown, { keyBindingNonce: "n-1", currentDate: Math.floor(NOW.getTime() / 1000) });
    expect(r.payload).toMatchObject({ vct: ENTITLEMENT_VCT, programme: DEMO_SUBJECT.programme, benefit: DEMO_SUBJECT.benefit });
    expect(r.payload).not.toHaveProperty("name");
    expect(r.kb?.payload).toMatchObject({ aud: "sp-1", nonce: "n-1" });
    await expect(sdjwt.verify(shown, { keyBindingNonce: "another", currentDate: Math.floor(NOW.getTime() / 1000) })).rejects.toThrow();
  });

  it("Haki verifies an SD-JWT VC the library issued and a presentation the library made", async () => {
    // The library's signer callback: base64url Ed25519 over the signing input, by node:crypto.
    const sign = (key: CryptoKey) => async (data: string) => nodeSign(null, Buffer.from(data), KeyObject.from(key)).toString("base64url");
    const lib = new SDJwtVcInstance({
      signer: sign(issuer.privateKey),
      signAlg: "EdDSA",
      hasher: async (d) => new Uint8Array(createHash("sha256").update(typeof d === "string" ? d : Buffer.from(d)).digest()),
      hashAlg: "sha-256",
      saltGenerator: (n) => randomBytes(n).toString("base64url"),
      kbSigner: sign(holder.privateKey),
      kbSignAlg: "EdDSA",
    });
    const claims = {
      iss: ISSUER_URL,
      iat: 1803800000,
      nbf: 1803859200,
      exp: 1806537600,
      vct: ENTITLEMENT_VCT,
      cnf: { jwk: holder.publicJwk },
      ...DEMO_SUBJECT,
    };
    const credential = await lib.issue(claims, { _sd: ["name", "programme", "cycle", "benefit", "area"] }, { header: { kid: issuer.kid } });
    const shown = await lib.present(credential, { benefit: true, cycle: true }, { kb: { payload: { iat: Math.floor(NOW.getTime() / 1000), aud: "sp-1", nonce: "n-1" } } });
    const r = await verifyAt(shown);
    if (!r.valid) throw new Error(`${r.code} ${JSON.stringify(r.details)}`);
    expect(r.disclosed.sort()).toEqual(["benefit", "cycle"]);
  });
});

describe("the SD-JWT VC draft's example as a vector", () => {
  // draft-ietf-oauth-sd-jwt-vc example 1 (identity credential, address disclosed, KB-JWT with aud
  // https://example.com/verifier and nonce 1234567890), issuer key doc-signer-05-25-2022 (P-256),
  // as generated by the draft's sd-jwt tooling and reproduced in italia/eudi-wallet-it-python's tests.
  const token =
    "eyJhbGciOiAiRVMyNTYiLCAidHlwIjogInZjK3NkLWp3dCIsICJraWQiOiAiZG9jLXNpZ25lci0wNS0yNS0yMDIyIn0.eyJfc2QiOiBbIjA5dktySk1PbHlUV00wc2pwdV9wZE9CVkJRMk0xeTNLaHBINTE1blhrcFkiLCAiMnJzakdiYUMwa3k4bVQwcEpyUGlvV1RxMF9kYXcxc1g3NnBvVWxnQ3diSSIsICJFa084ZGhXMGRIRUpidlVIbEVfVkNldUM5dVJFTE9pZUxaaGg3WGJVVHRBIiwgIklsRHpJS2VpWmREd3BxcEs2WmZieXBoRnZ6NUZnbldhLXNONndxUVhDaXciLCAiSnpZakg0c3ZsaUgwUjNQeUVNZmVadTZKdDY5dTVxZWhabzdGN0VQWWxTRSIsICJQb3JGYnBLdVZ1Nnh5bUphZ3ZrRnNGWEFiUm9jMkpHbEFVQTJCQTRvN2NJIiwgIlRHZjRvTGJnd2Q1SlFhSHlLVlFaVTlVZEdFMHc1cnREc3JaemZVYW9tTG8iLCAiamRyVEU4WWNiWTRFaWZ1Z2loaUFlX0JQZWt4SlFaSUNlaVVRd1k5UXF4SSIsICJqc3U5eVZ1bHdRUWxoRmxNXzNKbHpNYVNGemdsaFFHMERwZmF5UXdMVUs0Il0sICJpc3MiOiAiaHR0cHM6Ly9leGFtcGxlLmNvbS9pc3N1ZXIiLCAiaWF0IjogMTY4MzAwMDAwMCwgImV4cCI6IDE4ODMwMDAwMDAsICJ2Y3QiOiAiaHR0cHM6Ly9jcmVkZW50aWFscy5leGFtcGxlLmNvbS9pZGVudGl0eV9jcmVkZW50aWFsIiwgIl9zZF9hbGciOiAic2hhLTI1NiIsICJjbmYiOiB7Imp3ayI6IHsia3R5IjogIkVDIiwgImNydiI6ICJQLTI1NiIsICJ4IjogIlRDQUVSMTladnUzT0hGNGo0VzR2ZlNWb0hJUDFJTGlsRGxzN3ZDZUdlbWMiLCAieSI6ICJaeGppV1diWk1RR0hWV0tWUTRoYlNJaXJzVmZ1ZWNDRTZ0NGpUOUYySFpRIn19fQ.sMpGS2JtqTtflUN-ToEm2VueqHhVCpUtOXk0SV5Tjj7FulFGae2fIaULLDjdKa46T-wtI9nKMoSNqe_38uwBhg~WyJRZ19PNjR6cUF4ZTQxMmExMDhpcm9BIiwgImFkZHJlc3MiLCB7InN0cmVldF9hZGRyZXNzIjogIjEyMyBNYWluIFN0IiwgImxvY2FsaXR5IjogIkFueXRvd24iLCAicmVnaW9uIjogIkFueXN0YXRlIiwgImNvdW50cnkiOiAiVVMifV0~eyJhbGciOiAiRVMyNTYiLCAidHlwIjogImtiK2p3dCJ9.eyJub25jZSI6ICIxMjM0NTY3ODkwIiwgImF1ZCI6ICJodHRwczovL2V4YW1wbGUuY29tL3ZlcmlmaWVyIiwgImlhdCI6IDE3MjA0NTQyOTUsICJzZF9oYXNoIjogIkEyM3lUaG5uN0FidlVlNkE5N1YtTHJsdGFRUTRaMkdIRjJlUXBMUkRCVncifQ.u0CjLD2kenwkwA4vttK7PFhjtEEV5r4dYMR7TW1VAC35xIc1dMkEtvdTRwLQBO1Tu9VcbkvxT-G9ooTTVZMD2g";
  const issuerKey = { kty: "EC", crv: "P-256", x: "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ", y: "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8" };
  const parts = token.split("~");

  it("hand check: the address disclosure's digest is in _sd; sd_hash covers the JWT and the disclosure", async () => {
    const payload = JSON.parse(Buffer.from(parts[0]!.split(".")[1]!, "base64url").toString());
    expect(payload._sd).toContain(createHash("sha256").update(parts[1]!).digest("base64url"));
    expect(await checkDisclosureDigests(payload, [parts[1]!])).toBe(true);
    const kb = JSON.parse(Buffer.from(parts[2]!.split(".")[1]!, "base64url").toString());
    expect(kb.sd_hash).toBe(createHash("sha256").update(`${parts[0]}~${parts[1]}~`).digest("base64url"));
    expect(await checkDisclosureDigests(payload, [b64(JSON.stringify(["Qg_O64zqAxe412a108iroA", "address", { street_address: "1 Other St" }]))])).toBe(false);
  });

  it("the library verifies it with the draft's issuer key and nonce; Haki refuses ES256 by algorithm", async () => {
    const lib = new SDJwtVcInstance({
      hasher: async (d) => new Uint8Array(createHash("sha256").update(typeof d === "string" ? d : Buffer.from(d)).digest()),
      verifier: (data, sig) => jwsSignatureVerifies(data, sig, issuerKey, "ES256"),
      kbVerifier: (data, sig, payload) => jwsSignatureVerifies(data, sig, (payload.cnf as { jwk: JWK }).jwk, "ES256"),
    });
    const r = await lib.verify(token, { keyBindingNonce: "1234567890", currentDate: 1800000000 });
    expect(r.payload).toMatchObject({ address: { locality: "Anytown" }, vct: "https://credentials.example.com/identity_credential" });
    expect(code(await verifySdJwtVc(token, trust, { now: NOW }))).toBe("ERR_ALG_UNSUPPORTED");
  });
});

describe("type metadata and issuer metadata documents", () => {
  it("vct/entitlement-v1.json is the builder's document and reads with the library's type metadata schema", () => {
    expect(typeMetadataFile).toEqual(buildEntitlementTypeMetadata());
    const parsed = TypeMetadataFormatSchema.parse(typeMetadataFile);
    expect(parsed.vct).toBe(ENTITLEMENT_VCT);
    expect(typeMetadataFile.display.map((d) => d.locale)).toEqual(["en", "fr", "ar", "sw"]);
    const sd = Object.fromEntries(typeMetadataFile.claims.map((c) => [c.path[0], c.sd]));
    expect(sd).toMatchObject({ name: "allowed", benefit: "allowed", area: "allowed", programme: "allowed", cycle: "allowed", beneficiary: "never", redemption: "never" });
  });

  it("puts the well-known path between host and path, as the draft's example (https://example.com/tenant/1234)", () => {
    expect(jwtVcIssuerMetadataUrl("https://example.com/tenant/1234")).toBe("https://example.com/.well-known/jwt-vc-issuer/tenant/1234");
    expect(jwtVcIssuerMetadataUrl("https://example.com/")).toBe("https://example.com/.well-known/jwt-vc-issuer");
  });
});
