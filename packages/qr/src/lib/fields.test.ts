import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyId, expectCanonical } from "../../test/expect-canonical";
import {
  NotCompactable,
  decodeAmount,
  decodeCurrency,
  decodeId,
  decodeSeconds,
  encodeAmount,
  encodeCurrency,
  encodeId,
  encodeSeconds,
} from "./fields";

describe("compact field encodings are one-to-one", () => {
  it("times: round trip, and every integer decodes canonically or is refused", () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (v) => void expect(decodeSeconds(encodeSeconds(v), "t")).toBe(v)));
    fc.assert(fc.property(fc.integer({ min: -(2 ** 42), max: 2 ** 42 }), (t) => void expectCanonical((x) => decodeSeconds(x, "t"), encodeSeconds, t)));
    expect(encodeSeconds(86400 * 789)).toBe(6312); // 2027-03-01: a small integer
    expect(encodeSeconds(31 * 86400 - 1)).toBe(252); // valid until 23:59:59, 31 days later
    expect(encodeSeconds(0)).toBe(0);
  });

  it("amounts: whole units and cents, nothing else", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e13 }), (cents) => void expect(decodeAmount(encodeAmount(cents / 100), "a")).toBe(cents / 100)));
    fc.assert(fc.property(fc.integer({ min: -5, max: 2e14 }), (n) => void expectCanonical((x) => decodeAmount(x, "a"), encodeAmount, n)));
    expect(() => encodeAmount(0.001)).toThrow(NotCompactable);
    expect(encodeAmount(4000)).toBe(8000);
  });

  it("currencies: common ones in one byte, any ISO 4217 code otherwise", () => {
    const code = fc.tuple(...[0, 1, 2].map(() => fc.integer({ min: 65, max: 90 }))).map((c) => String.fromCharCode(...c));
    fc.assert(fc.property(code, (c) => void expect(decodeCurrency(encodeCurrency(c), "c")).toBe(c)));
    fc.assert(fc.property(fc.integer({ min: -1, max: 24 + 26 ** 3 }), (n) => void expectCanonical((x) => decodeCurrency(x, "c"), encodeCurrency, n)));
    expect(encodeCurrency("KES")).toBe(0);
  });

  it("identifiers: random base64url as bytes, UUIDs as 16 bytes, text otherwise", () => {
    const ids = anyId(48);
    fc.assert(fc.property(ids, (id) => void expect(decodeId(encodeId(id), "id")).toBe(id)));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 40 }), fc.tuple(fc.nat(3), fc.uint8Array({ maxLength: 17 })).map(([k, b]) => [k, b])), (v) =>
        void expectCanonical((x) => decodeId(x, "id"), encodeId, v),
      ),
    );
    expect(encodeId("Zm9vYmFyYmF6cXV4")).toBeInstanceOf(Uint8Array); // Haki's 12-byte one-time id
  });
});
