/**
 * Property and fuzz tests of the decoder: any text, random bodies, truncations, and changed
 * characters only ever give HakiQrErrors, and nothing but the original payload decodes to a JWT
 * whose signatures verify.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { PROOF_PREFIX, decodeProof, encodeProof } from "./codec";
import { HakiQrError } from "./errors";
import { BASE45_ALPHABET, encodeBase45 } from "./lib/base45";
import { demoSetups, makeKey, signDemoPresentation, signEntitlement, type DemoKey } from "./lib/demo";
import { verifiesWithJose } from "./lib/testing";

interface Sample {
  name: string;
  jwt: string;
  payload: string;
  issuers?: string[];
}

let holder: DemoKey;
let issuerKeys: DemoKey[];
const samples: Sample[] = [];

beforeAll(async () => {
  holder = await makeKey();
  const setups = await demoSetups(holder);
  issuerKeys = setups.map((s) => s.issuer);
  for (const s of setups) {
    const vc = await signEntitlement(s.input, s.issuer);
    const vp = await signDemoPresentation(vc, holder);
    const issuers = [s.issuer.did];
    samples.push(
      { name: `${s.label} credential`, jwt: vc, payload: encodeProof(vc) },
      { name: `${s.label} presentation`, jwt: vp, payload: encodeProof(vp) },
      { name: `${s.label} presentation by reference`, jwt: vp, payload: encodeProof(vp, { issuers }), issuers },
      { name: `${s.label} generic`, jwt: vc, payload: encodeProof(vc, { format: "generic" }) },
    );
  }
});

/** Decodes; returns the JWT, or undefined for a HakiQrError; anything else fails the test. */
function tryDecode(text: string, issuers?: string[]): { jwt: string; credentialJwt?: string } | undefined {
  try {
    return decodeProof(text, { issuers });
  } catch (e) {
    if (!(e instanceof HakiQrError)) throw new Error(`decodeProof threw a foreign error: ${String(e)}`, { cause: e });
    expect(e.code).toMatch(/^ERR_QR_/);
    return undefined;
  }
}

/** A decoded JWT may differ from the original only if its signatures then fail. */
async function expectNoForgery(decoded: { jwt: string; credentialJwt?: string } | undefined, original: string) {
  if (!decoded || decoded.jwt === original) return;
  const signers = [holder, ...issuerKeys];
  const outer = await Promise.all(signers.map((k) => verifiesWithJose(decoded.jwt, k)));
  expect(outer.some(Boolean)).toBe(false);
}

const alphabetChar = fc.integer({ min: 0, max: 44 }).map((i) => BASE45_ALPHABET[i]!);

describe("decodeProof never throws anything but HakiQrError", () => {
  it("on any string", () => {
    fc.assert(fc.property(fc.string({ maxLength: 600 }), (s) => void tryDecode(s)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => void tryDecode("HK1:" + s)), { numRuns: 1000 });
  });

  it("on prefixed random alphanumeric text and random bodies", () => {
    fc.assert(
      fc.property(fc.array(alphabetChar, { maxLength: 600 }), (chars) => void tryDecode(PROOF_PREFIX + chars.join(""))),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 400 }), (head, bytes) => {
        void tryDecode(PROOF_PREFIX + encodeBase45(Uint8Array.of(head, ...bytes)));
      }),
      { numRuns: 3000 },
    );
  });

  it("on random bodies behind every valid mode byte with a real-looking tail", () => {
    fc.assert(
      fc.property(fc.constantFrom(0x01, 0x02, 0x03, 0x81, 0x82, 0x83, 0x85, 0x8a, 0x8e), fc.uint8Array({ minLength: 64, maxLength: 300 }), (head, bytes) => {
        void tryDecode(PROOF_PREFIX + encodeBase45(Uint8Array.of(head, ...bytes)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("changed payloads never yield a proof that verifies", () => {
  it("truncations are refused", () => {
    for (const s of samples) {
      for (let n = 0; n < s.payload.length; n++) {
        expect(tryDecode(s.payload.slice(0, n), s.issuers), `${s.name} cut at ${n}`).toBeUndefined();
      }
    }
  });

  it("one changed character: refused, or a JWT whose signature fails", async () => {
    for (const s of samples) {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: s.payload.length - 1 - PROOF_PREFIX.length }), alphabetChar, async (i, c) => {
          const at = PROOF_PREFIX.length + i;
          fc.pre(s.payload[at] !== c);
          const changed = s.payload.slice(0, at) + c + s.payload.slice(at + 1);
          await expectNoForgery(tryDecode(changed, s.issuers), s.jwt);
        }),
        { numRuns: 300 },
      );
    }
  });

  it("bit flips in the decoded body: refused, or a JWT whose signature fails", async () => {
    const { decodeBase45 } = await import("./lib/base45");
    for (const s of samples) {
      const body = decodeBase45(s.payload.slice(PROOF_PREFIX.length));
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: body.length * 8 - 1 }), fc.nat({ max: body.length * 8 - 1 }), async (a, b) => {
          const flipped = body.slice();
          flipped[a >> 3]! ^= 1 << (a & 7);
          if (b !== a) flipped[b >> 3]! ^= 1 << (b & 7);
          await expectNoForgery(tryDecode(PROOF_PREFIX + encodeBase45(flipped), s.issuers), s.jwt);
        }),
        { numRuns: 400 },
      );
    }
  });

  it("appended, inserted or removed characters are refused", () => {
    for (const s of samples) {
      fc.assert(
        fc.property(fc.nat({ max: s.payload.length - PROOF_PREFIX.length }), fc.array(alphabetChar, { minLength: 1, maxLength: 6 }), (i, extra) => {
          const at = PROOF_PREFIX.length + i;
          const inserted = s.payload.slice(0, at) + extra.join("") + s.payload.slice(at);
          const got = tryDecode(inserted, s.issuers);
          expect(got === undefined || got.jwt !== s.jwt).toBe(true);
          const removed = s.payload.slice(0, at) + s.payload.slice(at + extra.length);
          if (removed !== s.payload) expect(tryDecode(removed, s.issuers)?.jwt).not.toBe(s.jwt);
        }),
        { numRuns: 200 },
      );
    }
  });
});
