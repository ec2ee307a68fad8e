/** Shared by the field encoding tests of both payload formats. */
import fc from "fast-check";
import { expect } from "vitest";
import { FieldError, NotCompactable, UnknownIssuerRef } from "../src/lib/fields";

/** A decoder either refuses a value (with a field error) or returns one its encoder maps back to that very value. */
export function expectCanonical<T>(decode: (v: unknown) => T, encode: (x: T) => unknown, v: unknown): void {
  let x: T;
  try {
    x = decode(v);
  } catch (e) {
    expect(e instanceof FieldError || e instanceof NotCompactable || e instanceof UnknownIssuerRef).toBe(true);
    return;
  }
  expect(encode(x)).toEqual(v);
}

/** Identifiers as issuers write them: urn:uuid, bare UUIDs, random base64url ids (6 to `maxRandomBytes` bytes) and any text. */
export function anyId(maxRandomBytes: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.uuid().map((u) => `urn:uuid:${u}`),
    fc.uuid(),
    fc.uint8Array({ minLength: 6, maxLength: maxRandomBytes }).map((b) => Buffer.from(b).toString("base64url")),
    fc.string({ minLength: 1, maxLength: 40 }),
  );
}
