/**
 * Drawing a payload as a QR code, in the browser and in Node: SVG text and canvas. (PNG, Node only:
 * `@haki/qr/render-node`.)
 *
 * Error correction M (15% of the code may be lost): a phone screen with glare or a cracked corner,
 * or a creased paper card, still reads, while the credential stays at version 10 and the
 * presentation at 12, which cheap fixed-focus cameras resolve at arm's length. L would save a
 * version but fails on worn paper; Q costs two to three versions for damage a reprint fixes better.
 */
import QRCode from "qrcode";
import type { EccLevel } from "./version";

export interface RenderQrOptions {
  /** Error-correction level; default "M" (see the module comment). */
  ecc?: EccLevel;
  /** Quiet zone in modules; default 4, what ISO/IEC 18004 asks for and cheap scanners need. */
  margin?: number;
  /** Pixels per module for bitmaps (PNG, canvas); default 8. */
  scale?: number;
  /** Width in pixels (overrides scale). */
  width?: number;
}

/**
 * The qrcode options Haki renders with (shared by the SVG, canvas and PNG renderers).
 *
 * @example
 * qrRenderOptions({ ecc: "Q" }); // { errorCorrectionLevel: "Q", margin: 4, scale: 8, color }
 */
export const qrRenderOptions = (o: RenderQrOptions = {}) => ({
  errorCorrectionLevel: o.ecc ?? "M",
  margin: o.margin ?? 4,
  ...(o.width ? { width: o.width } : { scale: o.scale ?? 8 }),
  color: { dark: "#000000ff", light: "#ffffffff" },
});

/**
 * The QR code of `payload` as SVG text (scales without blur; good for print and for the wallet).
 *
 * @example
 * const svg = await renderQrSvg(encodeProof(vcJwt));
 * element.innerHTML = svg;
 */
export async function renderQrSvg(payload: string, options: RenderQrOptions = {}): Promise<string> {
  return QRCode.toString(payload, { ...qrRenderOptions(options), type: "svg" });
}

/**
 * Draws the QR code of `payload` on a canvas (browser).
 *
 * @example
 * await renderQrToCanvas(document.querySelector("canvas")!, payload, { width: 320 });
 */
export async function renderQrToCanvas(canvas: HTMLCanvasElement, payload: string, options: RenderQrOptions = {}): Promise<void> {
  await QRCode.toCanvas(canvas, payload, qrRenderOptions(options));
}
