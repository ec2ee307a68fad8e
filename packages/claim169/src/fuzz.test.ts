/**
 * Fuzzing: random text, random bytes in every layer, truncation and bit flips of a real signed code.
 * Only `Claim169Error`s come out, and nothing but the original signed data ever verifies.
 */
import fc from "fast-check";
import { zlibSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeClaim169 } from "./decode";
import { encodeClaim169 } from "./encode";
import { Claim169Error } from "./errors";
import { issuerOf, vector } from "./lib/reference-vectors";
import { base45Encode, decodeBase45Strict } from "./lib/transport";
import { makeIdentityAuthority } from "./testing";
import { identityTrustListOf, type IdentityTrustList } from "./trust";
import { verifyClaim169, type VerifiedClaim169 } from "./verify";

const NOW = new Date("2025-10-01T00:00:00Z");
let original: string;
let originalResult: VerifiedClaim169;
let trust: IdentityTrustList;

/** Runs a verification; returns the result, or undefined for a typed refusal. Anything else fails the test. */
async function attempt(text: string): Promise<VerifiedClaim169 | undefined> {
  try {
    return await verifyClaim169(text, trust, { now: NOW });
  } catch (e) {
    if (!(e instanceof Claim169Error)) throw e;
    return undefined;
  }
}

function sameSignedData(v: VerifiedClaim169) {
  expect(v.cose.payload).toEqual(originalResult.cose.payload);
  expect(v.identity).toEqual(originalResult.identity);
  expect(v.cwt).toEqual(originalResult.cwt);
}

beforeAll(async () => {
  const authority = await makeIdentityAuthority({ id: "https://id.example.gov" });
  trust = identityTrustListOf(issuerOf(vector("ed25519-signed")), authority.issuer);
  original = await encodeClaim169(
    { id: "29-4410-7765", fullName: "Amina Wanjiru Njeri", dateOfBirth: "19880102", gender: "female", biometrics: { face: [{ data: new Uint8Array(64).fill(7), formatCode: 0, subFormatCode: 1 }] } },
    { issuer: "https://id.example.gov", expiresAt: new Date("2030-01-01T00:00:00Z") },
    authority.signer,
  );
  originalResult = (await attempt(original))!;
  expect(originalResult.identity.fullName).toBe("Amina Wanjiru Njeri");
});

describe("fuzzed Claim 169 input", () => {
  it("random text: only typed errors", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 600 }), async (t) => {
        expect(await attempt(t)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it("random bytes as base45, as zlib and as raw deflate-less data: only typed errors", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (b) => {
        expect(await attempt(base45Encode(b))).toBeUndefined();
        expect(await attempt(base45Encode(zlibSync(b)))).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it("every truncation of a signed code: refused with a typed error", async () => {
    for (let n = 0; n < original.length; n++) expect(await attempt(original.slice(0, n))).toBeUndefined();
  });

  it("bit flips in the compressed bytes: never verifies anything but the original data", async () => {
    const bytes = decodeBase45Strict(original);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length * 8 - 1 }), fc.nat({ max: bytes.length * 8 - 1 }), async (i, j) => {
        const flipped = new Uint8Array(bytes);
        flipped[i >> 3]! ^= 1 << (i & 7);
        if (j !== i) flipped[j >> 3]! ^= 1 << (j & 7);
        const v = await attempt(base45Encode(flipped));
        if (v) sameSignedData(v);
      }),
      { numRuns: 800 },
    );
  });

  it("bit flips in the CBOR before compression: never verifies anything but the original data", async () => {
    const { unzlibSync } = await import("fflate");
    const cbor = unzlibSync(decodeBase45Strict(original));
    let verifiedChanged = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: cbor.length * 8 - 1 }), async (i) => {
        const flipped = new Uint8Array(cbor);
        flipped[i >> 3]! ^= 1 << (i & 7);
        const v = await attempt(base45Encode(zlibSync(flipped)));
        if (v) {
          verifiedChanged++;
          sameSignedData(v);
        }
      }),
      { numRuns: 800 },
    );
    // Flips can only land in the unsigned header (no kid here, so there is none): nothing verifies.
    expect(verifiedChanged).toBe(0);
  });

  it("decodeClaim169 on random text never throws anything but a Claim169Error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[0-9A-Z $%*+\-./:]{0,300}$/), async (t) => {
        await decodeClaim169(t).catch((e: unknown) => {
          expect(e).toBeInstanceOf(Claim169Error);
        });
      }),
      { numRuns: 500 },
    );
  });
});
