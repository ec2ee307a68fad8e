/**
 * The published Claim 169 test vectors (test-vectors/reference-vectors.json names each one's source
 * file and commit in the reference implementation's repository): valid, invalid and edge.
 */
import { base64 } from "@scure/base";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeClaim169, decodeClaim169Sync } from "./decode";
import { codeOf } from "@haki/testing/code-of";
import { issuerOf, referenceVectors, resign, vector } from "./lib/reference-vectors";
import { makeIdentityAuthority, type TestIdentityAuthority } from "./testing";
import { identityTrustListOf } from "./trust";
import { verifyClaim169 } from "./verify";

const SIGNED = ["ed25519-signed", "ecdsa-p256-signed"];
const UNSIGNED = ["minimal", "demographics-full", "with-face", "claim169-example", "refugee-identity", "unknown-fields"];
/** Decoded field by field in the first table and in their own tests below. */
const EXTRA = ["with-fingerprints", "with-all-biometrics", "expired", "not-yet-valid"];
const REFUSED = [
  ["encrypted-aes256", "ERR_CLAIM169_ENCRYPTED"],
  ["encrypted-signed", "ERR_CLAIM169_ENCRYPTED"],
  ["bad-base45", "ERR_CLAIM169_BASE45"],
  ["bad-zlib", "ERR_CLAIM169_DECOMPRESS"],
  ["missing-169", "ERR_CLAIM169_MISSING"],
  ["not-cose", "ERR_CLAIM169_NOT_COSE"],
] as const;

/** Before every vector's `exp` (2026-08-28 is the earliest) and after every `nbf` but the edge one. */
const NOW = new Date("2025-10-01T00:00:00Z");

/** The reference vectors' field names -> this package's typed identity. */
function expectIdentity(identity: Record<string, unknown>, expected: Record<string, unknown>) {
  for (const [name, value] of Object.entries(expected)) {
    if (name === "gender") expect(identity.genderCode).toBe(value);
    else if (name === "maritalStatus") expect(identity.maritalStatusCode).toBe(value);
    else if (name === "photoFormat") expect(identity.binaryImageFormat).toBe(value);
    else if (["face", "rightThumb", "rightPointerFinger"].includes(name)) {
      const got = (identity.biometrics as Record<string, Array<{ data: Uint8Array; formatCode?: number; subFormatCode?: number }>>)[name]!;
      const want = value as Array<{ format: number; subFormat: number; data?: string }>;
      expect(got.map((b) => ({ format: b.formatCode, subFormat: b.subFormatCode }))).toEqual(want.map((w) => ({ format: w.format, subFormat: w.subFormat })));
      // with-face publishes "//3+4AAQ" while its QR holds ff d8 ff e0 00 10 (a JPEG start): data is checked where they agree.
      for (const [i, w] of want.entries()) if (w.data && name !== "face") expect(base64.encode(got[i]!.data)).toBe(w.data);
    } else expect(identity[name], name).toEqual(value);
  }
}

describe("published valid vectors decode to the expected fields", () => {
  const decodable = referenceVectors.filter((v) => v.expected_claim169);
  it.each(decodable.map((v) => [v.name, v] as const))("%s", async (_name, v) => {
    const decoded = await decodeClaim169(v.qr_data);
    expectIdentity(decoded.identity as unknown as Record<string, unknown>, v.expected_claim169!);
    const meta = v.expected_cwt_meta!;
    expect(decoded.cwt.issuer).toBe(meta.issuer);
    if (meta.subject) expect(decoded.cwt.subject).toBe(meta.subject);
    expect(decoded.cwt.expiresAt?.getTime()).toBe(meta.expiresAt! * 1000);
    expect(decoded.cwt.issuedAt?.getTime()).toBe(meta.issuedAt! * 1000);
    expect(decoded.cwt.notBefore?.getTime()).toBe(meta.notBefore === undefined ? undefined : meta.notBefore * 1000);
    expect(decoded.compression).toBe("zlib");
    expect(decodeClaim169Sync(v.qr_data).identity).toEqual(decoded.identity);
  });
});

describe("published signed vectors verify with their published keys", () => {
  it.each(SIGNED)("%s", async (name) => {
    const v = vector(name);
    const trust = identityTrustListOf(issuerOf(v));
    const verified = await verifyClaim169(v.qr_data, trust, { now: NOW });
    expect(verified.identity.fullName).toBe(v.expected_claim169!.fullName);
    expect(verified.issuer.id).toBe("https://mosip.example.org");
    expect(verified.key.alg).toBe(v.signing_key!.algorithm);
  });

  it("refuses them with the other vector's key, or an issuer of another name", async () => {
    const ed = vector("ed25519-signed");
    const ec = vector("ecdsa-p256-signed");
    // The ES256 key cannot answer an EdDSA code: no key of that algorithm, so no trusted signer.
    expect(await codeOf(verifyClaim169(ed.qr_data, identityTrustListOf(issuerOf(ec)), { now: NOW }))).toBe("ERR_CLAIM169_ISSUER_UNTRUSTED");
    const other = await makeIdentityAuthority({ id: "https://mosip.example.org" });
    expect(await codeOf(verifyClaim169(ed.qr_data, identityTrustListOf(other.issuer), { now: NOW }))).toBe("ERR_CLAIM169_SIGNATURE_INVALID");
    expect(await codeOf(verifyClaim169(ed.qr_data, identityTrustListOf(issuerOf(ed, "https://other.example")), { now: NOW }))).toBe(
      "ERR_CLAIM169_ISSUER_UNTRUSTED",
    );
  });
});

describe("published unsigned vectors", () => {
  let authority: TestIdentityAuthority;
  beforeAll(async () => {
    authority = await makeIdentityAuthority({ id: "https://mosip.example.org" });
  });

  it.each(UNSIGNED)(
    "%s: an empty signature never verifies; re-signed as published it does",
    async (name) => {
      const v = vector(name);
      const trust = identityTrustListOf({ ...authority.issuer, id: v.expected_cwt_meta!.issuer! });
      expect(await codeOf(verifyClaim169(v.qr_data, trust, { now: NOW }))).toBe("ERR_CLAIM169_SIGNATURE_INVALID");
      const signed = await resign(v.qr_data, authority.signer.privateKey);
      const verified = await verifyClaim169(signed, trust, { now: NOW });
      expectIdentity(verified.identity as unknown as Record<string, unknown>, v.expected_claim169!);
    },
  );

  it("claim169-example (the specification's example): name, birth date, photo for the visual check", async () => {
    const { identity } = await decodeClaim169(vector("claim169-example").qr_data);
    expect(identity).toMatchObject({ fullName: "Janardhan BS", birthDate: "1984-01-18", gender: "male", maritalStatus: "married" });
    expect(identity.photo).toMatchObject({ mediaType: "image/webp", source: "face" });
    expect(new TextDecoder().decode(identity.photo!.data.slice(0, 4))).toBe("RIFF");
  });

  it("refugee-identity: the deprecated photo fields (16, 17) still give the photo", async () => {
    const { identity } = await decodeClaim169(vector("refugee-identity").qr_data);
    expect(identity.birthDate).toBe("1975-04-04");
    expect(identity.photo).toMatchObject({ mediaType: "image/webp", source: "binaryImage" });
    expect(identity.photo!.data.length).toBe(890);
  });

  it("unknown-fields: keys 30, 45, 70 and 99 are kept, not fatal", async () => {
    const { identity } = await decodeClaim169(vector("unknown-fields").qr_data);
    expect(identity.unknownFields).toEqual([
      { key: 30, value: "reserved field 30" },
      { key: 45, value: 12345 },
      { key: 70, value: new Uint8Array([1, 2, 3]) },
      { key: 99, value: true },
    ]);
    expect(identity.invalidFields).toEqual([]);
  });

  it("with-all-biometrics: every body part is mapped", async () => {
    const { identity } = await decodeClaim169(vector("with-all-biometrics").qr_data);
    expect(Object.keys(identity.biometrics)).toHaveLength(13);
    expect(identity.biometrics.leftLittleFinger![0]).toMatchObject({ format: "template", subFormat: "iso19794-2" });
    expect(identity.biometrics.face![0]).toMatchObject({ format: "image", subFormat: "jpeg", mediaType: "image/jpeg" });
  });

  it("edge vectors expired and not-yet-valid, re-signed: refused with the dates in plain words", async () => {
    const trust = identityTrustListOf(authority.issuer);
    const expired = await resign(vector("expired").qr_data, authority.signer.privateKey);
    const future = await resign(vector("not-yet-valid").qr_data, authority.signer.privateKey);
    await expect(verifyClaim169(expired, trust, { now: NOW })).rejects.toMatchObject({
      code: "ERR_CLAIM169_EXPIRED",
      message: "This ID card expired on 2021-01-01.",
    });
    await expect(verifyClaim169(future, trust, { now: NOW })).rejects.toMatchObject({
      code: "ERR_CLAIM169_NOT_YET_VALID",
      message: "This ID card is valid only from 2050-01-01.",
    });
    // Just before the end and at the start they pass.
    await expect(verifyClaim169(expired, trust, { now: new Date(1609459200_000 - 61_000) })).resolves.toBeTruthy();
    await expect(verifyClaim169(future, trust, { now: new Date(2524608000_000) })).resolves.toBeTruthy();
  });
});

describe("published encrypted and invalid vectors are refused with stable codes", () => {
  const trust = identityTrustListOf(issuerOf(vector("ed25519-signed")));
  it.each(REFUSED)("%s -> %s", async (name, code) => {
    const v = vector(name);
    expect(await codeOf(decodeClaim169(v.qr_data))).toBe(code);
    expect(await codeOf(verifyClaim169(v.qr_data, trust, { now: NOW }))).toBe(code);
  });

  it("every published vector is exercised by a table above", () => {
    const used = new Set([...SIGNED, ...UNSIGNED, ...EXTRA, ...REFUSED.map(([n]) => n)]);
    expect(referenceVectors.map((v) => v.name).filter((n) => !used.has(n))).toEqual([]);
  });
});
