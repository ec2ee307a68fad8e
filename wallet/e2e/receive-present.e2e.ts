import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { trustListOf } from "@haki/credentials/trust";
import { verifyPresentation } from "@haki/credentials/presentation";
import { DEMO_SUBJECT } from "@haki/credentials/testing";
import { decodeProof, decodeReferences } from "@haki/qr/codec";
import { useIssuerAndBrowser } from "./issuer";
import { createProfile, decodeQrFromPng, launchChromium, serveDist, typePin, waitForServiceWorker, writeQrY4m, type Served } from "./support";

const apps = useIssuerAndBrowser();

/** Runs `use` on the built wallet served afresh and a new browser context; both closed after. */
async function onServedWallet(use: (wallet: { served: Served; context: BrowserContext; page: Page }) => Promise<void>): Promise<void> {
  const served = await serveDist();
  const context = await apps.browser.newContext();
  try {
    await use({ served, context, page: await context.newPage() });
  } finally {
    await context.close();
    await served.close();
  }
}

describe("receive and present", () => {
  it("receives from a running issuer with a code, goes offline, reopens, and shows a QR proof that verifies", async () => {
    await onServedWallet(async ({ served, context, page }) => {
      await page.goto(served.url);
      await waitForServiceWorker(page);
      await createProfile(page, "Zawadi", "482913");
      const offer = await apps.issuer.offer({ walletUrl: `${served.url}receive`, txCodeLength: 6 });

      await page.click("text=Add a card");
      await page.fill('input[name="offer"]', offer.offerUri);
      await page.click("form button[type='submit']");
      await page.fill('input[name="txCode"]', "000000");
      await page.click("form button[type='submit']");
      await expect((await page.waitForSelector('[data-testid="receive-error"]')).textContent()).resolves.toContain("code is not right");
      await page.fill('input[name="txCode"]', offer.txCode!);
      await page.click("form button[type='submit']");
      await page.waitForSelector("text=Your card was added.", { timeout: 30_000 });
      await page.locator("main").getByText("Cash for Work").first().waitFor();
      await expect(page.textContent("[data-state]")).resolves.toContain("Ready to use");

      // The same offer a second time: used, said plainly.
      await page.click("text=Add a card");
      await page.fill('input[name="offer"]', offer.offerUri);
      await page.click("form button[type='submit']");
      await page.fill('input[name="txCode"]', offer.txCode!);
      await page.click("form button[type='submit']");
      await expect((await page.waitForSelector('[data-testid="receive-error"]')).textContent()).resolves.toContain("already used");

      await served.close();
      await context.setOffline(true);
      await page.reload();
      await typePin(page, "482913");
      await page.click("button.card");
      const before = Date.now();
      await page.click("text=Show my QR code");
      await page.waitForSelector('[data-testid="proof-qr"] svg path');
      const payload = await decodeQrFromPng(await page.locator('[data-testid="proof-qr"]').screenshot());
      expect(payload).toBeDefined();

      // The wallet names the issuer's key and the programme by reference (QR format 2): the
      // verifier resolves them from its trust bundle, as here.
      const decoded = decodeProof(payload!, decodeReferences([{ did: apps.issuer.key.did, keys: [{ id: apps.issuer.key.kid }] }], [DEMO_SUBJECT.programme]));
      expect(decoded.kind).toBe("presentation");
      const trust = trustListOf({ did: apps.issuer.key.did, name: "Test ministry" });
      const result = await verifyPresentation(decoded.jwt, trust, { maxAgeSeconds: 120, isReplay: () => false });
      expect(result.valid, JSON.stringify(result)).toBe(true);
      if (!result.valid) return;
      expect(result.holderBinding).toBe("verified");
      expect(result.subject).toEqual(DEMO_SUBJECT);
      expect(result.presentation.createdAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
      // Only the card and the holder's proof: no profile name, nothing else from the phone.
      expect(decoded.jwt).not.toContain("Zawadi");

      // Issue 12, relay: the counter code the clerk shows, typed in: the next QR code carries it, signed.
      await page.fill('[data-testid="counter-code"]', "0427");
      await page.waitForSelector('[data-testid="proof-qr"][data-counter-code="0427"] svg path');
      await expect(page.textContent('[data-testid="counter-code-for"]')).resolves.toContain("0427");
      const coded = await decodeQrFromPng(await page.locator('[data-testid="proof-qr"]').screenshot());
      const codedProof = decodeProof(coded!, decodeReferences([{ did: apps.issuer.key.did, keys: [{ id: apps.issuer.key.kid }] }], [DEMO_SUBJECT.programme]));
      const codedResult = await verifyPresentation(codedProof.jwt, trust, { maxAgeSeconds: 120, nonce: "0427", isReplay: () => false });
      expect(codedResult.valid && codedResult.presentation.nonce, JSON.stringify(codedResult)).toBe("0427");

      // Back online: the office suspends the card, the wallet's check shows it plainly.
      // Same origin (same port) as before, so the same storage.
      const wallet2 = await serveDist(undefined, Number(new URL(served.url).port));
      try {
        await context.setOffline(false);
        apps.issuer.setStatus("suspension", apps.issuer.issued() - 1);
        await page.goto(wallet2.url);
        await typePin(page, "482913");
        // Checked a minute ago, so no automatic check: the person asks for one.
        await page.click('[data-testid="refresh"]');
        await page.waitForSelector('[data-state="suspended"]', { timeout: 30_000 });
        await page.locator("main").getByText("On hold").first().waitFor();
        await page.locator("main").getByText("Last checked").first().waitFor();

        // Deleting the card: asked once more, then gone, and noted in the history.
        await page.click("button.card");
        await page.click("text=Delete this card");
        await page.click(".confirm button.danger");
        await page.waitForSelector("text=The card was deleted.");
        await page.locator("main").getByText("You have no cards yet.").first().waitFor();
        await page.click("nav.bottom button:nth-child(2)");
        // The history is decrypted after the screen opens: wait for it rather than read at once.
        await page.waitForSelector("main :text('Card deleted')", { timeout: 10_000 });
      } finally {
        await wallet2.close();
      }
    });
  });

  it("opens an offer link straight into the wallet, and says when an offer has expired", async () => {
    await onServedWallet(async ({ served, page }) => {
      await page.goto(served.url);
      await createProfile(page, "Baraka", "905172");
      await page.click('[data-testid="lock"]');
      const expired = await apps.issuer.offer({ walletUrl: `${served.url}receive`, expiresInSeconds: -1 });
      await page.goto(expired.link);
      await typePin(page, "905172");
      await expect((await page.waitForSelector('[data-testid="receive-error"]', { timeout: 30_000 })).textContent()).resolves.toContain("expired");
      const good = await apps.issuer.offer({ walletUrl: `${served.url}receive` });
      await page.goto(good.link);
      await typePin(page, "905172");
      await page.waitForSelector("text=Your card was added.", { timeout: 30_000 });
    });
  });

  it("scans the offer QR with the camera (jsQR on canvas frames)", async () => {
    const offer = await apps.issuer.offer({ walletUrl: "http://127.0.0.1/receive" });
    const dir = mkdtempSync(join(tmpdir(), "haki-cam-"));
    await writeQrY4m(offer.offerUri, join(dir, "offer.y4m"));
    const camBrowser = await launchChromium([
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-video-capture=${join(dir, "offer.y4m")}`,
    ]);
    const served = await serveDist();
    try {
      const context = await camBrowser.newContext({ permissions: ["camera"] });
      const page = await context.newPage();
      await page.goto(served.url);
      await createProfile(page, "Chausiku", "135790");
      await page.click("text=Add a card");
      await page.click("text=Scan the QR code");
      await page.waitForSelector("text=Your card was added.", { timeout: 30_000 });
    } finally {
      await camBrowser.close();
      await served.close();
    }
  });
});
