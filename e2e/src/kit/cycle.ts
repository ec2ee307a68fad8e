/**
 * The console's steps as the browser stories drive them: the programme page's new-cycle form, the
 * second person's approval, and a service point with its set-up code.
 */
import type { Locator, Page } from "playwright-core";
import { signIn, URLS } from "./apps";

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Fills the new-cycle form on the programme page: from today for 30 days, every household
 * (household size >= 1). The caller previews or prepares.
 *
 * @example
 * await fillCycleForm(o, { code: "2026-journey", amount: "50000" });
 * await o.click("button[value=prepare]");
 */
export async function fillCycleForm(page: Page, cycle: { code: string; amount: string }): Promise<void> {
  await page.fill("input[name=code]", cycle.code);
  await page.fill("input[name=validFrom]", isoDay(Date.now()));
  await page.fill("input[name=validUntil]", isoDay(Date.now() + 30 * 86_400_000));
  await page.fill("input[name=amount]", cycle.amount);
  await page.selectOption("select[name=field0]", "householdSize");
  await page.selectOption("select[name=op0]", "gte");
  await page.fill("input[name=value0]", "1");
}

/**
 * Approves the submitted cycle at `cycleUrl` as the approver signed in on `page`: ticks the
 * checked-list box, and confirms in the dialog that warns an approval cannot be undone.
 *
 * @example
 * await approveCycle(approver, cycleUrl);
 */
export async function approveCycle(page: Page, cycleUrl: string): Promise<void> {
  await page.goto(cycleUrl);
  await page.getByLabel("I have checked this list").check();
  await page.getByTestId("approve").click();
  const dialog = page.locator("dialog[open]");
  await dialog.getByText("An approval cannot be undone").waitFor();
  await dialog.getByRole("button", { name: "Approve" }).click();
  await page.getByText("State: Approved").waitFor();
}

/**
 * Signs in as the demo approver on `page` (a browser context of its own) and approves the
 * submitted cycle at `cycleUrl` (`approveCycle`).
 */
export async function approveCycleAsApprover(page: Page, cycleUrl: string, password: string): Promise<void> {
  await signIn(page, "approver@haki.local", password);
  await approveCycle(page, cycleUrl);
}

/**
 * Registers a service point for `programme` on the console's service points page, then asks for
 * a device set-up code; returns the code's QR image.
 *
 * @example
 * const qr = await addServicePoint(o, { id: "sp-1", name: "Clinic counter" }, "KE-047", "cash");
 * const setup = decodeQrFromPng(await qr.screenshot());
 */
export async function addServicePoint(page: Page, point: { id: string; name: string }, area: string, programme: string): Promise<Locator> {
  await page.goto(`${URLS.issuer}/service-points`);
  await page.fill("input[name=id]", point.id);
  await page.fill("form input[name=name]", point.name);
  await page.fill("form input[name=area]", area);
  await page.fill("input[name=programmes]", programme);
  await page.click("form.card button[type=submit]");
  await page.getByRole("button", { name: `New set-up code: ${point.id}` }).click();
  return page.locator("[data-testid=setup-code] [role=img]");
}
