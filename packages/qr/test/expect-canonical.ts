/** Shared by the field encoding tests of both payload formats. */
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
