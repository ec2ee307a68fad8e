/**
 * Issue 12 / 15: the lifecycle controls as an admin uses them in the console, in Debian's Chromium
 * against the apps `npm start` runs (demo data): a device set-up code shown as a QR the verifier
 * can scan with its expiry in words; a device enrolled with it, then revoked (shown revoked, its
 * enrolment refused); an officer's password reset to a one-time password that only lets them choose
 * a new one; the officer disabled (their open session ends); an issuer key distrusted and what it
 * signed re-issued, gone from the trust bundle; a service point switched off and on. `pnpm --filter @haki/e2e test:e2e`.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { generateKeyPair } from "@haki/credentials/keys";
import { launchChromium } from "./kit/browser";
import { ROOT, signIn, startDemoApps, URLS } from "./kit/apps";
import { decodeQrFromPng } from "./kit/qr-image";
import { assert, createStoryRunner } from "./kit/steps";

const ARTIFACTS = join(ROOT, "artifacts", "e2e", "console-lifecycle");
const ISSUER = URLS.issuer;
const story = createStoryRunner(ARTIFACTS);

/** Enrols a device the way the verifier does after scanning the code (its own key). */
async function enrol(setupCode: string, key: Awaited<ReturnType<typeof generateKeyPair>>): Promise<{ status: number; body: { deviceId?: string; error?: { code: string } } }> {
  // HAKI-SETUP:1:<base64url JSON { issuer, code, bundleKey, servicePoint }>, as the verifier reads it.
  const setup = JSON.parse(Buffer.from(setupCode.replace(/^HAKI-SETUP:1:/, ""), "base64url").toString("utf8")) as { code: string; servicePoint: string };
  const res = await fetch(`${ISSUER}/api/verifier/enrol`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: setup.code, servicePoint: setup.servicePoint, deviceKey: key.publicJwk, deviceLabel: "Counter 2" }),
  });
  return { status: res.status, body: (await res.json()) as { deviceId?: string; error?: { code: string } } };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "haki-console-"));
  const dataDir = join(work, "data");
  mkdirSync(ARTIFACTS, { recursive: true });
  const { apps, password } = await startDemoApps(dataDir, ARTIFACTS, "console lifecycle");
  let browser: Browser | undefined;
  let admin: Page | undefined;
  let officer: Page | undefined;
  try {
    browser = await launchChromium();
    admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const deviceKey = await generateKeyPair({ extractable: false });
    let setupCode = "";
    let deviceId = "";

    await story.step("an admin makes a set-up code: a QR the verifier can scan, with its expiry in words", { page: () => admin, shot: "1-setup-code-qr" }, async () => {
      await signIn(admin!, "admin@haki.local", password);
      await admin!.goto(`${ISSUER}/service-points`);
      await admin!.getByRole("button", { name: /sp-demo-nairobi/ }).click();
      const shown = admin!.locator("[data-testid=setup-code]");
      await shown.waitFor();
      setupCode = (await shown.locator("code").textContent()) ?? "";
      assert(setupCode.startsWith("HAKI-SETUP:1:"), `set-up code text: ${setupCode.slice(0, 20)}`);
      const scanned = decodeQrFromPng(await shown.locator(".qr").screenshot());
      assert(scanned === setupCode, "the QR holds the set-up code");
      const words = (await shown.locator("strong").textContent()) ?? "";
      assert(/Works once, until .*\d{1,2}:\d{2}/.test(words), `readable expiry: ${words}`);
    });

    await story.step("a device enrols with it, shows in use with its last contact, and is revoked: shown revoked, its key refused at enrolment", { page: () => admin }, async () => {
      const enrolled = await enrol(setupCode, deviceKey);
      assert(enrolled.status === 200 && enrolled.body.deviceId, `enrolled: ${JSON.stringify(enrolled)}`);
      deviceId = enrolled.body.deviceId!;
      await admin!.goto(`${ISSUER}/service-points`);
      const row = admin!.locator(`tr[data-device="${deviceId}"]`);
      assert((await row.getAttribute("data-revoked")) === "no", "in use");
      await row.locator("input[name=reason]").fill("phone stolen at the market");
      await row.getByRole("button", { name: "Revoke" }).click();
      await admin!.locator(`tr[data-device="${deviceId}"][data-revoked="yes"]`).waitFor();
      const text = (await admin!.locator(`tr[data-device="${deviceId}"]`).textContent()) ?? "";
      assert(text.includes("phone stolen at the market"), `revoked row: ${text}`);
      await story.shot(admin!, "2-device-revoked");
      await admin!.getByRole("button", { name: /sp-demo-nairobi/ }).click();
      await admin!.locator("[data-testid=setup-code] code").waitFor();
      const again = await enrol((await admin!.locator("[data-testid=setup-code] code").textContent()) ?? "", deviceKey);
      assert(again.status === 403 && again.body.error?.code === "ERR_DEVICE_REVOKED", `enrolment refused: ${JSON.stringify(again)}`);
    });

    await story.step("an officer's password is reset: the one-time password only lets them choose a new one", { page: () => officer ?? admin }, async () => {
      await admin!.goto(`${ISSUER}/users`);
      const row = admin!.locator('tr[data-user="officer@haki.local"]');
      await row.getByRole("button", { name: "Reset password" }).click();
      const otp = (await row.locator("[role=status] code").textContent()) ?? "";
      assert(otp.length >= 16, "one-time password shown once");
      await story.shot(admin!, "3-password-reset");
      officer = await (await browser!.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(officer, "officer@haki.local", otp, "/password");
      await officer.goto(`${ISSUER}/programmes`);
      await officer.waitForURL(`${ISSUER}/password`);
      await officer.fill("input[name=current]", otp);
      await officer.fill("input[name=next]", "a new passphrase for the officer");
      await officer.getByRole("button", { name: "Save the new password" }).click();
      await officer.waitForURL(`${ISSUER}/`);
      await officer.goto(`${ISSUER}/programmes`);
      assert(officer.url() === `${ISSUER}/programmes`, "the console opens after the change");
    });

    await story.step("the officer is disabled: their open session ends at once", { page: () => officer ?? admin }, async () => {
      await admin!.goto(`${ISSUER}/users`);
      const row = admin!.locator('tr[data-user="officer@haki.local"]');
      await row.locator("input[name=reason]").fill("left the programme");
      await row.getByRole("button", { name: "Disable" }).click();
      await admin!.locator('tr[data-user="officer@haki.local"]', { hasText: "Disabled" }).waitFor();
      await officer!.goto(`${ISSUER}/programmes`);
      await officer!.waitForURL(`${ISSUER}/login`);
    });

    await story.step("the active signing key is distrusted and what it signed re-issued; the trust bundle no longer names it", { page: () => admin }, async () => {
      await admin!.goto(`${ISSUER}/keys`);
      const active = admin!.locator('tr[data-key="active"]');
      const kid = (await active.locator("td").first().textContent()) ?? "";
      await active.locator("input[name=reason]").fill("backup of the key store lost");
      await active.locator("input[name=confirm]").check();
      await active.getByRole("button", { name: "Distrust this key" }).click();
      await admin!.locator('tr[data-key="distrusted"]').first().waitFor();
      await admin!.getByRole("button", { name: "Re-issue what it signed" }).first().click();
      const done = (await admin!.locator("[role=status]").first().textContent({ timeout: 60_000 })) ?? "";
      assert(/^\d+ credentials signed again/.test(done) && !done.startsWith("0 "), `re-issued: ${done}`);
      await story.shot(admin!, "4-key-distrusted");
      const { bundle } = (await (await fetch(`${ISSUER}/api/verifier/trust-bundle`)).json()) as { bundle: string };
      const payload = JSON.parse(Buffer.from(bundle.split(".")[1]!, "base64url").toString("utf8")) as { issuers: { keys: { id: string }[] }[] };
      assert(!payload.issuers[0]!.keys.some((k) => k.id.endsWith(`#${kid}`)), "the distrusted key left the bundle");
    });

    await story.step("a service point is switched off with a reason (no set-up code for it), then on again", { page: () => admin }, async () => {
      await admin!.goto(`${ISSUER}/service-points`);
      const row = admin!.locator('tr[data-point="sp-demo-nairobi"]');
      await row.locator("input[name=reason]").fill("agent contract ended");
      await row.getByRole("button", { name: "Switch off" }).click();
      await admin!.locator('tr[data-point="sp-demo-nairobi"][data-disabled="yes"]').waitFor();
      assert((await admin!.getByRole("button", { name: /New set-up code: sp-demo-nairobi/ }).count()) === 0, "no set-up code for a switched-off point");
      await story.shot(admin!, "5-service-point-off");
      await admin!.locator('tr[data-point="sp-demo-nairobi"]').getByRole("button", { name: "Switch on" }).click();
      await admin!.locator('tr[data-point="sp-demo-nairobi"][data-disabled="no"]').waitFor();
    });

    await story.step("the lifecycle screens read right to left in Arabic", { page: () => admin, shot: "6-users-ar" }, async () => {
      await admin!.context().addCookies([{ name: "haki_locale", value: "ar", url: ISSUER }]);
      for (const path of ["/users", "/service-points", "/keys"]) {
        await admin!.goto(`${ISSUER}${path}`);
        assert((await admin!.locator("html").getAttribute("dir")) === "rtl", `${path} is rtl`);
      }
    });
  } finally {
    await browser?.close();
    await apps.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const { passed, failed, ok } = story.summary();
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
