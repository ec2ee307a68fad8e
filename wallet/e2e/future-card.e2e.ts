/**
 * Issue 12: a card of a cycle that starts later is kept by the wallet and shown as "Not yet valid"
 * with its start date (phone size, 360 x 740), where it used to be refused.
 */
import { describe, expect, it } from "vitest";
import { useIssuerAndBrowser } from "./issuer";
import { createProfile, serveDist } from "./support";

const apps = useIssuerAndBrowser({ validFromDays: 10 });

describe("issue 12: a card valid from a later date", () => {
  it("is saved and shown with 'Valid from DATE' and 'Not yet valid', and cannot be shown at a counter yet", async () => {
    const served = await serveDist();
    const context = await apps.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    try {
      await page.goto(served.url);
      await createProfile(page, "Amina", "482913");
      const offer = await apps.issuer.offer({ walletUrl: `${served.url}receive` });
      await page.click("text=Add a card");
      await page.fill('input[name="offer"]', offer.offerUri);
      await page.click("form button[type='submit']");
      await page.waitForSelector("text=Your card was added.", { timeout: 30_000 });
      const startDate = new Intl.DateTimeFormat("en", { dateStyle: "long" }).format(new Date(Date.now() + 10 * 86_400_000));
      await page.waitForSelector('[data-state="not-yet-valid"]');
      await expect(page.textContent("main")).resolves.toContain(`Valid from ${startDate}`);
      await expect(page.textContent("[data-state]")).resolves.toContain("Not yet valid");
      await page.click("button.card");
      await expect(page.textContent('[data-testid="valid-from"]')).resolves.toBe(startDate);
      await expect(page.isDisabled("text=Show my QR code")).resolves.toBe(true);
    } finally {
      await context.close();
      await served.close();
    }
  });
});
