/**
 * Browser tests of the verifier, in Debian's Chromium through playwright-core, with a fake camera
 * fed from QR code images (one browser launch per image, as Chromium reads the .y4m once), a
 * fake issuer on 127.0.0.1, and Playwright's offline mode. Builds the app, serves it with
 * `vite preview` on 127.0.0.1:3002, and prints "N passed, N failed".
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKeyPair } from "@haki/credentials/keys";
import { signPresentation } from "@haki/credentials/presentation";
import { encodeProof } from "@haki/qr/codec";
import { encodeSetupCode } from "@haki/redemption/setup";
import { launchPhone } from "@haki/e2e/browser";
import { writeQrAsY4m } from "@haki/e2e/camera";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { startFakeIssuer } from "./fake-issuer";
import { serveVerifierBuild } from "./serve-build";

const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), "../../artifacts/verifier");
// HAKI_PORT_BASE (default 3000) + 2, as scripts/start-apps.ts places the verifier.
const PORT = Number(process.env.HAKI_PORT_BASE ?? 3000) + 2;

let passed = 0;
let failed = 0;
let blocked = false;
/** Runs one step; after a failure the later steps of the story are reported as failed, not run. */
async function step(name: string, page: Page, fn: () => Promise<void>): Promise<void> {
  const started = Date.now();
  if (blocked) {
    failed++;
    console.log(`  ✗ ${name} (not run: an earlier step failed)`);
    return;
  }
  try {
    await fn();
    passed++;
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    blocked = true;
    await page.screenshot({ path: join(artifacts, `failed-${failed}.png`) }).catch(() => undefined);
    console.log(`  ✗ ${name}\n    ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** A QR code of `payload` as a .y4m the fake camera plays in a loop (the shared kit). */
async function cameraFile(dir: string, name: string, payload: string): Promise<string> {
  const y4m = join(dir, `${name}.y4m`);
  await writeQrAsY4m(payload, y4m);
  return y4m;
}

/** One browser launch per camera file, on the same profile (the kit's phone-sized Chromium). */
async function launch(profile: string, y4m: string): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await launchPhone(profile, {
    camera: y4m,
    onPageError: (m) => console.log(`    [page error] ${m}`),
  });
  return { context, page };
}

/**
 * With the browser's offline switch on, `open` loads the app (from the service worker), which
 * says it is offline; then scans what the camera shows, screenshots the answer as `shot` and
 * returns the answer screen.
 */
async function scanOffline(
  { context, page }: { context: BrowserContext; page: Page },
  open: (page: Page) => Promise<unknown>,
  shot: string,
): Promise<Locator> {
  await context.setOffline(true);
  await open(page);
  await page.getByTestId("network").filter({ hasText: "Offline" }).waitFor({ timeout: 10_000 });
  await page.getByTestId("scan").click();
  const result = page.getByTestId("result");
  await result.waitFor({ timeout: 20_000 });
  await page.screenshot({ path: join(artifacts, shot) });
  return result;
}

async function main(): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "haki-verifier-e2e-"));
  const profile = join(work, "profile");
  // scripts/test-e2e.sh builds every app once and passes --no-build.
  const app = await serveVerifierBuild(PORT, "verifier e2e");
  const APP_URL = app.url;
  const { issuer, close: closeIssuer } = await startFakeIssuer({
    now: new Date(),
    loseFirstAck: true,
  });
  const { world, state } = issuer;
  world.revoked.add(13);

  try {
    const holder = await generateKeyPair();
    const valid = encodeProof(
      await signPresentation(await world.issue({ index: 2, holder }), holder, { now: new Date() }),
    );
    const revoked = encodeProof(
      await world.issue({ index: 13, subject: { beneficiary: "B-0013", name: "Juma Otieno" } }),
    );
    const again = encodeProof(
      await signPresentation(await world.issue({ index: 2, holder }), holder, { now: new Date() }),
    );
    const validCam = await cameraFile(work, "valid", valid);
    const againCam = await cameraFile(work, "again", again);
    const revokedCam = await cameraFile(work, "revoked", revoked);

    console.log("verifier e2e: launch 1 (valid proof from a phone screen)");
    const a = await launch(profile, validCam);
    try {
      await step(
        "enrols with a set-up code and fetches trust bundle and status lists",
        a.page,
        async () => {
          await a.page.goto(APP_URL);
          await a.page.locator("textarea[name=setup]").fill(encodeSetupCode(world.setup));
          await a.page.locator("input[name=label]").fill("Counter 1");
          await a.page.getByRole("button", { name: "Set up", exact: true }).click();
          await a.page
            .getByTestId("service-point")
            .filter({ hasText: world.servicePoint.name })
            .waitFor({ timeout: 15_000 });
          await a.page
            .locator('[data-testid=lists-age][data-old="false"]')
            .waitFor({ timeout: 15_000 });
          assert(state.devices.size === 1, "the issuer enrolled one device");
          await a.page.waitForFunction(
            () => navigator.serviceWorker.controller !== null,
            undefined,
            { timeout: 15_000 },
          );
        },
      );
      await step(
        "opens with no network (service worker) and shows green for a valid proof",
        a.page,
        async () => {
          const result = await scanOffline(a, (page) => page.reload(), "green.png");
          assert(
            (await result.getAttribute("data-outcome")) === "green",
            `expected green, got ${await result.getAttribute("data-code")}`,
          );
          assert(
            (await a.page.getByTestId("display-name").textContent()) === "Amina Njoroge",
            "shows the display name",
          );
          assert(
            (await a.page.getByTestId("benefit").textContent())?.includes("3,000"),
            "shows what may be received",
          );
        },
      );
      await step("records the hand-over offline and queues a signed receipt", a.page, async () => {
        await a.page.getByTestId("hand-over").click();
        await a.page.getByTestId("confirm").click();
        await a.page.getByTestId("recorded").waitFor({ timeout: 10_000 });
        await a.page.getByRole("button", { name: "Done" }).click();
        await a.page.locator('[data-testid=pending][data-count="1"]').waitFor({ timeout: 10_000 });
        assert(
          state.receipts.size === 0 && state.receiptPosts === 0,
          "nothing reached the issuer while offline",
        );
      });
    } finally {
      await a.context.close();
    }

    console.log("verifier e2e: launch 2 (revoked paper card)");
    const b = await launch(profile, revokedCam);
    try {
      await step("shows red with the reason for a revoked card, offline", b.page, async () => {
        const result = await scanOffline(b, (page) => page.goto(APP_URL), "red.png");
        assert((await result.getAttribute("data-outcome")) === "red", "expected red");
        assert(
          (await result.getAttribute("data-code")) === "ERR_CREDENTIAL_REVOKED",
          `code ${await result.getAttribute("data-code")}`,
        );
        assert(
          (await b.page.getByTestId("reason").textContent()) ===
            "This card was cancelled by the programme.",
          "plain-words reason",
        );
        await b.page.getByRole("button", { name: "Done" }).click();
      });
      await step(
        "sends the receipt exactly once when the network comes back (first answer lost)",
        b.page,
        async () => {
          await b.page
            .locator('[data-testid=pending][data-count="1"]')
            .waitFor({ timeout: 10_000 });
          await b.context.setOffline(false);
          await b.page
            .locator('[data-testid=pending][data-count="0"]')
            .waitFor({ timeout: 30_000 });
          assert(state.receipts.size === 1, `issuer holds ${state.receipts.size} receipts`);
          assert(
            state.deliveries === 2,
            `the lost answer made the app send it again (${state.deliveries} deliveries)`,
          );
          const [receipt] = [...state.receipts.values()];
          assert(
            receipt?.device === "dev-1" &&
              receipt.handedOver.type === "Cash" &&
              receipt.handedOver.amount === 3000,
            "receipt content",
          );
          const posts = state.receiptPosts;
          await b.page.reload();
          await b.page.getByTestId("service-point").waitFor();
          await b.page.waitForTimeout(1_500);
          assert(
            state.receiptPosts === posts && state.receipts.size === 1,
            "nothing is sent again after it was acknowledged",
          );
          await b.page.screenshot({ path: join(artifacts, "home.png") });
        },
      );
      await step("switches to Arabic, right to left, and keeps the setting", b.page, async () => {
        // The settings are the supervisor's: the first time, a supervisor PIN is chosen.
        await b.page.getByRole("button", { name: "Settings" }).click();
        await b.page.locator("input[name=supervisor-pin]").fill("482913");
        await b.page.locator("input[name=supervisor-pin-again]").fill("482913");
        await b.page.getByRole("button", { name: "Save the PIN" }).click();
        await b.page.locator("select[name=locale]").selectOption("ar");
        await b.page.waitForFunction(
          () => document.documentElement.dir === "rtl" && document.documentElement.lang === "ar",
        );
        await b.page.reload();
        await b.page
          .getByTestId("scan")
          .filter({ hasText: "مسح بطاقة" })
          .waitFor({ timeout: 10_000 });
        await b.page.screenshot({ path: join(artifacts, "home-ar.png") });
      });
    } finally {
      await b.context.close();
    }

    /** One more launch: scan what the camera shows, offline, and expect this red code. */
    const expectRedOffline = async (name: string, cam: string, code: string, shot: string, context?: string) => {
      const c = await launch(profile, cam);
      try {
        await step(name, c.page, async () => {
          await c.context.setOffline(true);
          await c.page.goto(APP_URL);
          await c.page.getByTestId("scan").click();
          const result = c.page.getByTestId("result");
          await result.waitFor({ timeout: 20_000 });
          await c.page.screenshot({ path: join(artifacts, shot) });
          assert(
            (await result.getAttribute("data-code")) === code,
            `expected ${code}, got ${await result.getAttribute("data-code")}`,
          );
          if (context) assert((await c.page.getByTestId("reason").getAttribute("data-context")) === context, `words for a code ${context}`);
        });
      } finally {
        await c.context.close();
      }
    };
    console.log("verifier e2e: launches 3 and 4 (the same entitlement again)");
    await expectRedOffline(
      "refuses the same phone code shown a second time (replay)",
      validCam,
      "ERR_PRESENTATION_REPLAYED",
      "replayed.png",
      "handed",
    );
    await expectRedOffline(
      "refuses a second hand-over of a single-use entitlement, even with a fresh code",
      againCam,
      "ERR_ALREADY_REDEEMED",
      "already.png",
    );
  } finally {
    await closeIssuer();
    await app.stop();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  console.log(`\n${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
