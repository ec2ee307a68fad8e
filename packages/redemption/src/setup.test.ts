import { describe, expect, it } from "vitest";
import { encodeSetupCode, parseSetupCode, type SetupPayload } from "./setup";

const payload: SetupPayload = {
  issuer: "https://pay.example.org",
  code: "x7Kp2Q9a",
  bundleKey: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
  servicePoint: "sp-12",
};

describe("set-up codes", () => {
  it("round-trips", () => {
    const text = encodeSetupCode(payload);
    expect(text.startsWith("HAKI-SETUP:1:")).toBe(true);
    expect(parseSetupCode(` ${text}\n`)).toEqual(payload);
  });

  it.each([
    ["another system's QR", "https://example.org/pay"],
    ["a damaged code", "HAKI-SETUP:1:%%%"],
    ["a truncated code", encodeSetupCode(payload).slice(0, 30)],
    [
      "missing fields",
      `HAKI-SETUP:1:${Buffer.from(JSON.stringify({ issuer: "https://x.org" })).toString("base64url")}`,
    ],
  ])("refuses %s with ERR_SETUP_CODE_INVALID", (_, text) => {
    expect(() => parseSetupCode(text)).toThrow(
      expect.objectContaining({ code: "ERR_SETUP_CODE_INVALID" }),
    );
  });

  it("refuses to encode a bad payload", () => {
    expect(() => encodeSetupCode({ ...payload, issuer: "not a url" })).toThrow();
  });
});
