import { brotliCompressSync } from "node:zlib";
import { encode as cborEncode } from "cborg";
import { zlibSync } from "fflate";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { decodeClaim169, decodeClaim169Sync, isClaim169Failure } from "./decode";
import { encodeClaim169 } from "./encode";
import { sigStructure } from "./lib/cose";
import { codeOf } from "@haki/testing/code-of";
import { closeCose, openCose } from "./lib/reference-vectors";
import { MAX_INFLATED_BYTES, Tagged, base45Encode } from "./lib/transport";
import { makeIdentityAuthority, type TestIdentityAuthority } from "./testing";
import { identityTrustListOf, parseIdentityTrustList } from "./trust";
import { verifyClaim169 } from "./verify";

const ISSUED = new Date("2026-01-10T08:00:00Z");
const EXPIRES = new Date("2031-01-10T08:00:00Z");
const NOW = new Date("2027-03-04T10:00:00Z");
const PERSON = { id: "29-4410-7765", fullName: "Amina Wanjiru Njeri", dateOfBirth: "19880102", gender: "female", address: "Kibera\nNairobi" } as const;

let ed: TestIdentityAuthority;
let ec: TestIdentityAuthority;

beforeAll(async () => {
  ed = await makeIdentityAuthority({ kid: "nid-ed-1" });
  ec = await makeIdentityAuthority({ alg: "ES256", kid: "nid-ec-1", id: "https://nira.example.go.ug", name: "NIRA" });
});
afterEach(() => vi.useRealTimers());

const cwt = (issuer: string) => ({ issuer, issuedAt: ISSUED, notBefore: ISSUED, expiresAt: EXPIRES });

async function resignParts(parts: unknown[], a: TestIdentityAuthority): Promise<unknown[]> {
  const params = a.signer.alg === "EdDSA" ? { name: "Ed25519" } : { name: "ECDSA", hash: "SHA-256" };
  const tbs = sigStructure(parts[0] as Uint8Array, parts[2] as Uint8Array) as Uint8Array<ArrayBuffer>;
  return [parts[0], parts[1], parts[2], new Uint8Array(await crypto.subtle.sign(params, a.signer.privateKey, tbs))];
}

describe("verifyClaim169 with codes made by encodeClaim169", () => {
  it("EdDSA and ES256, each against a trust list of both authorities", async () => {
    const trust = identityTrustListOf(ed.issuer, ec.issuer);
    for (const a of [ed, ec]) {
      const text = await encodeClaim169(PERSON, cwt(a.issuer.id), a.signer);
      const v = await verifyClaim169(text, trust, { now: NOW });
      expect(v.identity).toMatchObject({ ...PERSON, birthDate: "1988-01-02", genderCode: 2 });
      expect(v.issuer).toEqual({ id: a.issuer.id, name: a.issuer.name });
      expect(v.key).toEqual({ kid: a.signer.kid, alg: a.signer.alg });
      expect(v.kid).toBe(a.signer.kid);
    }
  });

  it("the CWT tag (61) around the COSE_Sign1, and an untagged COSE_Sign1, are both read", async () => {
    const trust = identityTrustListOf(ed.issuer);
    const tagged = await encodeClaim169(PERSON, cwt(ed.issuer.id), ed.signer, { cwtTag: true });
    expect((await verifyClaim169(tagged, trust, { now: NOW })).cose.cwtTagged).toBe(true);
    const untagged = closeCose(openCose(await encodeClaim169(PERSON, cwt(ed.issuer.id), ed.signer)), { tag: false });
    expect((await verifyClaim169(untagged, trust, { now: NOW })).identity.fullName).toBe(PERSON.fullName);
  });

  it("Brotli-compressed codes (specification 1.2.2) are read; zlib ones stay on the synchronous path", async () => {
    const text = await encodeClaim169(PERSON, cwt(ed.issuer.id), ed.signer);
    const cose = cborEncode(new Tagged(18, openCose(text)), { mapSorter: () => 0 });
    const brotli = base45Encode(new Uint8Array(brotliCompressSync(cose)));
    const v = await verifyClaim169(brotli, identityTrustListOf(ed.issuer), { now: NOW });
    expect(v.compression).toBe("brotli");
    expect(v.identity.fullName).toBe(PERSON.fullName);
    expect(() => decodeClaim169Sync(brotli)).toThrow(expect.objectContaining({ code: "ERR_CLAIM169_DECOMPRESS" }));
  });

  it("the kid picks the key; a kid the issuer does not have is an untrusted issuer", async () => {
    const second = await makeIdentityAuthority({ kid: "nid-ed-2", id: ed.issuer.id });
    const trust = identityTrustListOf({ ...ed.issuer, keys: [...ed.issuer.keys, ...second.issuer.keys] });
    expect((await verifyClaim169(await encodeClaim169(PERSON, cwt(ed.issuer.id), second.signer), trust, { now: NOW })).key.kid).toBe("nid-ed-2");
    const stranger = await makeIdentityAuthority({ kid: "nid-ed-9", id: ed.issuer.id });
    expect(await codeOf(verifyClaim169(await encodeClaim169(PERSON, cwt(ed.issuer.id), stranger.signer), trust, { now: NOW }))).toBe(
      "ERR_CLAIM169_ISSUER_UNTRUSTED",
    );
  });

  it("a code without iss is accepted only when some trusted key verifies it", async () => {
    const text = await encodeClaim169(PERSON, { expiresAt: EXPIRES }, ed.signer);
    expect((await verifyClaim169(text, identityTrustListOf(ec.issuer, ed.issuer), { now: NOW })).issuer.id).toBe(ed.issuer.id);
    const other = await makeIdentityAuthority({ kid: "nid-ed-1" });
    expect(await codeOf(verifyClaim169(text, identityTrustListOf(other.issuer), { now: NOW }))).toBe("ERR_CLAIM169_SIGNATURE_INVALID");
  });

  it("one changed byte of the signed payload, or a swapped signature, is a bad signature", async () => {
    const trust = identityTrustListOf(ed.issuer);
    const parts = openCose(await encodeClaim169(PERSON, cwt(ed.issuer.id), ed.signer));
    const payload = new Uint8Array(parts[2] as Uint8Array);
    const at = payload.length - 3; // inside the last text field (the address)
    payload[at] = payload[at]! ^ 0x01;
    expect(await codeOf(verifyClaim169(closeCose([parts[0], parts[1], payload, parts[3]]), trust, { now: NOW }))).toBe(
      "ERR_CLAIM169_SIGNATURE_INVALID",
    );
    const otherParts = openCose(await encodeClaim169({ ...PERSON, fullName: "Someone Else" }, cwt(ed.issuer.id), ed.signer));
    expect(await codeOf(verifyClaim169(closeCose([parts[0], parts[1], parts[2], otherParts[3]]), trust, { now: NOW }))).toBe(
      "ERR_CLAIM169_SIGNATURE_INVALID",
    );
  });
});

describe("validity dates (CWT exp and nbf) against the clock", () => {
  it("uses the system clock when no time is given (fake timers), with 60 s tolerance", async () => {
    const trust = identityTrustListOf(ed.issuer);
    const text = await encodeClaim169(PERSON, cwt(ed.issuer.id), ed.signer);
    vi.useFakeTimers();
    vi.setSystemTime(new Date(EXPIRES.getTime() - 1000));
    await expect(verifyClaim169(text, trust)).resolves.toBeTruthy();
    vi.setSystemTime(new Date(EXPIRES.getTime() + 60_000));
    await expect(verifyClaim169(text, trust)).rejects.toMatchObject({ code: "ERR_CLAIM169_EXPIRED", message: "This ID card expired on 2031-01-10." });
    vi.setSystemTime(new Date(ISSUED.getTime() - 61_000));
    await expect(verifyClaim169(text, trust)).rejects.toMatchObject({ code: "ERR_CLAIM169_NOT_YET_VALID" });
    vi.setSystemTime(new Date(ISSUED.getTime() - 59_000));
    await expect(verifyClaim169(text, trust)).resolves.toBeTruthy();
  });

  it("a card without an end date passes unless the check requires one", async () => {
    const trust = identityTrustListOf(ed.issuer);
    const text = await encodeClaim169(PERSON, { issuer: ed.issuer.id, issuedAt: ISSUED }, ed.signer);
    await expect(verifyClaim169(text, trust, { now: NOW })).resolves.toBeTruthy();
    expect(await codeOf(verifyClaim169(text, trust, { now: NOW, requireExpiry: true }))).toBe("ERR_CLAIM169_EXPIRY_REQUIRED");
  });

  it("a retired key does not vouch for codes issued after it was retired", async () => {
    const retired = identityTrustListOf({ ...ed.issuer, keys: [{ ...ed.issuer.keys[0]!, retiredAt: "2026-06-01T00:00:00Z" }] });
    const before = await encodeClaim169(PERSON, cwt(ed.issuer.id), ed.signer);
    const after = await encodeClaim169(PERSON, { ...cwt(ed.issuer.id), issuedAt: new Date("2026-07-01T00:00:00Z") }, ed.signer);
    await expect(verifyClaim169(before, retired, { now: NOW })).resolves.toBeTruthy();
    expect(await codeOf(verifyClaim169(after, retired, { now: NOW }))).toBe("ERR_CLAIM169_SIGNATURE_INVALID");
  });
});

describe("COSE envelope checks", () => {
  async function withProtected(header: Map<number, unknown>, unprotected = new Map<number, unknown>()): Promise<string> {
    const parts = openCose(await encodeClaim169(PERSON, cwt(ed.issuer.id), ed.signer));
    return closeCose(await resignParts([cborEncode(header), unprotected, parts[2], parts[3]], ed));
  }

  it("alg only in the unsigned header, or missing, is refused", async () => {
    const trust = identityTrustListOf(ed.issuer);
    expect(await codeOf(verifyClaim169(await withProtected(new Map(), new Map([[1, -8]])), trust, { now: NOW }))).toBe("ERR_CLAIM169_ALG_MISSING");
    expect(await codeOf(verifyClaim169(await withProtected(new Map()), trust, { now: NOW }))).toBe("ERR_CLAIM169_ALG_MISSING");
  });

  it("algorithms other than EdDSA and ES256 are refused; the fully specified Ed25519 (-19) is accepted", async () => {
    const trust = identityTrustListOf(ed.issuer);
    expect(await codeOf(verifyClaim169(await withProtected(new Map([[1, -35]])), trust, { now: NOW }))).toBe("ERR_CLAIM169_ALG_UNSUPPORTED");
    expect(await codeOf(verifyClaim169(await withProtected(new Map([[1, "none"]])), trust, { now: NOW }))).toBe("ERR_CLAIM169_ALG_UNSUPPORTED");
    expect(await codeOf(verifyClaim169(await withProtected(new Map([[1, -19]])), trust, { now: NOW }))).toBeUndefined();
  });

  it("a critical header this reader does not understand is refused; a known one is fine", async () => {
    const trust = identityTrustListOf(ed.issuer);
    const unknown = new Map<number, unknown>([[1, -8], [2, [99]], [99, "x"]]);
    expect(await codeOf(verifyClaim169(await withProtected(unknown), trust, { now: NOW }))).toBe("ERR_CLAIM169_CRITICAL_HEADER");
    const known = new Map<number, unknown>([[1, -8], [2, [1]]]);
    expect(await codeOf(verifyClaim169(await withProtected(known), trust, { now: NOW }))).toBeUndefined();
  });

  it("the same header in both buckets is refused", async () => {
    const text = await withProtected(new Map<number, unknown>([[1, -8], [4, new TextEncoder().encode("a")]]), new Map([[4, new TextEncoder().encode("b")]]));
    expect(await codeOf(decodeClaim169(text))).toBe("ERR_CLAIM169_NOT_COSE");
  });

  it("COSE_Sign (multi-signer), COSE_Mac0 and detached payloads are refused as not readable", async () => {
    const parts = openCose(await encodeClaim169(PERSON, cwt(ed.issuer.id), ed.signer));
    const wrap = (v: unknown) => base45Encode(zlibSync(cborEncode(v, { mapSorter: () => 0 })));
    expect(await codeOf(decodeClaim169(wrap(new Tagged(98, parts))))).toBe("ERR_CLAIM169_NOT_COSE");
    expect(await codeOf(decodeClaim169(wrap(new Tagged(17, parts))))).toBe("ERR_CLAIM169_NOT_COSE");
    expect(await codeOf(decodeClaim169(wrap(new Tagged(18, [parts[0], parts[1], null, parts[3]]))))).toBe("ERR_CLAIM169_NOT_COSE");
    expect(await codeOf(decodeClaim169(wrap(new Tagged(16, [parts[0], parts[1], parts[2]]))))).toBe("ERR_CLAIM169_ENCRYPTED");
    const a256gcm = cborEncode(new Map([[1, 3]]));
    expect(await codeOf(decodeClaim169(wrap([a256gcm, new Map(), new Uint8Array(40)])))).toBe("ERR_CLAIM169_ENCRYPTED");
  });
});

describe("bad input gets a clear code", () => {
  it("empty, too long, non-canonical base45, zip bombs, duplicate keys, wrong claim types", async () => {
    expect(await codeOf(decodeClaim169(""))).toBe("ERR_CLAIM169_EMPTY");
    expect(await codeOf(decodeClaim169("\r\n"))).toBe("ERR_CLAIM169_EMPTY");
    expect(await codeOf(decodeClaim169("A".repeat(5000)))).toBe("ERR_CLAIM169_TOO_LARGE");
    // ":::" is 44 + 44*45 + 44*2025 = 91124 > 65535: RFC 9285 says refuse.
    expect(await codeOf(decodeClaim169(":::"))).toBe("ERR_CLAIM169_BASE45");
    const bomb = base45Encode(zlibSync(new Uint8Array(MAX_INFLATED_BYTES + 10)));
    expect(bomb.length).toBeLessThan(1000);
    expect(await codeOf(decodeClaim169(bomb))).toBe("ERR_CLAIM169_TOO_LARGE");
    const brotliBomb = base45Encode(new Uint8Array(brotliCompressSync(new Uint8Array(MAX_INFLATED_BYTES + 10))));
    expect(await codeOf(decodeClaim169(brotliBomb))).toBe("ERR_CLAIM169_TOO_LARGE");
    // Two values for key 4 (full name): the second could hide behind the first.
    const dup = new Uint8Array([0xa2, 0x04, 0x61, 0x41, 0x04, 0x61, 0x42]);
    const parts = openCose(await encodeClaim169(PERSON, cwt(ed.issuer.id), ed.signer));
    const payloadDup = cborEncode(new Map<number, unknown>([[1, ed.issuer.id], [169, new Tagged(24, dup)]]));
    expect(await codeOf(decodeClaim169(closeCose([parts[0], parts[1], payloadDup, parts[3]])))).toBe("ERR_CLAIM169_MALFORMED");
    const rawDup = new Uint8Array([0xa2, 0x01, 0x61, 0x41, 0x01, 0x61, 0x42]);
    expect(await codeOf(decodeClaim169(closeCose([parts[0], parts[1], rawDup, parts[3]])))).toBe("ERR_CLAIM169_CBOR");
    const badExp = cborEncode(new Map<number, unknown>([[1, ed.issuer.id], [4, "2030-01-01"], [169, new Map()]]));
    expect(await codeOf(decodeClaim169(closeCose([parts[0], parts[1], badExp, parts[3]])))).toBe("ERR_CLAIM169_NOT_CWT");
    const notMap = cborEncode([1, 2, 3]);
    expect(await codeOf(decodeClaim169(closeCose([parts[0], parts[1], notMap, parts[3]])))).toBe("ERR_CLAIM169_NOT_CWT");
  });

  it("known fields with wrong types are listed, not fatal; unknown tags inside are kept", async () => {
    const text = await encodeClaim169(
      { fullName: "Amina", extra: [[4, 42] as const, [9, "F"] as const, [62, [new Map([[1, 0]])]] as const, [80, new Tagged(1, 1700000000)] as const] },
      cwt(ed.issuer.id),
      ed.signer,
    );
    const { identity } = await verifyClaim169(text, identityTrustListOf(ed.issuer), { now: NOW });
    expect(identity.fullName).toBeUndefined();
    expect(identity.invalidFields.map((f) => [f.key, f.name, f.reason])).toEqual([
      [4, "fullName", "not text"],
      [9, "gender", "not a number"],
      [62, "face", "a biometric entry has no data"],
    ]);
    expect(identity.unknownFields).toEqual([{ key: 80, value: new Tagged(1, 1700000000) }]);
  });

  it("trust lists with private keys, mismatched algorithms or no keys are refused", async () => {
    const jwk = ed.issuer.keys[0]!.publicKeyJwk;
    const bad = [
      { identityIssuers: [{ ...ed.issuer, keys: [{ alg: "EdDSA", publicKeyJwk: { ...jwk, d: "x".repeat(43) } }] }] },
      { identityIssuers: [{ ...ed.issuer, keys: [{ alg: "ES256", publicKeyJwk: jwk }] }] },
      { identityIssuers: [{ ...ed.issuer, keys: [] }] },
      { identityIssuers: "none" },
    ];
    for (const b of bad) expect(() => parseIdentityTrustList(b)).toThrow(expect.objectContaining({ code: "ERR_CLAIM169_TRUST_LIST_INVALID" }));
    const text = await encodeClaim169(PERSON, cwt(ed.issuer.id), ed.signer);
    expect(await codeOf(verifyClaim169(text, bad[0] as never))).toBe("ERR_CLAIM169_TRUST_LIST_INVALID");
  });

  it("checks a trust list once per object: the same answer (keys already imported) comes back on the next scan", () => {
    const input = { identityIssuers: [ed.issuer] };
    const first = parseIdentityTrustList(input);
    expect(parseIdentityTrustList(input)).toBe(first);
    expect(parseIdentityTrustList({ identityIssuers: [ed.issuer] })).not.toBe(first);
  });

  it("isClaim169Failure tells an ID card that fails from a code of another kind", async () => {
    const missing = "6BFU60V40FFWJWG.FKJ05H6BERKOQEMWEW9E0G7S:5$9FQ$DTVD7*5$KEFN0FPDUOQWY0J C1LUQ68$GAK2"; // reference vector missing-169
    const parts = openCose(await encodeClaim169(PERSON, cwt(ed.issuer.id), ed.signer));
    const encrypted = base45Encode(zlibSync(cborEncode(new Tagged(16, [parts[0], parts[1], parts[2]]))));
    const failures = await Promise.all(
      [missing, encrypted, "HK1:ABC", "hello", "6BFGPD$.PV0Q$LPFDQI00LTDH1"].map((t) => decodeClaim169(t).then(() => undefined, (e: unknown) => e)),
    );
    expect(failures.map(isClaim169Failure)).toEqual([true, true, false, false, false]);
  });
});
