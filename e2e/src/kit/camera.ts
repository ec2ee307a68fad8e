/**
 * Files for Chromium's fake camera (--use-file-for-fake-video-capture): any PNG (a QR code, a
 * screenshot of a phone, a crop of a printed card) becomes a short Y4M video, centred on white at
 * 640x480. Y4M is raw frames, so this needs no ffmpeg: pngjs reads the image and the luma plane is
 * written by hand (grey chroma: the scanners only look at brightness).
 */
import { writeFileSync } from "node:fs";
import { PNG } from "pngjs";
import { renderQrPngForCamera } from "./qr-image";

const W = 640;
const H = 480;

/**
 * Writes `png` as a 10-frame Y4M video, scaled down (never up beyond 4x) to fit 600x440.
 *
 * @example
 * writePngAsY4m(await page.screenshot(), "/tmp/screen.y4m");
 */
export function writePngAsY4m(png: Buffer, y4mPath: string): void {
  const img = PNG.sync.read(png);
  const scale = Math.min(600 / img.width, 440 / img.height, 4);
  const w = Math.max(1, Math.floor(img.width * scale));
  const h = Math.max(1, Math.floor(img.height * scale));
  const x0 = Math.floor((W - w) / 2);
  const y0 = Math.floor((H - h) / 2);
  const luma = Buffer.alloc(W * H, 255);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1, Math.floor(y / scale));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1, Math.floor(x / scale));
      const i = (sy * img.width + sx) * 4;
      const a = (img.data[i + 3] ?? 255) / 255;
      // BT.601 luma over a white background.
      const v = 0.299 * (img.data[i] ?? 0) + 0.587 * (img.data[i + 1] ?? 0) + 0.114 * (img.data[i + 2] ?? 0);
      luma[(y0 + y) * W + x0 + x] = Math.round(v * a + 255 * (1 - a));
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  writeFileSync(y4mPath, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array<Buffer>(10).fill(frame)]));
}

/**
 * Writes a QR code of `text` as a Y4M video for the fake camera.
 *
 * @example
 * await writeQrAsY4m(offerUri, "/tmp/offer.y4m");
 */
export async function writeQrAsY4m(text: string, y4mPath: string): Promise<void> {
  writePngAsY4m(await renderQrPngForCamera(text), y4mPath);
}
