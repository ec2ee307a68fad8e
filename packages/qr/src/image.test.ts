/**
 * A real image round trip: payload -> PNG (qrcode) -> pixels (pngjs) -> text (jsQR, and ZXing as a
 * second, independent decoder) -> decodeProof -> signatures verified.
 */
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from "@zxing/library";
import { PNG } from "pngjs";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeProof, encodeProof } from "./codec";
import { demoSetups, makeKey, signDemoPresentation, signEntitlement, type DemoKey, type DemoSetup } from "./lib/demo";
import { trustListFor, verifiesWithHaki, verifiesWithJose } from "./lib/testing";
import { renderQrSvg } from "./render";
import { renderQrPng } from "./render-node";
import { scanQrImage, scanQrText } from "./scan";
import { qrVersionFor } from "./version";
import jsQR from "jsqr";

const NOW = new Date("2027-03-04T10:00:00Z");
let holder: DemoKey;
let setups: DemoSetup[];

beforeAll(async () => {
  holder = await makeKey();
  setups = await demoSetups(holder);
});

function zxingRead(png: PNG): string {
  const luminance = new Uint8ClampedArray(png.width * png.height);
  for (let i = 0; i < luminance.length; i++) luminance[i] = png.data[i * 4]!; // black and white image
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, png.width, png.height)));
  // PURE_BARCODE: the image is a rendered code, not a photo; ZXing's photo detector sometimes misreads
  // the version blocks of a perfect render, its pure-barcode path reads the modules directly.
  return new QRCodeReader().decode(bitmap, new Map([[DecodeHintType.PURE_BARCODE, true]])).getText();
}

describe("PNG round trip through real QR decoders", () => {
  it("credential and presentation, both issuer profiles", async () => {
    const trust = await trustListFor(setups.map((s) => s.issuer));
    for (const s of setups) {
      const vc = await signEntitlement(s.input, s.issuer);
      const vp = await signDemoPresentation(vc, holder);
      for (const [jwt, issuers] of [[vc, undefined], [vp, undefined], [vp, [s.issuer.did]]] as const) {
        const payload = encodeProof(jwt, { issuers });
        const png = PNG.sync.read(Buffer.from(await renderQrPng(payload, { scale: 4 })));
        const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
        expect(found?.data).toBe(payload);
        expect(found?.version).toBe(qrVersionFor(payload, "M"));
        expect(zxingRead(png)).toBe(payload);
        const seen = scanQrImage({ data: png.data, width: png.width, height: png.height }, { issuers });
        expect(seen?.kind).toBe("haki");
        const decoded = decodeProof(found!.data, { issuers });
        expect(decoded.jwt).toBe(jwt);
        expect(await verifiesWithHaki(decoded.kind, decoded.jwt, trust, NOW)).toBe(true);
        expect(await verifiesWithJose(decoded.credentialJwt ?? decoded.jwt, s.issuer)).toBe(true);
      }
    }
  });

  it("finds nothing in a blank image, and renders SVG", async () => {
    expect(scanQrText({ data: new Uint8Array(64 * 64 * 4).fill(255), width: 64, height: 64 })).toBeUndefined();
    const svg = await renderQrSvg("HK1:ABC");
    expect(svg).toMatch(/^<svg[^>]*viewBox/);
  });
});

describe("qrVersionFor", () => {
  // ISO/IEC 18004 table 7: 10-M holds 216 data codewords, 12-M 290; minus the alphanumeric mode
  // indicator and 11-bit count, 11 bits per 2 characters: 311 and 419 characters.
  it("gives the alphanumeric capacity limits of versions 10-M and 12-M", () => {
    expect(qrVersionFor("A".repeat(311), "M")).toBe(10);
    expect(qrVersionFor("A".repeat(312), "M")).toBe(11);
    expect(qrVersionFor("A".repeat(419), "M")).toBe(12);
    expect(qrVersionFor("A".repeat(420), "M")).toBe(13);
    expect(qrVersionFor("A".repeat(311), "Q")).toBe(13);
    expect(qrVersionFor("a".repeat(5000), "M")).toBeUndefined();
  });
});
