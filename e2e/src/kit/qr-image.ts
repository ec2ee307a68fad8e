/**
 * QR codes as images, in Node: render text to a PNG, and read the QR in a PNG (a screenshot, a
 * rendered PDF page) the way a phone camera would, with jsQR.
 */
import jsQR from "jsqr";
import { PNG } from "pngjs";
import QRCode from "qrcode";

/**
 * Reads the QR code in a PNG image; undefined when there is none to read.
 *
 * @example
 * const text = decodeQrFromPng(await page.locator("[data-testid=proof-qr]").screenshot());
 */
export function decodeQrFromPng(png: Buffer): string | undefined {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height)?.data;
}

/**
 * A PNG of a QR code for `text` (error correction M, 4-module quiet zone), as a card or a screen
 * would show it.
 *
 * @example
 * const png = await renderQrPngForCamera("HK1:...");
 */
export async function renderQrPngForCamera(text: string, options: { scale?: number } = {}): Promise<Buffer> {
  return QRCode.toBuffer(text, { errorCorrectionLevel: "M", margin: 4, scale: options.scale ?? 5, type: "png" });
}
