/**
 * Reading a QR code from camera pixels (browser or Node): jsQR on RGBA data, then identification.
 * The verifier feeds it video frames drawn on a canvas (Chromium on Linux has no BarcodeDetector).
 */
import jsQR from "jsqr";
import { identifyQr, type IdentifiedQr, type IdentifyQrOptions } from "./identify";

export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/**
 * The text of the first QR code in an RGBA image, or undefined when none is found.
 *
 * @example
 * const frame = ctx.getImageData(0, 0, w, h);
 * const text = scanQrText(frame);
 */
export function scanQrText(image: RgbaImage): string | undefined {
  const data =
    image.data instanceof Uint8ClampedArray
      ? image.data
      : new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const found = jsQR(data, image.width, image.height, { inversionAttempts: "attemptBoth" });
  return found ? found.data : undefined;
}

/**
 * Scans an RGBA image and says what the QR code is (a Haki proof, another issuer's VC-JWT, a
 * PixelPass credential, or unknown). Undefined when no QR code was found in the frame.
 *
 * @example
 * const seen = scanQrImage(ctx.getImageData(0, 0, w, h), { issuers });
 * if (seen?.kind === "haki" && seen.proof) await verifyPresentation(seen.proof.jwt, trust, opts);
 */
export function scanQrImage(image: RgbaImage, options: IdentifyQrOptions = {}): IdentifiedQr | undefined {
  const text = scanQrText(image);
  return text === undefined ? undefined : identifyQr(text, options);
}
