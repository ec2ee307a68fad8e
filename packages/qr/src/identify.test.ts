import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeBase45 } from "./lib/base45";
import { zlibSync } from "fflate";
import { encodeProof } from "./codec";
import { identifyQr } from "./identify";
import { demoSetups, makeKey, signDemoPresentation, signEntitlement, signJws, type DemoSetup, type DemoKey } from "./lib/demo";
import { credentialJson, pixelPassEncode } from "./lib/foreign";

let holder: DemoKey;
let setup: DemoSetup;
let vc: string;

beforeAll(async () => {
  holder = await makeKey();
  setup = (await demoSetups(holder))[0]!;
  vc = await signEntitlement(setup.input, setup.issuer);
});

describe("identifyQr", () => {
  it("decodes Haki proofs, and names broken ones", async () => {
    const vp = await signDemoPresentation(vc, holder);
    const seen = identifyQr(encodeProof(vp));
    expect(seen.kind).toBe("haki");
    expect(seen.verifiable).toBe(true);
    if (seen.kind === "haki" && "proof" in seen) expect(seen.proof.jwt).toBe(vp);
    const byRef = encodeProof(vp, { issuers: [setup.issuer.did] });
    expect(identifyQr(byRef, { issuers: [setup.issuer.did] })).toMatchObject({ kind: "haki", verifiable: true });
    expect(identifyQr(byRef)).toMatchObject({ kind: "haki", verifiable: false, error: { code: "ERR_QR_UNKNOWN_ISSUER" } });
    expect(identifyQr(encodeProof(vc).slice(0, 100))).toMatchObject({ kind: "haki", verifiable: false, error: { code: "ERR_QR_TRUNCATED" } });
  });

  it("recognises plain VC-JWTs: Haki's are verifiable, other issuers' are only shown", async () => {
    expect(identifyQr(vc)).toMatchObject({ kind: "vc-jwt", verifiable: true, summary: { issuer: setup.issuer.did } });
    expect(identifyQr(vc + "\r\n")).toMatchObject({ kind: "vc-jwt", verifiable: true });
    const other = await makeKey();
    const foreign = await signJws(
      {},
      JSON.stringify({ iss: other.did, exp: 1900000000, vc: { type: ["VerifiableCredential", "NationalIdCredential"], credentialSubject: { name: "X" } } }),
      other,
    );
    const seen = identifyQr(foreign);
    expect(seen).toMatchObject({
      kind: "vc-jwt",
      verifiable: false,
      summary: { issuer: other.did, types: ["VerifiableCredential", "NationalIdCredential"], validUntil: "2030-03-17T17:46:40.000Z" },
    });
    expect(seen.message).toMatch(/cannot check/);
  });

  it("recognises MOSIP PixelPass credentials made by @mosip/pixelpass, and says it cannot verify them", () => {
    const text = pixelPassEncode(credentialJson(vc));
    const seen = identifyQr(text);
    expect(seen).toMatchObject({
      kind: "pixelpass",
      verifiable: false,
      summary: { issuer: setup.issuer.did, types: ["VerifiableCredential", "EntitlementCredential"] },
    });
    if (seen.kind === "pixelpass") expect(seen.credential).toEqual(JSON.parse(JSON.stringify(credentialJson(vc))));
    expect(seen.message).toMatch(/cannot check/);
    const mosipStyle = pixelPassEncode({
      "@context": ["https://www.w3.org/2018/credentials/v1"],
      type: ["VerifiableCredential", "MOSIPVerifiableCredential"],
      issuer: "did:web:mosip.example",
      credentialSubject: { fullName: "Test" },
    });
    expect(identifyQr(mosipStyle)).toMatchObject({ kind: "pixelpass", summary: { issuer: "did:web:mosip.example" } });
  });

  it("never throws, whatever the text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (t) => void identifyQr(t)), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        void identifyQr(encodeBase45(b));
        void identifyQr(encodeBase45(zlibSync(b)));
      }),
      { numRuns: 1000 },
    );
  });

  it("calls anything else unknown", () => {
    for (const t of ["", "https://example.org/pay?x=1", "WIFI:S:net;T:WPA;P:pw;;", "HC1:NCFOXN%TS3DH", "eyJhbGciOiJub25lIn0.e30.", "A".repeat(9000)]) {
      expect(identifyQr(t).kind, t.slice(0, 30)).toBe("unknown");
    }
    expect(identifyQr(pixelPassEncode({ hello: "world" })).kind).toBe("unknown");
  });
});

describe("identifyQr: MOSIP Claim 169 national ID QR codes", () => {
  it("recognises one (decoded, to be verified with @haki/claim169), and names an encrypted one", async () => {
    const { encodeClaim169 } = await import("@haki/claim169/encode");
    const { makeIdentityAuthority } = await import("@haki/claim169/testing");
    const authority = await makeIdentityAuthority({ kid: "nid-1" });
    const text = await encodeClaim169({ id: "29-4410-7765", fullName: "Amina Njeri", dateOfBirth: "19880102" }, { issuer: authority.issuer.id }, authority.signer);
    const seen = identifyQr(text);
    expect(seen).toMatchObject({ kind: "claim169", verifiable: true, claim169: { identity: { fullName: "Amina Njeri", birthDate: "1988-01-02" }, kid: "nid-1" } });
    // Reference vector encrypted-aes256 (jeremi/claim-169 test-vectors/valid/encrypted-aes256.json).
    const encrypted =
      "6BFK80-20DFWXQG.FKTK06U0100KB0*M0DY0W016C1*7BKVS-:LI.LY2NW7WIFNO*RUH1-$UHRSHFIX.5VZBPPHLLFXH3-89J5MF/M5C84YE84R*JHQEC/TOC-5V31PZUXNFX+0A75LOUN-M%%KVPLQGABAFA5W2%JZ+5Q*BJNN1538*VQZK::H9WVLR253NM97BLFWKRS5";
    expect(identifyQr(encrypted)).toMatchObject({ kind: "claim169", verifiable: false, error: { code: "ERR_CLAIM169_ENCRYPTED" } });
    // PixelPass codes (CBOR, not COSE) are still PixelPass.
    expect(identifyQr(pixelPassEncode({ "@context": [], type: ["VerifiableCredential"], credentialSubject: {} })).kind).toBe("pixelpass");
  });
});
