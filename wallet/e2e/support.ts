/**
 * Browser test helpers: a static server for the built wallet (one per test, on 127.0.0.1 and a free
 * port, so a test can stop it to cut the network), Chromium from Debian through playwright-core,
 * and the few gestures every test repeats.
 */
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const DIST = fileURLToPath(new URL("../dist/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
};

export interface Served {
  url: string;
  close: () => Promise<void>;
}

/** Serves dist/ like a static host with an SPA fallback (any unknown path gets index.html). */
export async function serveDist(dir = DIST, port = 0, options: { swSuffix?: string } = {}): Promise<Served> {
  if (!existsSync(join(dir, "index.html"))) throw new Error(`${dir} has no build: run the wallet build first`);
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = join(dir, "index.html");
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": file.endsWith("sw.js") || file.endsWith(".html") ? "no-cache" : "max-age=31536000, immutable",
    });
    if (options.swSuffix && file.endsWith("sw.js")) {
      // A "new version" of the app: same shell, different service worker bytes.
      res.end(readFileSync(file, "utf8") + options.swSuffix);
      return;
    }
    createReadStream(file).pipe(res);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((r) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  };
}

/** Debian's Chromium, headless, with background networking off (see environment.md). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...extraArgs,
    ],
  });
}

/** Types a PIN on the on-screen pad and presses the OK key. */
export async function typePin(page: Page, pin: string): Promise<void> {
  for (const d of pin) await page.click(`[data-key="${d}"]`);
  await page.click('[data-key="ok"]');
}

/** First run: name, PIN, same PIN again; ends on the (empty) card list. */
export async function createProfile(page: Page, name: string, pin: string): Promise<void> {
  await page.click("button.big.primary:has-text('Add a person')");
  await page.fill('input[name="label"]', name);
  await page.click('button[type="submit"]');
  await typePin(page, pin);
  await page.waitForSelector(".pin-dots[data-count='0']");
  await typePin(page, pin);
  await page.waitForSelector("nav.bottom", { timeout: 30_000 });
}

/** Waits until a service worker controls the page (after the first visit). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    return reg.active?.state === "activated" && navigator.serviceWorker.controller !== null;
  }, undefined, { timeout: 30_000 });
}

/** Reads the QR code in a PNG screenshot, as a phone camera at the counter would. */
export async function decodeQrFromPng(png: Buffer): Promise<string | undefined> {
  const { PNG } = await import("pngjs");
  const { default: jsQR } = await import("jsqr");
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height)?.data;
}

/**
 * Writes a QR code as a short Y4M video for Chromium's fake camera
 * (--use-file-for-fake-video-capture). Y4M is raw frames, so no ffmpeg is needed: black modules on
 * white, grey chroma, 640x480, 10 frames.
 */
export async function writeQrY4m(text: string, path: string): Promise<void> {
  const { create } = await import("qrcode");
  const { writeFileSync } = await import("node:fs");
  const qr = create(text, { errorCorrectionLevel: "L" });
  const n = qr.modules.size + 8; // 4-module quiet zone each side
  const W = 640;
  const H = 480;
  const scale = Math.floor(440 / n);
  const x0 = Math.floor((W - n * scale) / 2);
  const y0 = Math.floor((H - n * scale) / 2);
  const y = Buffer.alloc(W * H, 255);
  for (let r = 0; r < qr.modules.size; r++) {
    for (let c = 0; c < qr.modules.size; c++) {
      if (!qr.modules.get(c, r)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = (y0 + (r + 4) * scale + dy) * W;
        y.fill(0, row + x0 + (c + 4) * scale, row + x0 + (c + 5) * scale);
      }
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), y, chroma]);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array(10).fill(frame)]));
}
