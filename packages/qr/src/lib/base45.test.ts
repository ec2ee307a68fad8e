import fc from "fast-check";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { Base45Error, decodeBase45, encodeBase45 } from "./base45";

const require = createRequire(import.meta.url);
const reference = require("base45") as { encode(b: Uint8Array): string; decode(s: string): Uint8Array };
const text = (s: string) => new TextEncoder().encode(s);
const problem = (s: string) => {
  try {
    decodeBase45(s);
    return "none";
  } catch (e) {
    return e instanceof Base45Error ? e.problem : "other";
  }
};

describe("base45 (RFC 9285)", () => {
  it("matches the RFC's examples", () => {
    expect(encodeBase45(text("AB"))).toBe("BB8");
    expect(encodeBase45(text("Hello!!"))).toBe("%69 VD92EX0");
    expect(encodeBase45(text("base-45"))).toBe("UJCLQE7W581");
    expect(new TextDecoder().decode(decodeBase45("QED8WEX0"))).toBe("ietf!");
  });

  it("agrees with the base45 npm package and round-trips any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const s = encodeBase45(bytes);
        expect(s).toBe(reference.encode(bytes));
        expect(decodeBase45(s)).toEqual(bytes);
      }),
    );
  });

  it("never ends with a space, so a scanner's trim() cannot cut a payload", () => {
    // The last character is the high digit of a 16-bit chunk (at most 32, "W") or of a single byte
    // (at most 5); the space is digit 36.
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => void expect(encodeBase45(bytes)).not.toMatch(/ $/)));
    expect(encodeBase45(Uint8Array.of(0xff, 0xff))).toBe("FGW");
  });

  it("refuses what RFC 9285 says a decoder must refuse", () => {
    expect(problem("A")).toBe("length");
    expect(problem("GGW")).toBe("overflow"); // 65536
    expect(problem(":::")).toBe("overflow");
    expect(problem("::")).toBe("overflow"); // 2024 > 255
    expect(problem("ab")).toBe("character");
    expect(problem("A\u00c9B")).toBe("character");
    expect(problem("FGW")).toBe("none"); // 65535
  });
});
