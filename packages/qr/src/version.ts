/**
 * QR version (size) a payload needs. Uses the same encoder as the renderer (qrcode, with its
 * optimal split into numeric / alphanumeric segments), so the figure is the size really drawn.
 */
import QRCode from "qrcode";

export type EccLevel = "L" | "M" | "Q" | "H";

/**
 * The QR version (1-40) `payload` needs at error-correction level `ecc`; undefined when it does
 * not fit in any QR code at that level.
 *
 * @example
 * qrVersionFor(encodeProof(vcJwt), "M"); // 10
 */
export function qrVersionFor(payload: string, ecc: EccLevel = "M"): number | undefined {
  try {
    return QRCode.create(payload, { errorCorrectionLevel: ecc }).version;
  } catch {
    return undefined;
  }
}
