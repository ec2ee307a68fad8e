import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { USAGE_ERROR_CODES, VERIFICATION_ERROR_CODES, createError } from "@haki/credentials/errors";
import { HakiQrError } from "@haki/qr/errors";
import { FORMAT_CODES, REDEMPTION_CODES, REJECTION_CODES, RedemptionError } from "@haki/redemption/codes";
import { RegistryError } from "@haki/registry/connector";
import { MissingGlyphError } from "@haki/paper-card/errors";
import { StatusListSignatureError } from "@haki/status-list/errors";
import { IssuanceError } from "@haki/openid4vci/errors";
import { API_ERROR_CODES, ApiError, errorCodeToHttpStatus, knownErrorCode, type ErrorCode } from "./errors";
import { errorResponse, readJson, withApi } from "./route";

const answer = async (e: unknown) => {
  const res = errorResponse(e);
  return { status: res.status, error: ((await res.json()) as { error: { code: string; message: string; details?: unknown } }).error };
};

describe("errorResponse: one status per code", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers package errors that are the caller's fault with their own code and words, not 500", async () => {
    expect(await answer(new HakiQrError("ERR_QR_CORRUPT", "This QR code is damaged."))).toEqual({
      status: 400,
      error: { code: "ERR_QR_CORRUPT", message: "This QR code is damaged." },
    });
    expect((await answer(new RedemptionError("ERR_STATUS_LIST_INVALID", "bad list"))).status).toBe(400);
    expect((await answer(new RedemptionError("ERR_RECEIPT_UNKNOWN_DEVICE", "who?"))).status).toBe(403);
    expect((await answer(createError("ERR_MALFORMED"))).status).toBe(400);
    expect((await answer(new MissingGlyphError("\u{1F600}"))).error.code).toBe("ERR_GLYPH_MISSING");
    expect((await answer(new MissingGlyphError("\u{1F600}"))).status).toBe(422);
  });

  it("answers a registry that cannot be reached as a gateway failure", async () => {
    expect(await answer(new RegistryError("ERR_REGISTRY_UNREACHABLE", "The registry cannot be reached."))).toMatchObject({
      status: 502,
      error: { code: "ERR_REGISTRY_UNREACHABLE" },
    });
    expect((await answer(new RegistryError("ERR_REGISTRY_TIMEOUT", "slow"))).status).toBe(504);
  });

  it("answers the issuer's own failures as ERR_INTERNAL without their details, and logs them", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    for (const e of [new StatusListSignatureError(), new IssuanceError("ERR_ISSUANCE_FAILED"), Object.assign(new Error("db"), { code: "P2002" }), new Error("boom"), "thrown text"]) {
      const { status, error } = await answer(e);
      expect(status).toBe(500);
      expect(error.code).toBe("ERR_INTERNAL");
      expect(error.message).not.toMatch(/signed|db|boom|thrown/);
    }
    expect(log).toHaveBeenCalledTimes(5);
  });

  it("answers validation errors 400 with the paths, and ApiErrors as thrown", async () => {
    const zodError = (() => {
      try {
        z.object({ reason: z.string() }).parse({});
      } catch (e) {
        return e;
      }
    })();
    const bad = await answer(zodError);
    expect(bad).toMatchObject({ status: 400, error: { code: "ERR_BAD_REQUEST", details: [{ path: "reason" }] } });
    expect(await answer(new ApiError("ERR_NOT_FOUND", "No such cycle.", { details: { id: "x" } }))).toEqual({
      status: 404,
      error: { code: "ERR_NOT_FOUND", message: "No such cycle.", details: { id: "x" } },
    });
  });

  it("has a status for every code the packages list at run time", () => {
    const listed = [...API_ERROR_CODES, ...VERIFICATION_ERROR_CODES, ...USAGE_ERROR_CODES, ...REJECTION_CODES, ...REDEMPTION_CODES, ...FORMAT_CODES];
    for (const code of listed) expect(errorCodeToHttpStatus[code], code).toBeGreaterThanOrEqual(400);
    expect(knownErrorCode({ code: "ERR_QR_CORRUPT" })).toBe("ERR_QR_CORRUPT");
    expect(knownErrorCode({ code: "toString" })).toBeNull();
    expect(knownErrorCode(null)).toBeNull();
  });

  it("does not compile with a code left out or a code no package has", () => {
    const { ERR_QR_CORRUPT: _left, ...withoutOne } = errorCodeToHttpStatus;
    // @ts-expect-error every ErrorCode needs a status
    const missing: Record<ErrorCode, number> = withoutOne;
    // @ts-expect-error only codes of the issuer and its packages have a status
    const unknown: Record<ErrorCode, number> = { ...errorCodeToHttpStatus, ERR_NOT_A_CODE: 400 };
    expect(Object.keys(missing).length + 1).toBe(Object.keys(unknown).length - 1);
  });
});

describe("withApi", () => {
  it("adds the CORS headers to every answer of a cors route, errors included", async () => {
    const route = withApi(async () => {
      throw new ApiError("ERR_FORBIDDEN", "no");
    }, { cors: true });
    const res = await route(new Request("https://issuer.haki.test/api/verifier/enrol", { method: "POST" }), { params: Promise.resolve({}) });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const plain = withApi(async () => Response.json({}));
    const ok = await plain(new Request("https://issuer.haki.test/api/health"), { params: Promise.resolve({}) });
    expect(ok.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("readJson", () => {
  it("bounds an anonymous JSON body: refuses past the limit while streaming, or at once by its declared length", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode(`"${"x".repeat(64 * 1024)}",`));
      },
    });
    const streamed = new Request("https://issuer.haki.test/api/verifier/receipts", { method: "POST", headers: { "content-type": "application/json" }, body: endless, duplex: "half" } as RequestInit);
    await expect(readJson(streamed, z.unknown(), 1_000_000)).rejects.toMatchObject({ code: "ERR_PAYLOAD_TOO_LARGE" });
    // It stopped reading just past the limit instead of holding the whole body.
    expect(pulled).toBeLessThan(20);
    const declared = new Request("https://issuer.haki.test/x", { method: "POST", headers: { "content-type": "application/json", "content-length": "5000000" }, body: "{}" });
    await expect(readJson(declared, z.unknown())).rejects.toMatchObject({ code: "ERR_PAYLOAD_TOO_LARGE" });
    const fine = new Request("https://issuer.haki.test/x", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":"é"}' });
    expect(await readJson(fine, z.object({ a: z.string() }))).toEqual({ a: "é" });
  });
});
