import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createProfile, launchChromium, lockAndPick, serveDist, typePin, typeWrongPin, waitForServiceWorker, type Served } from "./support";

let browser: Browser;
let served: Served;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  served = await serveDist();
  context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
  await served?.close();
});

describe("wallet in Chromium", () => {
  it("is an installable PWA: manifest with PNG icons, service worker controlling the page", async () => {
    await page.goto(served.url);
    const manifest = (await (await page.request.get(`${served.url}manifest.webmanifest`)).json()) as {
      display: string;
      icons: { sizes: string; type: string }[];
    };
    expect(manifest.display).toBe("standalone");
    expect(manifest.icons.some((i) => i.sizes === "192x192" && i.type === "image/png")).toBe(true);
    expect(manifest.icons.some((i) => i.sizes === "512x512" && i.type === "image/png")).toBe(true);
    await waitForServiceWorker(page);
  });

  it("offers an update and waits for the tap: a new version never takes over by itself", async () => {
    await page.goto(served.url);
    await waitForServiceWorker(page);
    const port = Number(new URL(served.url).port);
    await served.close();
    served = await serveDist(undefined, port, { swSuffix: "\n// next version\n" });
    await page.reload();
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await page.waitForSelector(".update", { timeout: 30_000 });
    await page.waitForTimeout(1500);
    // Still the same page and the old worker in charge: the new one waits.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(true);
    await Promise.all([page.waitForEvent("load"), page.click(".update button")]);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.waiting === null);
    expect(await page.isVisible(".update")).toBe(false);
  });

  it("first run: chooses a PIN, stores nothing readable, and asks for the PIN after a reload", async () => {
    await page.goto(served.url);
    await createProfile(page, "Amina", "482913");
    await page.locator("main").getByText("You have no cards yet.").first().waitFor();
    const dump = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open("haki-wallet");
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const all = (store: string) =>
        new Promise<unknown[]>((res) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => res(r.result as unknown[]);
        });
      return JSON.stringify([await all("profiles"), await all("records")]);
    });
    expect(dump).not.toContain("482913");
    expect(dump).not.toContain("\"d\":"); // no private JWK in clear
    await page.reload();
    await page.waitForSelector(".pin");
    await typePin(page, "482913");
    await page.waitForSelector("nav.bottom");
  });

  it("keeps household profiles apart: each opens only with its own PIN", async () => {
    await page.goto(served.url);
    await createProfile(page, "Amina", "482913");
    await page.click('[data-testid="lock"]');
    await createProfile(page, "Baraka", "905172");
    await expect(page.textContent("nav.bottom")).resolves.toContain("Baraka");
    await lockAndPick(page, "Amina");
    await typeWrongPin(page, "905172");
    await typePin(page, "482913");
    await page.waitForSelector("nav.bottom");
    await expect(page.textContent("nav.bottom")).resolves.toContain("Amina");
  });

  it("limits wrong PINs with a wait that survives a reload", async () => {
    await page.goto(served.url);
    await createProfile(page, "Amina", "482913");
    await lockAndPick(page, "Amina");
    for (const left of [2, 1]) await typeWrongPin(page, "111222", `${left}.`);
    await typePin(page, "111222");
    const lockedText = await (await page.waitForSelector('[data-testid="pin-locked"]')).textContent();
    expect(lockedText, lockedText ?? "").toMatch(/wait 0:[0-3]\d\./);
    expect(await page.isDisabled('[data-key="1"]')).toBe(true);
    await page.reload();
    await page.waitForSelector('[data-testid="pin-locked"]');
    expect(await page.isDisabled('[data-key="ok"]')).toBe(true);
  });

  it("opens and unlocks with no network after the first visit", async () => {
    await page.goto(served.url);
    await waitForServiceWorker(page);
    await createProfile(page, "Amina", "482913");
    await served.close(); // the server is gone: only the service worker's cache is left
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector(".pin", { timeout: 15_000 });
    await expect(page.textContent(".offline")).resolves.toContain("offline");
    await typePin(page, "482913");
    await page.waitForSelector("nav.bottom");
    await page.locator("main").getByText("You have no cards yet.").first().waitFor();
  });

  it("switches to Arabic, laid out right to left, and keeps it after a reload", async () => {
    await page.goto(served.url);
    await page.click("button.big.primary");
    await page.selectOption('select[name="language"]', "ar");
    await expect(page.getAttribute("html", "dir")).resolves.toBe("rtl");
    await expect(page.getAttribute("html", "lang")).resolves.toBe("ar");
    await page.locator("main").getByText("اسمك").first().waitFor();
    const brand = await page.locator(".brand").boundingBox();
    const lang = await page.locator(".lang").boundingBox();
    // Right to left: the app name sits at the right edge, the language picker at the left.
    expect(brand!.x).toBeGreaterThan(lang!.x);
    const label = await page.locator(".field .label").first().boundingBox();
    const input = await page.locator('input[name="label"]').boundingBox();
    expect(Math.round(label!.x + label!.width)).toBeGreaterThanOrEqual(Math.round(input!.x + input!.width) - 2);
    await page.reload();
    await expect(page.getAttribute("html", "dir")).resolves.toBe("rtl");
  });

  it("stays usable at 200% text size: no sideways scrolling, keys at least 48 px", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(served.url);
    await page.addStyleTag({ content: "html { font-size: 200% !important; }" });
    await page.click("button.big.primary");
    await page.fill('input[name="label"]', "Amina");
    await page.click('button[type="submit"]');
    await page.waitForSelector(".keys");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    for (const box of await Promise.all((await page.locator(".key").all()).map((k) => k.boundingBox()))) {
      expect(box!.height).toBeGreaterThanOrEqual(48);
      expect(box!.width).toBeGreaterThanOrEqual(48);
    }
  });

  it("backs up to a file and restores it on a new phone; a wrong password changes nothing", async () => {
    await page.goto(served.url);
    await createProfile(page, "Amina", "482913");
    await page.click('[data-testid="nav-settings"]');
    await page.click("main button:has-text('Save a copy')");
    await page.fill('input[name="password"]', "river-stone-42");
    await page.fill('input[name="password2"]', "river-stone-42");
    await page.click('button[type="submit"]');
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="backup-download"]')]);
    const path = await download.path();
    const fileText = readFileSync(path, "utf8");
    expect(fileText).toContain('"format": "haki-backup"');

    const phone2 = await browser.newContext();
    const p2 = await phone2.newPage();
    try {
      await p2.goto(served.url);
      await p2.waitForSelector("text=Restore from a backup file");
      await p2.click("text=Restore from a backup file");
      await p2.setInputFiles('input[name="file"]', path);
      await p2.fill('input[name="password"]', "wrong-password-1");
      await p2.click('button[type="submit"]');
      await expect((await p2.waitForSelector('[data-testid="restore-error"]')).textContent()).resolves.toContain("does not open");
      await p2.setInputFiles('input[name="file"]', { name: "bad.hakibackup", mimeType: "application/json", buffer: Buffer.from(fileText.replace(/"ct": "([A-Za-z0-9_-]{10})/, '"ct": "AAAAAAAAAA')) });
      await p2.fill('input[name="password"]', "river-stone-42");
      await p2.click('button[type="submit"]');
      await expect((await p2.waitForSelector('[data-testid="restore-error"]')).textContent()).resolves.toMatch(/damaged|does not open/);
      await p2.setInputFiles('input[name="file"]', path);
      await p2.click('button[type="submit"]');
      await p2.waitForSelector(".pin");
      await typePin(p2, "905172");
      await p2.waitForSelector(".pin-dots[data-count='0']");
      await typePin(p2, "905172");
      await p2.waitForSelector("nav.bottom", { timeout: 30_000 });
      await p2.locator("main").getByText("Your cards are back.").first().waitFor();
      await expect(p2.textContent("nav.bottom")).resolves.toContain("Amina");
    } finally {
      await phone2.close();
    }
  });
});
