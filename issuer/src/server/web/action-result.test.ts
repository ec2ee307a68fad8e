import { afterEach, describe, expect, it, vi } from "vitest";
import { HakiQrError } from "@haki/qr/errors";
import { ApiError } from "@/server/api/errors";
import type { SessionInfo } from "@/server/auth/sessions";
import { actionResult } from "./action-result";
import { checkCsrf } from "./csrf";

describe("actionResult: what a console widget gets back", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers the value, or the failure with its code and plain words", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined); // the QR code too large is the issuer's own failure
    expect(await actionResult(async () => ({ setupCode: "HAKI-SETUP:x" }))).toEqual({ ok: true, value: { setupCode: "HAKI-SETUP:x" } });
    expect(await actionResult(async () => Promise.reject(new ApiError("ERR_FOUR_EYES", "Another approver must approve it.")))).toEqual({
      ok: false,
      code: "ERR_FOUR_EYES",
      message: "Another approver must approve it.",
    });
    expect(await actionResult(async () => Promise.reject(new HakiQrError("ERR_QR_TOO_LARGE", "too large")))).toMatchObject({ ok: false, code: "ERR_INTERNAL" });
  });

  it("logs an unexpected failure and answers it in plain words without the details", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const r = await actionResult(async () => Promise.reject(new Error("connection refused to 10.0.0.7")));
    expect(r).toEqual({ ok: false, code: "ERR_INTERNAL", message: expect.not.stringContaining("10.0.0.7") });
    expect(log).toHaveBeenCalledOnce();
  });
});

describe("checkCsrf", () => {
  const session = { csrfToken: "token-of-this-session" } as SessionInfo;
  it("accepts the session's token from a form field or as the token itself, and nothing else", () => {
    const form = new FormData();
    form.set("csrf", "token-of-this-session");
    expect(() => checkCsrf(form, session)).not.toThrow();
    expect(() => checkCsrf("token-of-this-session", session)).not.toThrow();
    for (const bad of ["token-of-another-session", "", new FormData()]) {
      expect(() => checkCsrf(bad, session)).toThrow(expect.objectContaining({ code: "ERR_CSRF" }));
    }
  });
});
