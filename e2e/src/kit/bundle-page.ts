/**
 * A package's browser build on a page: esbuild bundles an entry for the browser platform (a node:
 * import fails the bundle, which is the first check), and a server on 127.0.0.1 (a secure context, so
 * Web Crypto is there) serves it on a page that puts its exports on `window[global]`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./browser";

export interface ServedBundle {
  origin: string;
  /** The name of `window` member the page puts the exports on. */
  global: string;
  /** Bytes of the bundled script. */
  size: number;
  close: () => Promise<void>;
}

/**
 * Bundles `source` (an ES module, imports resolved from `resolveDir`) and serves it.
 *
 * @example
 * const served = await serveBrowserBundle({ source: `export * from "./src/verify.ts";`, resolveDir: pkgDir, global: "claim169" });
 * await page.goto(served.origin); await page.waitForFunction(() => "claim169" in window);
 */
export async function serveBrowserBundle(options: { source: string; resolveDir: string; global: string }): Promise<ServedBundle> {
  const bundle = await build({
    stdin: { contents: options.source, resolveDir: options.resolveDir, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["browser"],
    write: false,
  });
  const js = bundle.outputFiles[0]!.text;
  const page = `<!doctype html><title>${options.global}</title><script type="module">import * as lib from "/bundle.js"; window[${JSON.stringify(options.global)}] = lib;</script>`;
  const server = createServer((req, res) => {
    if (req.url === "/bundle.js") res.writeHead(200, { "content-type": "text/javascript" }).end(js);
    else res.writeHead(200, { "content-type": "text/html" }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    global: options.global,
    size: js.length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Opens the served bundle in a fresh headless Chromium (after `prepare`, e.g. a fixed clock), waits
 * for its exports on `window[global]`, runs `use` on the page and closes the browser.
 *
 * @example
 * const names = await withBundlePage(served, (page) => page.evaluate(() => window.claim169.verifyClaim169(...)));
 */
export async function withBundlePage<T>(served: ServedBundle, use: (page: Page) => Promise<T>, prepare?: (page: Page) => Promise<void>): Promise<T> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await prepare?.(page);
    await page.goto(served.origin);
    await page.waitForFunction((name) => name in window, served.global);
    return await use(page);
  } finally {
    await browser.close();
  }
}

/**
 * In a vitest file: the bundle built and served before the file's tests (within `timeoutMs`) and
 * closed after them; the returned function gives it to a test.
 *
 * @example
 * const served = useServedBundle({ source: `export * from "./src/verify.ts";`, resolveDir: pkgDir, global: "claim169" });
 * it("verifies in Chromium", () => withBundlePage(served(), (page) => page.evaluate(...)));
 */
export function useServedBundle(options: { source: string; resolveDir: string; global: string }, timeoutMs = 60_000): () => ServedBundle {
  let served: ServedBundle | undefined;
  beforeAll(async () => {
    served = await serveBrowserBundle(options);
  }, timeoutMs);
  afterAll(() => served?.close());
  return () => {
    if (!served) throw new Error("The bundle is served from beforeAll: use it inside a test.");
    return served;
  };
}
