import jsQR from "jsqr";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { pngToY4m } from "./camera";
import { decodeQrFromPng, renderQrPngForCamera } from "./qr-image";

/** The first frame's luma plane of a Y4M video, as RGBA for jsQR. */
function firstFrame(y4m: Buffer): { data: Uint8ClampedArray; width: number; height: number } {
  const header = y4m.subarray(0, y4m.indexOf(0x0a)).toString();
  const width = Number(/ W(\d+)/.exec(header)?.[1]);
  const height = Number(/ H(\d+)/.exec(header)?.[1]);
  const start = y4m.indexOf("FRAME\n") + 6;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = y4m[start + i] ?? 0;
    data.set([v, v, v, 255], i * 4);
  }
  return { data, width, height };
}

/** A QR PNG drawn at a non-integer module size, as a high-DPI screenshot gives. */
function resample(png: Buffer, factor: number): Buffer {
  const src = PNG.sync.read(png);
  const out = new PNG({ width: Math.round(src.width * factor), height: Math.round(src.height * factor) });
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      const i = (Math.floor(y / factor) * src.width + Math.floor(x / factor)) * 4;
      out.data.set(src.data.subarray(i, i + 4), (y * out.width + x) * 4);
    }
  }
  return PNG.sync.write(out);
}

describe("camera files", () => {
  it("turns a QR image into frames a scanner reads back", async () => {
    const text = "HK1:" + "6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEPWK G2EP4J0B".repeat(5);
    const png = await renderQrPngForCamera(text);
    expect(decodeQrFromPng(png)).toBe(text);
    const frame = firstFrame(pngToY4m(png));
    expect([frame.width, frame.height]).toEqual([640, 480]);
    expect(jsQR(frame.data, frame.width, frame.height)?.data).toBe(text);
  });

  it("keeps a screenshot with uneven module sizes readable", async () => {
    const offer = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify({ credential_issuer: "http://localhost:3000", grants: { code: "x".repeat(200) } }))}`;
    const screenshot = resample(await renderQrPngForCamera(offer, { scale: 10 }), 0.63);
    const frame = firstFrame(pngToY4m(screenshot));
    expect(jsQR(frame.data, frame.width, frame.height)?.data).toBe(offer);
  });

  it("finds no QR in a blank image", () => {
    const blank = new PNG({ width: 200, height: 200 });
    blank.data.fill(255);
    expect(decodeQrFromPng(PNG.sync.write(blank))).toBeUndefined();
  });
});
