/** PNG rendering (Node only: qrcode's PNG writer needs Node streams). */
import QRCode from "qrcode";
import { qrRenderOptions, type RenderQrOptions } from "./render";

/**
 * The QR code of `payload` as PNG bytes (Node), e.g. for a printed card or an e-mail.
 *
 * @example
 * await writeFile("card.png", await renderQrPng(encodeProof(vcJwt), { scale: 6 }));
 */
export async function renderQrPng(payload: string, options: RenderQrOptions = {}): Promise<Uint8Array> {
  const buffer = await QRCode.toBuffer(payload, { ...qrRenderOptions(options), type: "png" });
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
