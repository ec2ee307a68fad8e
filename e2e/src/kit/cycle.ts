/**
 * The console's cycle steps as the browser stories drive them: the programme page's new-cycle
 * form, and the second person's approval.
 */
import type { Page } from "playwright-core";
import { signIn } from "./apps";

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
 * Signs in as the demo approver on `page` (a browser context of its own) and approves the
 * submitted cycle at `cycleUrl`, ticking the checked-list box and confirming in the dialog.
 */
export async function approveCycleAsApprover(page: Page, cycleUrl: string, password: string): Promise<void> {
  await signIn(page, "approver@haki.local", password);
  await page.goto(cycleUrl);
  await page.getByLabel("I have checked this list").check();
  await page.getByTestId("approve").click();
  await page.locator("dialog[open]").getByRole("button", { name: "Approve" }).click();
  await page.getByText("State: Approved").waitFor();
}
