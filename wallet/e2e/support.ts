/**
 * Browser test helpers: a static server for the built wallet (one per test, on 127.0.0.1 and a free
 * port, so a test can stop it to cut the network), Chromium, camera files and QR reading from the
 * shared kit (@haki/e2e), and the few gestures every test repeats.
 */
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { launchChromium as launchKitChromium } from "@haki/e2e/browser";

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

/** Debian's Chromium, headless (the shared kit in @haki/e2e); extra flags such as the fake camera. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return launchKitChromium({ args: extraArgs });
}

/** Types a PIN on the on-screen pad and presses the OK key. */
export async function typePin(page: Page, pin: string): Promise<void> {
  for (const d of pin) await page.click(`[data-key="${d}"]`);
  await page.click('[data-key="ok"]');
}

/** Locks the wallet and picks `name` among the household's profiles; ends on the PIN pad. */
export async function lockAndPick(page: Page, name: string): Promise<void> {
  await page.click('[data-testid="lock"]');
  await page.click(`[data-profile="${name}"]`);
}

/** Types a wrong PIN and waits for the message saying so (holding `text`, such as the tries left, when given). */
export async function typeWrongPin(page: Page, pin: string, text?: string): Promise<void> {
  await typePin(page, pin);
  await page.waitForSelector(text === undefined ? '[data-testid="pin-error"]' : `[data-testid="pin-error"]:has-text("${text}")`);
}

/** First run: name, PIN, same PIN again; ends on the (empty) card list. */
export async function createProfile(page: Page, name: string, pin: string): Promise<void> {
  // The welcome screen's one primary button ("Add a person", in any language).
  await page.click("main button.big.primary");
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

// Reading a QR from a screenshot and writing camera files: the shared kit.
export { decodeQrFromPng } from "@haki/e2e/qr-image";
export { writeQrAsY4m as writeQrY4m } from "@haki/e2e/camera";
