import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyId, expectCanonical } from "../../test/expect-canonical";
import { UnknownIssuerRef } from "./fields";
import {
  decodeArea,
  decodeId2,
  decodeKeyFragment2,
  decodeKeyRef,
  decodeProgrammeRef,
  decodeReference,
  decodeStatusUrl,
  decodeText2,
  decodeWord,
  encodeArea,
  encodeId2,
  encodeKeyFragment2,
  encodeProgrammeRef,
  encodeReference,
  encodeStatusUrl,
  encodeText2,
  encodeWord,
  keyRef,
  programmeRef,
} from "./fields-v2";

const ISSUER = "did:web:localhost%3A3000";
const crockford = fc.constantFrom(..."0123456789ABCDEFGHJKMNPQRSTVWXYZ");
const anyCbor = fc.oneof(fc.string(), fc.uint8Array({ maxLength: 24 }), fc.integer({ min: -10, max: 2 ** 33 }), fc.constant(null), fc.array(fc.oneof(fc.nat(40), fc.string(), fc.uint8Array({ maxLength: 20 })), { maxLength: 4 }));

describe("format 2 field encodings are one-to-one", () => {
  it("key id fragments: key-<base64url> as bytes, thumbprints as 32 bytes, the default as null", () => {
    const fragments = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => `key-${Buffer.from(b).toString("base64url")}`),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("base64url")),
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.constant("key-1"),
    );
    fc.assert(fc.property(fragments, (f) => void expect(decodeKeyFragment2("key-1", encodeKeyFragment2("key-1", f), "k")).toBe(f)));
    fc.assert(fc.property(anyCbor, (v) => void expectCanonical((x) => decodeKeyFragment2("key-1", x, "k"), (f) => encodeKeyFragment2("key-1", f), v)));
    expect(encodeKeyFragment2("key-1", "key-Qm9vbGVhbkZh")).toEqual(new Uint8Array(Buffer.from("Qm9vbGVhbkZh", "base64url")));
  });

  it("ids: urn:uuid as 16 bytes, bare UUIDs and 16-byte random ids tagged, other random ids as bytes, text otherwise", () => {
    const ids = anyId(40);
    fc.assert(fc.property(ids, (id) => void expect(decodeId2(encodeId2(id), "id")).toBe(id)));
    fc.assert(fc.property(anyCbor, (v) => void expectCanonical((x) => decodeId2(x, "id"), encodeId2, v)));
    expect(encodeId2("urn:uuid:019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b")).toHaveLength(16);
  });

  it("beneficiary references: HK- and 10 Crockford characters as 7 bytes", () => {
    const refs = fc.array(crockford, { minLength: 10, maxLength: 10 }).map((c) => `HK-${c.join("")}`);
    fc.assert(fc.property(fc.oneof(refs, fc.string({ maxLength: 20 })), (r) => void expect(decodeReference(encodeReference(r), "b")).toBe(r)));
    fc.assert(fc.property(fc.oneof(anyCbor, fc.uint8Array({ minLength: 7, maxLength: 7 })), (v) => void expectCanonical((x) => decodeReference(x, "b"), encodeReference, v)));
    expect(encodeReference("HK-7M2Q9XK4TB")).toHaveLength(7);
    expect(encodeReference("HK-7M2Q9XK4TI")).toBe("HK-7M2Q9XK4TI"); // I is not Crockford
  });

  it("names: packed below their UTF-8 size when that is shorter, in any script", () => {
    const names = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 30 }),
      fc.array(fc.constantFrom(..."จันทร์เพ็ญ ศรีสมบูรณ์ወለተሚካኤል ገብረመድኅንعبد الرحمن"), { minLength: 1, maxLength: 40 }).map((a) => a.join("")),
    );
    fc.assert(fc.property(names, (n) => void expect(decodeText2(encodeText2(n), "n")).toBe(n)));
    fc.assert(fc.property(fc.oneof(anyCbor, fc.uint8Array({ minLength: 3, maxLength: 30 })), (v) => void expectCanonical((x) => decodeText2(x, "n"), encodeText2, v)));
    const thai = encodeText2("จันทร์เพ็ญ ศรีสมบูรณ์");
    expect(thai).toBeInstanceOf(Uint8Array);
    expect((thai as Uint8Array).length).toBeLessThan(25); // 61 bytes of UTF-8
  });

  it("status list URLs: the issuer's own routes as one small integer, other paths under its origin as [path], text otherwise", () => {
    expect(encodeStatusUrl("http://localhost:3000/status/1/revocation", ISSUER, "revocation")).toBe(8 + 1);
    expect(encodeStatusUrl("https://localhost:3000/status/12/suspension", ISSUER, "suspension")).toBe(96);
    expect(encodeStatusUrl("http://localhost:3000/lists/1", ISSUER, "revocation")).toEqual(["lists/1", 1]);
    expect(encodeStatusUrl("https://elsewhere.example/status/1/revocation", ISSUER, "revocation")).toBe("https://elsewhere.example/status/1/revocation");
    expect(encodeStatusUrl("http://localhost:3000/status/01/revocation", ISSUER, "revocation")).toEqual(["status/01/revocation", 1]);
    const urls = fc.oneof(
      fc.tuple(fc.constantFrom("http://", "https://"), fc.constantFrom("status/{n}/revocation", "status/revocation/{n}", "api/status/revocation/{n}", "api/status/{n}/revocation", "x/{n}"), fc.nat(5000)).map(
        ([s, t, n]) => `${s}localhost:3000/${t.replace("{n}", String(n))}`,
      ),
      fc.webUrl(),
    );
    fc.assert(fc.property(urls, (u) => void expect(decodeStatusUrl(encodeStatusUrl(u, ISSUER, "revocation"), ISSUER, "revocation", "u")).toBe(u)));
    fc.assert(fc.property(anyCbor, (v) => void expectCanonical((x) => decodeStatusUrl(x, ISSUER, "revocation", "u"), (u) => encodeStatusUrl(u, ISSUER, "revocation"), v)));
  });

  it("areas: two letters and one to three digits as 3 bytes", () => {
    const areas = fc.tuple(fc.constantFrom("KE", "TZ", "ZZ", "AA"), fc.integer({ min: 1, max: 3 }), fc.nat(999)).map(([c, len, n]) => `${c}-${String(n % 10 ** len).padStart(len, "0")}`);
    fc.assert(fc.property(fc.oneof(areas, fc.string({ maxLength: 10 })), (a) => void expect(decodeArea(encodeArea(a), "a")).toBe(a)));
    fc.assert(fc.property(fc.oneof(anyCbor, fc.uint8Array({ minLength: 3, maxLength: 3 })), (v) => void expectCanonical((x) => decodeArea(x, "a"), encodeArea, v)));
    expect(encodeArea("KE-047")).toHaveLength(3);
    expect(decodeArea(encodeArea("KE-47"), "a")).toBe("KE-47");
  });

  it("in-kind items and units: the common ones in one byte", () => {
    for (const table of ["item", "unit"] as const) {
      fc.assert(fc.property(fc.oneof(fc.constantFrom("Maize flour", "kg", "Rice", "litre"), fc.string({ maxLength: 12 })), (w) => void expect(decodeWord(encodeWord(w, table), table, "w")).toBe(w)));
      fc.assert(fc.property(anyCbor, (v) => void expectCanonical((x) => decodeWord(x, table, "w"), (w) => encodeWord(w, table), v)));
    }
    expect(encodeWord("Maize flour", "item")).toBe(0);
    expect(encodeWord("kg", "unit")).toBe(0);
  });

  it("programme and key references name exactly one known entry", () => {
    const cash = { id: "demo-cash", name: "Cash transfer (demo)" };
    const food = { id: "demo-food", name: "Food basket (demo)" };
    expect(decodeProgrammeRef(programmeRef(cash), [food, cash])).toEqual(cash);
    expect(() => decodeProgrammeRef(programmeRef(cash), [food])).toThrow(UnknownIssuerRef);
    expect(encodeProgrammeRef(cash, [cash, food])).toEqual(programmeRef(cash));
    const kid = `${ISSUER}#key-Qm9vbGVhbkZh`;
    expect(decodeKeyRef(keyRef(kid), ISSUER, [`${ISSUER}#key-other`, kid])).toBe("key-Qm9vbGVhbkZh");
    expect(() => decodeKeyRef(keyRef(kid), "did:web:other.example", [kid])).toThrow(UnknownIssuerRef);
  });
});
