import { describe, expect, it } from "vitest";
import { codeOf } from "./code-of";

class CodedError extends Error {
  constructor(readonly code: string) {
    super(`failed: ${code}`);
  }
}
class OtherCodedError extends Error {
  readonly code = "ERR_OTHER";
}

describe("codeOf", () => {
  it("gives the code of a sync throw, undefined when the call returns", () => {
    expect(
      codeOf(() => {
        throw new CodedError("ERR_SYNC");
      }),
    ).toBe("ERR_SYNC");
    expect(codeOf(() => 42)).toBeUndefined();
  });

  it("gives the code of a rejected promise or async function, undefined when it resolves", async () => {
    expect(await codeOf(Promise.reject(new CodedError("ERR_ASYNC")))).toBe("ERR_ASYNC");
    expect(await codeOf(async () => Promise.reject(new CodedError("ERR_FN")))).toBe("ERR_FN");
    expect(await codeOf(Promise.resolve(1))).toBeUndefined();
  });

  it("throws again an error without a code, or of another class than the one asked for", async () => {
    const plain = new Error("no code");
    expect(() =>
      codeOf(() => {
        throw plain;
      }),
    ).toThrow(plain);
    await expect(codeOf(Promise.reject(plain))).rejects.toBe(plain);
    const other = new OtherCodedError();
    expect(() =>
      codeOf(() => {
        throw other;
      }, CodedError),
    ).toThrow(other);
    expect(
      codeOf(() => {
        throw new CodedError("ERR_MINE");
      }, CodedError),
    ).toBe("ERR_MINE");
  });
});
