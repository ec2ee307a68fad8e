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
 * Writes `png` as a 10-frame Y4M video, scaled (never up beyond 4x) to fit 600x440.
 *
 * @example
 * writePngAsY4m(await page.screenshot(), "/tmp/screen.y4m");
 */
export function writePngAsY4m(png: Buffer, y4mPath: string): void {
  writeFileSync(y4mPath, pngToY4m(png));
}

/**
 * The Y4M bytes for `png`: box-filtered (each camera pixel averages the image pixels it covers,
 * as a lens and sensor would) rather than nearest-neighbour, which turns a screenshot's
 * 5-pixel modules into uneven 3- and 4-pixel ones that no scanner reads.
 *
 * @example
 * const video = pngToY4m(readFileSync("qr.png"));
 */
export function pngToY4m(png: Buffer): Buffer {
  const img = PNG.sync.read(png);
  const lumaIn = new Float32Array(img.width * img.height);
  for (let i = 0; i < lumaIn.length; i++) {
    const a = (img.data[i * 4 + 3] ?? 255) / 255;
    // BT.601 luma over a white background.
    const v = 0.299 * (img.data[i * 4] ?? 0) + 0.587 * (img.data[i * 4 + 1] ?? 0) + 0.114 * (img.data[i * 4 + 2] ?? 0);
    lumaIn[i] = v * a + 255 * (1 - a);
  }
  const scale = Math.min(600 / img.width, 440 / img.height, 4);
  const w = Math.max(1, Math.floor(img.width * scale));
  const h = Math.max(1, Math.floor(img.height * scale));
  const x0 = Math.floor((W - w) / 2);
  const y0 = Math.floor((H - h) / 2);
  const luma = Buffer.alloc(W * H, 255);
  for (let y = 0; y < h; y++) {
    const sy0 = y / scale;
    const sy1 = Math.min(img.height, (y + 1) / scale);
    for (let x = 0; x < w; x++) {
      const sx0 = x / scale;
      const sx1 = Math.min(img.width, (x + 1) / scale);
      let sum = 0;
      let area = 0;
      for (let sy = Math.floor(sy0); sy < sy1; sy++) {
        const wy = Math.min(sy + 1, sy1) - Math.max(sy, sy0);
        for (let sx = Math.floor(sx0); sx < sx1; sx++) {
          const wx = Math.min(sx + 1, sx1) - Math.max(sx, sx0);
          sum += (lumaIn[sy * img.width + sx] ?? 255) * wx * wy;
          area += wx * wy;
        }
      }
      luma[(y0 + y) * W + x0 + x] = Math.round(area > 0 ? sum / area : 255);
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array<Buffer>(10).fill(frame)]);
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

/**
 * Writes a camera video of an empty white page (no code in view: the scan screen stays open).
 *
 * @example
 * writeBlankY4m("/tmp/nothing.y4m");
 */
export function writeBlankY4m(y4mPath: string): void {
  const png = new PNG({ width: 64, height: 48 });
  png.data.fill(255);
  writePngAsY4m(PNG.sync.write(png), y4mPath);
}

/**
 * Writes a camera video that shows several QR codes one after the other (`framesEach` frames of
 * each at 10 frames a second, looping): a counter where the person holds up one card, then another.
 *
 * @example
 * await writeQrSequenceAsY4m([paperCardQr, idCardQr], "/tmp/card-then-id.y4m");
 */
export async function writeQrSequenceAsY4m(texts: readonly string[], y4mPath: string, framesEach = 10): Promise<void> {
  const parts: Buffer[] = [];
  let header: Buffer | undefined;
  for (const text of texts) {
    const video = pngToY4m(await renderQrPngForCamera(text));
    const end = video.indexOf(0x0a) + 1;
    header ??= video.subarray(0, end);
    const frame = video.subarray(end, end + (video.length - end) / 10);
    for (let i = 0; i < framesEach; i++) parts.push(frame);
  }
  if (!header) throw new Error("no QR code to film");
  writeFileSync(y4mPath, Buffer.concat([header, ...parts]));
}
