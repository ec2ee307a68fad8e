/**
 * The wallet on a cheap phone, in a person's hands (issue 13): served by `vite preview` (which
 * answers `Vary: Origin`, as real static hosts do) on localhost, at 360 x 740 and 320 x 568, in the
 * four languages, with the server made unreachable the way a phone without network sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import type { EntitlementSubject } from "@haki/credentials/model";
import { launchPhone } from "@haki/e2e/browser";
import { servePreview, type Preview } from "@haki/e2e/preview";
import { PHONE, PHONE_LOCALES, SMALL_PHONE, assertAccessible, assertFits, unreachable, voicesFor } from "@haki/e2e/phone";
import { CONTACT, startTestIssuer, type TestIssuer } from "./issuer";
import { createProfile, launchChromium, lockAndPick, typePin, typeWrongPin, waitForServiceWorker } from "./support";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
// HAKI_PORT_BASE (default 3000) + 1, where scripts/start-apps.ts puts the wallet.
const PORT = Number(process.env.HAKI_PORT_BASE ?? 3000) + 1;
const URL_ = `http://localhost:${PORT}/`;
const PIN = "482913";

const FOOD: EntitlementSubject = {
  beneficiary: "BEN-0002",
  programme: { id: "food-2027", name: "Food support" },
  cycle: "2027-03",
  benefit: { type: "InKind", item: "Maize flour", quantity: 10, unit: "kg" },
  redemption: "partial",
  area: "KE-047",
};
const CASH: EntitlementSubject = { ...FOOD, beneficiary: "BEN-0003", programme: { id: "cash-2027", name: "Cash support" }, benefit: { type: "Cash", amount: 3000, currency: "KES" }, redemption: "single" };

let issuer: TestIssuer;
let browser: Browser;
let server: Preview | undefined;
const startServer = async () => (server = await servePreview("wallet", PORT));
const stopServer = async () => {
  await server?.stop();
  server = undefined;
};

beforeAll(async () => {
  issuer = await startTestIssuer();
  browser = await launchChromium();
  await startServer();
});
afterAll(async () => {
  await stopServer();
  await browser?.close();
  await issuer?.close();
});

/** Pastes an offer for `subject` and types its card code; ends on the card list. */
async function receive(page: Page, subject: EntitlementSubject): Promise<number> {
  const offer = await issuer.offer({ walletUrl: `${URL_}receive`, txCodeLength: 6, subject });
  await page.click("main button.big.primary");
  await page.fill('input[name="offer"]', offer.offerUri);
  await page.click("main form button[type='submit']");
  await page.fill('input[name="txCode"]', offer.txCode!);
  await page.click("main form button[type='submit']");
  await page.waitForSelector("main .alert.good", { timeout: 30_000 });
  return issuer.issued() - 1;
}

/**
 * Runs `use` on a new page at phone size (`viewport`, PHONE unless given) whose wallet speaks
 * `locale`, with an init script if given: a browser context of its own, closed after.
 */
async function onPhone(
  { locale, viewport = PHONE, init }: { locale: string; viewport?: { width: number; height: number }; init?: string },
  use: (page: Page) => Promise<void>,
): Promise<void> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  try {
    await context.addInitScript(`try { localStorage.setItem("haki.wallet.locale", ${JSON.stringify(locale)}) } catch {}`);
    if (init) await context.addInitScript(init);
    await use(await context.newPage());
  } finally {
    await context.close();
  }
}

describe("the wallet on a phone", () => {
  it("is served with Vary: Origin, and opens and works with the server unreachable: warm (server stopped) and cold (new launch, host unreachable)", async () => {
    const script = (await (await fetch(URL_)).text()).match(/src="\/?(assets\/index-[^"]+\.js)"/)?.[1];
    const res = await fetch(`${URL_}${script}`, { headers: { origin: URL_.slice(0, -1) } });
    expect(res.headers.get("vary") ?? "").toMatch(/origin/i);

    const profile = mkdtempSync(join(tmpdir(), "haki-wallet-phone-"));
    let phone = await launchPhone(profile, { viewport: PHONE });
    try {
      await phone.page.goto(URL_);
      await waitForServiceWorker(phone.page);
      await createProfile(phone.page, "Amina", PIN);
      await receive(phone.page, FOOD);

      // Warm: the same browser, the server gone.
      await stopServer();
      await phone.page.reload();
      await typePin(phone.page, PIN);
      await phone.page.click("button.card");
      await phone.page.click('[data-testid="present"]');
      await phone.page.waitForSelector('[data-testid="proof-qr"] svg path', { timeout: 15_000 });
      await phone.close();

      // Cold: a new launch of the browser that cannot reach the wallet's host at all.
      await startServer();
      phone = await launchPhone(profile, { viewport: PHONE, args: unreachable(URL_) });
      await phone.page.goto(URL_);
      // Only the service worker's cache answers: anything it does not hold fails to load.
      const probe = await phone.page.evaluate(() => fetch(`/not-cached-${Date.now()}`).then(() => "reached", () => "unreachable"));
      expect(probe).toBe("unreachable");
      await phone.page.waitForSelector(".pin", { timeout: 15_000 });
      await typePin(phone.page, PIN);
      await phone.page.click("button.card");
      await phone.page.click('[data-testid="present"]');
      await phone.page.waitForSelector('[data-testid="proof-qr"] svg path', { timeout: 15_000 });
    } finally {
      await phone.close();
      if (!server) await startServer();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  for (const locale of PHONE_LOCALES) {
    it(`fits every screen at 360 x 740 in ${locale}, main action in view, no serious accessibility problem; shows what is left and why a card was cancelled`, async () => {
      await onPhone({ locale }, async (page) => {
        const check = async (selector: string, what: string) => {
          await assertFits(page, page.locator(selector).first(), `${what} (${locale})`);
          await assertAccessible(page, `${what} (${locale})`);
        };
        await page.goto(URL_);
        await check("main button.big.primary", "welcome");
        await page.click("main button.big.primary");
        await check("main button[type=submit]", "name");
        await page.fill('input[name="label"]', "Amina");
        await page.click("main button[type=submit]");
        await check('[data-key="ok"]', "choose a PIN");
        await typePin(page, PIN);
        await page.waitForSelector(".pin-dots[data-count='0']");
        await typePin(page, PIN);
        await page.waitForSelector("nav.bottom", { timeout: 30_000 });
        await check("main button.big.primary", "no cards yet");

        await page.click("main button.big.primary");
        await check("main button.big.primary", "add a card");
        const offer = await issuer.offer({ walletUrl: `${URL_}receive`, txCodeLength: 6, subject: FOOD });
        await page.fill('input[name="offer"]', offer.offerUri);
        await page.click("main form button[type='submit']");
        await page.waitForSelector('input[name="txCode"]');
        await check("main form button[type=submit]", "card code");
        await page.fill('input[name="txCode"]', offer.txCode!);
        await page.click("main form button[type='submit']");
        await page.waitForSelector("main .alert.good", { timeout: 30_000 });
        const food = issuer.issued() - 1;
        const cash = await receive(page, CASH);

        // The office hands over 4 kg at a market stall and cancels the cash card (the person left).
        issuer.office(food).handOvers.push({ at: "2027-03-10T09:30:00.000Z", servicePoint: "Gikomba market stall", place: "Nairobi", amount: 4 });
        issuer.office(cash).reason = "exit";
        issuer.setStatus("revocation", cash);
        await page.click('[data-testid="refresh"]');
        await page.waitForSelector('[data-state="revoked"]', { timeout: 30_000 });
        // Back to the list as a person comes to it (the tap on "Check for changes" scrolled it).
        await page.click("nav.bottom button:nth-child(2)");
        await page.click("nav.bottom button:nth-child(1)");
        // With cards, the main action is opening one.
        await check("main button.card", "cards");
        if (locale === "en") expect(await page.locator("button.card:has-text('Food support') [data-testid=card-left]").textContent()).toBe("6 kg Maize flour left of 10 kg Maize flour");

        await page.click("button.card:has-text('Food support')");
        await check('[data-testid="present"]', "card");
        expect(await page.locator('[data-testid="hand-overs"] li').count()).toBe(1);
        expect(await page.textContent('[data-testid="hand-overs"]')).toContain("Gikomba market stall, Nairobi");
        expect(await page.textContent('[data-testid="card-where"]')).toContain("Nairobi");
        await page.click('[data-testid="present"]');
        await check('[data-testid="proof-qr"]', "QR code");
        await assertFits(page, page.locator('[data-testid="time-left"]'), `time left (${locale})`);
        await page.click(".present button.primary");

        await page.click("main button.link");
        await page.click("button.card:has-text('Cash support')");
        await check('[data-testid="card-reason"]', "cancelled card");
        expect(await page.textContent('[data-testid="card-reason"]')).toContain(CONTACT);
        expect(await page.isDisabled('[data-testid="present"]')).toBe(true);

        await page.click("nav.bottom button:nth-child(2)");
        await check("main h1", "history");
        await page.click('[data-testid="nav-settings"]');
        await check("main .choice.size-larger", "settings");
        await page.click("main button.big >> nth=1");
        await check("main button[type=submit]", "backup");
        await page.click('[data-testid="lock"]');
        await check("main button.big.person", "who is using the phone");
        await page.click("main button.big.person");
        await check('[data-key="ok"]', "unlock");
        mkdirSync(join(root, "..", "artifacts", "wallet"), { recursive: true });
        await page.screenshot({ path: join(root, "..", "artifacts", "wallet", `phone-${locale}.png`) });
      });
    });
  }

  it("keeps the main actions in view on a 320 x 568 phone (Swahili and Arabic)", async () => {
    for (const locale of ["sw", "ar"]) {
      await onPhone({ locale, viewport: SMALL_PHONE }, async (page) => {
        await page.goto(URL_);
        await assertFits(page, page.locator("main button.big.primary"), `welcome 320 (${locale})`);
        await createProfile(page, "Baraka", PIN);
        await assertFits(page, page.locator("main button.big.primary"), `no cards 320 (${locale})`);
        await receive(page, FOOD);
        await assertFits(page, page.locator("main button.card"), `cards 320 (${locale})`);
        await page.click("button.card");
        await assertFits(page, page.locator('[data-testid="present"]'), `card 320 (${locale})`);
        await page.click('[data-testid="present"]');
        await assertFits(page, page.locator('[data-testid="proof-qr"]'), `QR 320 (${locale})`);
      });
    }
  });

  it("grows the text when the person asks (kept after a reload), and the card's main action stays in view at 360 x 740", async () => {
    await onPhone({ locale: "sw" }, async (page) => {
      await page.goto(URL_);
      await createProfile(page, "Baraka", PIN);
      await receive(page, FOOD);
      const normal = await page.locator("main h1").evaluate((el) => el.getBoundingClientRect().height);
      await page.click('[data-testid="nav-settings"]');
      await page.click("main .choice.size-larger");
      await expect.poll(() => page.evaluate(() => document.documentElement.style.fontSize)).toBe("150%");
      await page.reload();
      await typePin(page, PIN);
      await page.waitForSelector("nav.bottom");
      await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe("24px");
      expect(await page.locator("main h1").evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(normal * 1.3);
      await assertFits(page, page.locator("main button.card"), "cards, larger text (sw)");
      await page.click("button.card");
      await assertFits(page, page.locator('[data-testid="present"]'), "card, larger text (sw)");
    });
  });

  it("shows how long the code is good for and makes a new one by itself before it gets too old", async () => {
    await onPhone({ locale: "en" }, async (page) => {
      await page.clock.install();
      await page.goto(URL_);
      await createProfile(page, "Chausiku", PIN);
      await receive(page, FOOD);
      await page.click("button.card");
      await page.click('[data-testid="present"]');
      const qr = page.locator('[data-testid="proof-qr"]');
      await qr.waitFor();
      const first = await qr.getAttribute("data-created");
      const secondsLeft = async () => Number(await page.getAttribute('[data-testid="time-left"]', "data-seconds"));
      expect(await secondsLeft()).toBeGreaterThan(115);
      expect(await page.textContent('[data-testid="time-left"]')).toMatch(/Good for (2:00|1:5\d) more/);
      await page.clock.fastForward(60_000);
      await expect.poll(secondsLeft).toBeLessThan(62);
      expect(await qr.getAttribute("data-created")).toBe(first);
      await page.clock.fastForward(45_000);
      await expect.poll(() => qr.getAttribute("data-created"), { timeout: 10_000 }).not.toBe(first);
      await expect.poll(secondsLeft, { timeout: 10_000 }).toBeGreaterThan(110);
    });
  });

  it("reads a card aloud where the phone has a voice for the language, and offers nothing where it has none", async () => {
    await onPhone({ locale: "sw", init: voicesFor(["sw-KE", "en-GB"]) }, async (page) => {
      await page.goto(URL_);
      await createProfile(page, "Amina", PIN);
      await receive(page, FOOD);
      await page.click("button.card");
      await page.click('[data-testid="read-aloud"]');
      const spoken = await page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken);
      expect(spoken).toEqual([{ text: expect.stringContaining("Food support"), lang: "sw-KE" }]);
      expect(spoken[0]?.text).toContain("Maize flour");
      await page.selectOption('select[name="language"]', "fr");
      await page.waitForSelector("html[lang=fr]");
      // The button goes once the screen has re-rendered in French (no French voice on this phone).
      await page.locator('[data-testid="read-aloud"]').waitFor({ state: "detached", timeout: 5_000 });
      expect(await page.locator('[data-testid="read-aloud"]').count()).toBe(0);
    });
  });

  it("clears the old wrong-PIN message when the wait is over", async () => {
    await onPhone({ locale: "en" }, async (page) => {
      await page.clock.install();
      await page.goto(URL_);
      await createProfile(page, "Amina", PIN);
      await lockAndPick(page, "Amina");
      await typeWrongPin(page, "111222");
      await typeWrongPin(page, "111223", "1.");
      await typePin(page, "111224");
      await page.waitForSelector('[data-testid="pin-locked"]');
      await page.clock.fastForward(31_000);
      await page.waitForSelector('[data-testid="pin-locked"]', { state: "detached" });
      expect(await page.locator('[data-testid="pin-error"]').count()).toBe(0);
      expect(await page.isDisabled('[data-key="1"]')).toBe(false);
      await typePin(page, PIN);
      await page.waitForSelector("nav.bottom");
    });
  });
});
