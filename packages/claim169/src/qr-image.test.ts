/**
 * A published vector through a real QR image: qrcode renders it to PNG and jsQR (the verifier PWA's
 * decoder) reads the text back from the pixels, then the signature verifies.
 */
import { decodeQrFromPng, renderQrPngForCamera } from "@haki/e2e/qr-image";
import { describe, expect, it } from "vitest";
import { issuerOf, vector } from "./lib/reference-vectors";
import { identityTrustListOf } from "./trust";
import { verifyClaim169 } from "./verify";

describe("Claim 169 vector as a QR image", () => {
  it.each(["ed25519-signed", "ecdsa-p256-signed", "claim169-example"])("%s: PNG -> jsQR -> same text", async (name) => {
    const v = vector(name);
    const read = decodeQrFromPng(await renderQrPngForCamera(v.qr_data, { scale: 4 }));
    expect(read).toBe(v.qr_data);
    if (v.signing_key) {
      const verified = await verifyClaim169(read!, identityTrustListOf(issuerOf(v)), { now: new Date("2025-10-01T00:00:00Z") });
      expect(verified.identity.id).toBe(v.expected_claim169!.id);
    }
  });
});
