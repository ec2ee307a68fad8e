import { codeOf } from "@haki/testing/code-of";
import type { EntitlementInput, EntitlementSubject } from "@haki/credentials/model";
import { serializeEntitlementPayload, buildEntitlementPayload } from "@haki/credentials/canonical";
import { beforeAll, describe, expect, it } from "vitest";
import { PROOF_PREFIX, decodeProof, encodeProof, encodeProofWithFormat } from "./codec";
import { encodeBase45 } from "./lib/base45";
import { DEMO_SUBJECT, demoSetups, makeKey, signDemoPresentation, signEntitlement, signEntitlementWithJose, signJws, type DemoKey, type DemoSetup } from "./lib/demo";
import { didJwtResolver, trustListFor, verifiesWithDidJwt, verifiesWithHaki, verifiesWithJose } from "./lib/testing";
import type { Resolver } from "did-resolver";
import type { TrustList } from "@haki/credentials/trust";

const NOW = new Date("2027-03-04T10:00:00Z");

let holder: DemoKey;
let setups: DemoSetup[];
let trust: TrustList;
let resolver: Resolver;

beforeAll(async () => {
  holder = await makeKey();
  setups = await demoSetups(holder);
  trust = await trustListFor(setups.map((s) => s.issuer));
  resolver = await didJwtResolver(setups.map((s) => s.issuer).filter((k) => k.did.startsWith("did:web:")));
});

/** Round trip + verification by Haki's verifier, jose and did-jwt. */
async function expectRoundTrip(jwt: string, issuer: DemoKey, kind: "credential" | "presentation", issuers?: string[]) {
  const encoded = encodeProofWithFormat(jwt, { issuers });
  expect(encoded.format, encoded.fallbackReason).toBe("compact");
  expect(encoded.payload.startsWith(PROOF_PREFIX)).toBe(true);
  expect(encoded.payload).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
  const decoded = decodeProof(encoded.payload, { issuers });
  expect(decoded.jwt).toBe(jwt);
  expect(decoded.kind).toBe(kind);
  expect(await verifiesWithHaki(kind, decoded.jwt, trust, NOW)).toBe(true);
  expect(await verifiesWithJose(decoded.credentialJwt ?? decoded.jwt, issuer)).toBe(true);
  if (kind === "presentation") expect(await verifiesWithJose(decoded.jwt, holder)).toBe(true);
  expect(await verifiesWithDidJwt(decoded.jwt, resolver, NOW)).toBe(true);
  return encoded.payload;
}

const withSubject = (s: DemoSetup, subject: EntitlementSubject): EntitlementInput => ({ ...s.input, subject });

const BENEFITS: EntitlementSubject["benefit"][] = [
  { type: "Cash", amount: 4000, currency: "KES" },
  { type: "Cash", amount: 1250.75, currency: "XOF" },
  { type: "Cash", amount: 0.01, currency: "BWP" },
  { type: "InKind", item: "Maize flour", quantity: 25, unit: "kg" },
  { type: "InKind", item: "Cooking oil", quantity: 1.5, unit: "l" },
  { type: "Voucher", description: "School uniform", amount: 35.5, currency: "USD" },
  { type: "Voucher", description: "One clinic visit" },
];

describe("encodeProof / decodeProof: compact round trips", () => {
  it.each(BENEFITS.map((b) => [b.type, b] as const))("%s benefit, both issuer profiles, credential and presentation", async (_t, benefit) => {
    for (const s of setups) {
      const vc = await signEntitlement(withSubject(s, { ...DEMO_SUBJECT, benefit }), s.issuer);
      await expectRoundTrip(vc, s.issuer, "credential");
      await expectRoundTrip(vc, s.issuer, "credential", [s.issuer.did]);
      const vp = await signDemoPresentation(vc, holder);
      await expectRoundTrip(vp, s.issuer, "presentation");
      await expectRoundTrip(vp, s.issuer, "presentation", ["did:web:other.example", s.issuer.did]);
    }
  });

  it.each([
    ["Arabic", "عبد الرحمن بن محمد بن عبد الله الهاشمي القرشي من مدينة الخرطوم بحري"],
    ["Amharic", "ወይዘሮ አበበች ተክለ ሃይማኖት ወልደ ማርያም ገብረ ሥላሴ ከአዲስ አበባ ክፍለ ከተማ"],
    ["Thai", "นางสาวสมศรี ประเสริฐวงศ์ศักดิ์ศรีสวัสดิ์ จากจังหวัดนครราชสีมา"],
  ])("long %s names and programme names", async (_script, name) => {
    const s = setups[0]!;
    const subject: EntitlementSubject = {
      ...DEMO_SUBJECT,
      name: name.slice(0, 80),
      programme: { id: "prog-1", name: name.slice(0, 40) },
      benefit: { type: "InKind", item: name.slice(0, 30), quantity: 3, unit: "kg" },
    };
    const vc = await signEntitlement(withSubject(s, subject), s.issuer);
    const payload = await expectRoundTrip(vc, s.issuer, "credential");
    await expectRoundTrip(await signDemoPresentation(vc, holder), s.issuer, "presentation");
    expect(payload.length).toBeLessThan(vc.length / 2);
  });

  it("a paper card without holder, with every optional field, an id and odd times", async () => {
    const s = setups[1]!;
    const vc = await signEntitlement(
      {
        ...s.input,
        holder: undefined,
        id: "urn:uuid:3f2b8c1e-9a4d-4c6b-8e2f-1a2b3c4d5e6f",
        validFrom: new Date("2027-03-01T06:30:17Z"),
        validUntil: new Date("2027-09-30T18:00:00Z"),
        subject: { ...DEMO_SUBJECT, servicePoints: ["SP-001", "SP-017"], redemption: "partial" },
        status: { revocationList: "https://lists.example.net/r/7", suspensionList: "https://other.example/s", index: 0 },
      },
      s.issuer,
    );
    await expectRoundTrip(vc, s.issuer, "credential");
    await expectRoundTrip(vc, s.issuer, "credential", [s.issuer.did]);
  });

  it("presentations with a nonce and an audience", async () => {
    const s = setups[0]!;
    const vc = await signEntitlement(s.input, s.issuer);
    const vp = await signDemoPresentation(vc, holder, { nonce: "k3J9x-Qw", audience: "did:web:market.example" });
    await expectRoundTrip(vp, s.issuer, "presentation");
  });

  it("issue 12, relay: a counter code (4 digits, leading zeros kept) packs as a 3-byte integer, at most 5 characters more", async () => {
    const s = setups[0]!;
    const vc = await signEntitlement(s.input, s.issuer);
    // One fixed one-time id: a random one changes what the deflated part measures by a character.
    const id = "q7Lm2xV9rT4kWc8n";
    const plain = encodeProof(await signDemoPresentation(vc, holder, { id }));
    for (const code of ["0427", "0007", "9999", "0000"]) {
      const coded = await expectRoundTrip(await signDemoPresentation(vc, holder, { id, nonce: code }), s.issuer, "presentation");
      expect(coded.length - plain.length).toBeLessThanOrEqual(5);
    }
  });

  it("jose-signed canonical credentials take the compact form too", async () => {
    const s = setups[0]!;
    await expectRoundTrip(await signEntitlementWithJose(s.input, s.issuer), s.issuer, "credential");
  });

  it("is deterministic: the same JWT always gives the same payload", async () => {
    const s = setups[0]!;
    const vc = await signEntitlement(s.input, s.issuer);
    expect(encodeProof(vc)).toBe(encodeProof(vc));
  });
});

describe("generic mode for JWTs not in Haki's canonical form", () => {
  it("carries a credential whose payload has another key order, and says why", async () => {
    const s = setups[0]!;
    const payload = buildEntitlementPayload(s.input);
    const reordered = JSON.stringify({ vc: payload.vc, iss: payload.iss, sub: payload.sub, nbf: payload.nbf, exp: payload.exp });
    expect(reordered).not.toBe(serializeEntitlementPayload(payload));
    const jwt = await signJws({}, reordered, s.issuer);
    const encoded = encodeProofWithFormat(jwt);
    expect(encoded.format).toBe("generic");
    expect(encoded.fallbackReason).toBeTruthy();
    const decoded = decodeProof(encoded.payload);
    expect(decoded).toMatchObject({ kind: "credential", format: "generic", jwt });
    expect(await verifiesWithJose(decoded.jwt, s.issuer)).toBe(true);
    expect(await verifiesWithHaki("credential", decoded.jwt, trust, NOW)).toBe(true);
  });

  it("carries another issuer's VC-JWT (extra claims, other header) and a forced generic encoding", async () => {
    const key = await makeKey();
    const jwt = await signJws(
      { typ: "vc+jwt" },
      JSON.stringify({ iss: key.did, vc: { type: ["VerifiableCredential", "ProofOfAge"], credentialSubject: { over18: true } } }),
      key,
    );
    const decoded = decodeProof(encodeProof(jwt));
    expect(decoded).toMatchObject({ kind: "credential", format: "generic", jwt });
    const s = setups[0]!;
    const vc = await signEntitlement(s.input, s.issuer);
    const vp = await signDemoPresentation(vc, holder);
    const forced = decodeProof(encodeProof(vp, { format: "generic" }));
    expect(forced).toMatchObject({ kind: "presentation", format: "generic", jwt: vp, credentialJwt: vc });
  });

  it("refuses what is not a credential or presentation JWT", async () => {
    const key = await makeKey();
    expect(codeOf(() => encodeProof("not a jwt"))).toBe("ERR_QR_INVALID_INPUT");
    expect(codeOf(() => encodeProof("a.b"))).toBe("ERR_QR_INVALID_INPUT");
    const plain = await signJws({}, JSON.stringify({ iss: key.did, hello: "world" }), key);
    expect(codeOf(() => encodeProof(plain))).toBe("ERR_QR_INVALID_INPUT");
    expect(codeOf(() => encodeProof(plain + "="))).toBe("ERR_QR_INVALID_INPUT");
    const random = Buffer.from(crypto.getRandomValues(new Uint8Array(4000))).toString("base64url");
    const huge = await signJws({}, JSON.stringify({ iss: key.did, vc: { blob: random } }), key);
    expect(codeOf(() => encodeProof(huge))).toBe("ERR_QR_TOO_LARGE");
  });
});

describe("decodeProof errors", () => {
  let payload: string;
  let refPayload: string;
  beforeAll(async () => {
    const s = setups[0]!;
    const vp = await signDemoPresentation(await signEntitlement(s.input, s.issuer), holder);
    payload = encodeProof(vp);
    refPayload = encodeProof(vp, { issuers: [s.issuer.did] });
  });

  it("names other QR codes, newer formats, truncation, damage and unknown issuers", () => {
    expect(codeOf(() => decodeProof("https://example.org"))).toBe("ERR_QR_NOT_HAKI");
    expect(codeOf(() => decodeProof(""))).toBe("ERR_QR_NOT_HAKI");
    expect(codeOf(() => decodeProof("HC1:6BFOXN%TS3DH0YOJ58S"))).toBe("ERR_QR_NOT_HAKI");
    expect(codeOf(() => decodeProof("HK3:" + payload.slice(4)))).toBe("ERR_QR_UNSUPPORTED_VERSION");
    expect(codeOf(() => decodeProof("HK"))).toBe("ERR_QR_TRUNCATED");
    expect(codeOf(() => decodeProof(PROOF_PREFIX))).toBe("ERR_QR_TRUNCATED");
    expect(codeOf(() => decodeProof(payload.slice(0, payload.length - 1)))).toMatch(/ERR_QR_(TRUNCATED|CORRUPT)/);
    expect(codeOf(() => decodeProof(payload.slice(0, 200)))).toBe("ERR_QR_TRUNCATED");
    expect(codeOf(() => decodeProof(payload.slice(0, 4 + 3 * 60)))).toBe("ERR_QR_TRUNCATED");
    expect(codeOf(() => decodeProof(payload + "000"))).toBe("ERR_QR_CORRUPT"); // two bytes appended
    expect(codeOf(() => decodeProof(payload + "00"))).toMatch(/ERR_QR_(TRUNCATED|CORRUPT)/);
    expect(codeOf(() => decodeProof(payload.toLowerCase()))).toBe("ERR_QR_NOT_HAKI");
    expect(codeOf(() => decodeProof(PROOF_PREFIX + payload.slice(4).toLowerCase()))).toBe("ERR_QR_CORRUPT");
    expect(codeOf(() => decodeProof(PROOF_PREFIX + encodeBase45(Uint8Array.of(0x40, 1, 2))))).toBe("ERR_QR_CORRUPT");
    expect(codeOf(() => decodeProof(PROOF_PREFIX + "GGW"))).toBe("ERR_QR_CORRUPT");
    expect(codeOf(() => decodeProof(refPayload))).toBe("ERR_QR_UNKNOWN_ISSUER");
    expect(codeOf(() => decodeProof(refPayload, { issuers: ["did:web:someone.else"] }))).toBe("ERR_QR_UNKNOWN_ISSUER");
  });

  it("refuses a payload of another mode with the same bytes, or with a key both raw and inline", () => {
    const body = payload.slice(4);
    // Flip the mode bits of the first byte: presentation -> credential.
    const first = decodeFirstByte(body);
    const swapped = PROOF_PREFIX + reencodeFirstByte(body, (first & ~0x03) | 0x01);
    expect(codeOf(() => decodeProof(swapped))).toMatch(/ERR_QR_(CORRUPT|TRUNCATED)/);
    const noKey = PROOF_PREFIX + reencodeFirstByte(body, first & ~0x08);
    expect(codeOf(() => decodeProof(noKey))).toMatch(/ERR_QR_(CORRUPT|TRUNCATED)/);
  });
});

import { decodeBase45 } from "./lib/base45";
function decodeFirstByte(b45: string): number {
  return decodeBase45(b45)[0]!;
}
function reencodeFirstByte(b45: string, value: number): string {
  const bytes = decodeBase45(b45);
  bytes[0] = value;
  return encodeBase45(bytes);
}
