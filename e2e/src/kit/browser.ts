/**
 * Debian's Chromium through playwright-core, headless, with background networking off (see
 * environment.md), optionally with a fake camera playing a .y4m file. Chromium reads the file once
 * per launch, so each scanned image needs its own launch; a persistent profile keeps the app's
 * storage (IndexedDB, service worker) from one launch to the next.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const BASE_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The flags that make Chromium's camera play a file (and grant it without asking). */
export function cameraArgs(y4mPath: string): string[] {
  return ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${y4mPath}`];
}

/**
 * A fresh browser (no profile on disk).
 *
 * @example
 * const browser = await launchChromium({ camera: "/tmp/offer.y4m" });
 */
export function launchChromium(options: { camera?: string; args?: string[] } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...BASE_ARGS, ...(options.camera ? cameraArgs(options.camera) : []), ...(options.args ?? [])],
  });
}

export interface PhoneSession {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

/**
 * A phone-sized browser whose storage lives in `profileDir`, so a later launch (with another
 * camera file, or with the server made unreachable by `args`) finds the same app state.
 *
 * @example
 * const phone = await launchPhone("/tmp/verifier-profile", { camera: "/tmp/proof.y4m" });
 * await phone.page.goto("http://localhost:3002/");
 * await phone.close();
 */
export async function launchPhone(
  profileDir: string,
  options: { camera?: string; onPageError?: (message: string) => void; viewport?: { width: number; height: number }; args?: string[] } = {},
): Promise<PhoneSession> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: options.viewport ?? { width: 390, height: 844 },
    deviceScaleFactor: 1,
    args: [...BASE_ARGS, ...(options.camera ? cameraArgs(options.camera) : []), ...(options.args ?? [])],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  if (options.onPageError) page.on("pageerror", (e) => options.onPageError?.(e.message));
  return { context, page, close: () => context.close() };
}
