import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyId, expectCanonical } from "../../test/expect-canonical";
import * as fields from "./fields";

/**
 * The check of one field encoding: every value it carries comes back from its encoding, and
 * anything a code may hold in its place decodes to a value that encodes back to it, or is refused.
 */
function oneToOne<T>(encode: (v: T) => unknown, decode: (x: unknown, what: string) => T, values: fc.Arbitrary<T>, encodings: fc.Arbitrary<unknown>): () => void {
  return () => {
    fc.assert(fc.property(values, (v) => void expect(decode(encode(v), "field")).toBe(v)));
    fc.assert(fc.property(encodings, (x) => void expectCanonical((y) => decode(y, "field"), encode, x)));
  };
}

const currencyCodes = fc.tuple(...[0, 1, 2].map(() => fc.integer({ min: 65, max: 90 }))).map((c) => String.fromCharCode(...c));
const idEncodings = fc.oneof(fc.string(), fc.uint8Array({ maxLength: 40 }), fc.tuple(fc.nat(3), fc.uint8Array({ maxLength: 17 })).map(([k, b]) => [k, b]));

const ENCODINGS = [
  { name: "times", check: oneToOne(fields.encodeSeconds, fields.decodeSeconds, fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: -(2 ** 42), max: 2 ** 42 })) },
  { name: "amounts in whole units and cents", check: oneToOne(fields.encodeAmount, fields.decodeAmount, fc.integer({ min: 1, max: 1e13 }).map((cents) => cents / 100), fc.integer({ min: -5, max: 2e14 })) },
  { name: "currencies: any ISO 4217 code", check: oneToOne(fields.encodeCurrency, fields.decodeCurrency, currencyCodes, fc.integer({ min: -1, max: 24 + 26 ** 3 })) },
  { name: "identifiers: random base64url, UUIDs, text", check: oneToOne(fields.encodeId, fields.decodeId, anyId(48), idEncodings) },
];

describe("compact field encodings are one-to-one", () => {
  it.each(ENCODINGS)("$name", ({ check }) => check());

  it("times: a cycle's dates are small integers", () => {
    expect(fields.encodeSeconds(86400 * 789)).toBe(6312); // 2027-03-01: a small integer
    expect(fields.encodeSeconds(31 * 86400 - 1)).toBe(252); // valid until 23:59:59, 31 days later
    expect(fields.encodeSeconds(0)).toBe(0);
  });

  it("amounts: nothing finer than cents", () => {
    expect(() => fields.encodeAmount(0.001)).toThrow(fields.NotCompactable);
    expect(fields.encodeAmount(4000)).toBe(8000);
  });

  it("currencies: common ones in one byte; identifiers: Haki's one-time ids as bytes", () => {
    expect(fields.encodeCurrency("KES")).toBe(0);
    expect(fields.encodeId("Zm9vYmFyYmF6cXV4")).toBeInstanceOf(Uint8Array); // Haki's 12-byte one-time id
  });
});
