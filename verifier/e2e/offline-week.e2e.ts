/**
 * Issue 12, "offline for a week", in the browser: the verifier PWA at phone size (360 x 740) in
 * Debian's Chromium, enrolled with the fake issuer; then the issuer and the app's own host are
 * stopped (servers unreachable, not just the browser's offline switch: the service worker serves
 * the app). Playwright's clock moves the page forward:
 * +1 day and +6 days a paper card is still green (at +6 days with "the lists on this device are
 * 6 days old"), +8 days it is refused (ERR_STATUS_STALE: past the lists' own validity). A phone
 * proof made at +6 days is green with the warning, and red (ERR_TRUST_STALE) once the operator
 * chooses "refuse". A card valid only from a later date is answered "Not yet valid" with the date.
 *
 * Run by `test:e2e` (e2e/run.ts) after the build; prints "N passed, N failed".
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKeyPair } from "@haki/credentials/keys";
import { signPresentation } from "@haki/credentials/presentation";
import { encodeProof } from "@haki/qr/codec";
import { encodeSetupCode } from "@haki/redemption/setup";
import { launchPhone, type PhoneSession } from "@haki/e2e/browser";
import { writeQrAsY4m } from "@haki/e2e/camera";
import { assert, createStoryRunner, runStory } from "@haki/e2e/steps";
import type { Page } from "playwright-core";
import { startFakeIssuer } from "./fake-issuer";
import { serveVerifierBuild } from "./serve-build";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const story = createStoryRunner(resolve(root, "../artifacts/verifier"));
const PORT = Number(process.env.HAKI_PORT_BASE ?? 3000) + 2;
const DAY = 24 * 3_600_000;
/** A little past each mark: the device enrolled a few seconds after T0. */
const MINUTE = 60_000;
const PHONE = { width: 360, height: 740 };

/** A phone-sized launch whose camera shows `payload`, with the page's clock set to `time`. */
async function launchAt(profile: string, dir: string, name: string, payload: string, time: number) {
  const y4m = join(dir, `${name}.y4m`);
  await writeQrAsY4m(payload, y4m);
  const phone = await launchPhone(profile, {
    camera: y4m,
    onPageError: (m) => console.log(`    [page error] ${m}`),
  });
  await phone.page.setViewportSize(PHONE);
  await phone.page.clock.install({ time });
  return phone;
}

type Answer = { outcome: string | null; code: string | null };

/** Scans what the camera shows and returns the answer screen's outcome and code. */
async function scan(page: Page): Promise<Answer> {
  await page.getByTestId("scan").click();
  const result = page.getByTestId("result");
  await result.waitFor({ timeout: 20_000 });
  return {
    outcome: await result.getAttribute("data-outcome"),
    code: await result.getAttribute("data-code"),
  };
}

/** Opens the app (its service worker answers: no network) on the home screen, then scans. */
async function openAndScan(page: Page, url: string): Promise<Answer> {
  await page.goto(url);
  await page.getByTestId("service-point").waitFor({ timeout: 10_000 });
  return scan(page);
}

async function backHome(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByTestId("scan").waitFor({ timeout: 10_000 });
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "haki-verifier-week-"));
  const profile = join(work, "profile");
  const app = await serveVerifierBuild(PORT, "offline week e2e");
  const APP_URL = app.url;
  const T0 = Date.now();
  const fake = await startFakeIssuer({ now: new Date(T0) });
  const { world } = fake.issuer;
  let issuerRunning = true;
  let appServerRunning = true;
  const stopAppServer = () => {
    appServerRunning = false;
    return app.stop();
  };
  const phones: PhoneSession[] = [];
  const current = () => phones.at(-1)?.page;
  /** The next browser launch (the previous one closed): its camera shows `payload`, its clock starts at `time`. */
  const relaunch = async (what: string, name: string, payload: string, time: number) => {
    await phones.at(-1)?.close();
    console.log(`offline week e2e: launch ${phones.length + 1} (${what})`);
    phones.push(await launchAt(profile, work, name, payload, time));
    return phones.at(-1)!.page;
  };

  try {
    const paper = encodeProof(await world.issue({ index: 3 }));
    const holder = await generateKeyPair();
    const phoneProof = encodeProof(
      await signPresentation(await world.issue({ index: 4, holder }), holder, {
        now: new Date(T0 + 6 * DAY + MINUTE),
      }),
    );
    const later = encodeProof(
      await world.issue({
        index: 5,
        validFrom: new Date(T0 + 10 * DAY),
        validUntil: new Date(T0 + 40 * DAY),
        subject: { beneficiary: "B-0005", name: "Baraka Mwangi" },
      }),
    );

    const a = await relaunch("a paper card, the clock moved forward", "paper", paper, T0);
    await story.step("enrols at phone size, fetches the lists (5-minute ttl, 7 days valid), then the issuer and the app host go away", { page: current }, async () => {
      await a.goto(APP_URL);
      await a.locator("textarea[name=setup]").fill(encodeSetupCode(world.setup));
      await a.getByRole("button", { name: "Set up", exact: true }).click();
      await a.locator('[data-testid=lists-age][data-old="false"]').waitFor({ timeout: 15_000 });
      await a.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
        timeout: 15_000,
      });
      // No network from here on: the issuer and the app's own host are gone; the service worker
      // serves the app, the device's lists and bundle are all it has.
      await fake.close();
      issuerRunning = false;
      await stopAppServer();
      await a.reload();
      await a.getByTestId("service-point").waitFor({ timeout: 10_000 });
    });
    /** Offline, `days` after enrolment: scans the paper card, checks the answer, leaves a screenshot. */
    const scanAt = (days: number, name: string, shot: string, check: (r: Answer) => Promise<void>) =>
      story.step(name, { page: current }, async () => {
        await a.clock.setSystemTime(T0 + days * DAY + MINUTE);
        await check(await scan(a));
        await story.shot(a, shot);
        await backHome(a);
      });
    await scanAt(1, "+1 day, issuer unreachable: the paper card is green (the ttl is a refresh hint, not an expiry)", "offline-1-day", async (r) => {
      assert(r.outcome === "green", `expected green at +1 day, got ${r.code}`);
      assert((await a.getByTestId("outdated").count()) === 0, "no warning at +1 day");
    });
    await scanAt(6, "+6 days: still green, with 'the lists on this device are 6 days old' (policy: warn)", "offline-6-days", async (r) => {
      assert(r.outcome === "green", `expected green at +6 days, got ${r.code}`);
      const warning = a.getByTestId("outdated");
      assert((await warning.getAttribute("data-days")) === "6", "the warning says 6 days");
      const text = (await warning.textContent()) ?? "";
      assert(text.includes("6 days old"), `warning text: ${text}`);
      const box = await warning.boundingBox();
      assert(
        box !== null &&
          box.x >= 0 &&
          box.x + box.width <= PHONE.width &&
          box.y + box.height <= PHONE.height,
        "the warning is on the phone's screen without scrolling",
      );
    });
    await scanAt(8, "+8 days: red, the lists are past the programme's 7 days (ERR_STATUS_STALE), in plain words", "offline-8-days", async (r) => {
      assert(
        r.outcome === "red" && r.code === "ERR_STATUS_STALE",
        `expected ERR_STATUS_STALE, got ${r.code}`,
      );
      const reason = (await a.getByTestId("reason").textContent()) ?? "";
      assert(reason.includes("too old"), `reason: ${reason}`);
    });

    const b = await relaunch("a phone proof made at +6 days", "phone", phoneProof, T0 + 6 * DAY + MINUTE);
    await story.step("+6 days: a phone proof is green with the warning; with the policy 'refuse' it is red (ERR_TRUST_STALE)", { page: current }, async () => {
      const r = await openAndScan(b, APP_URL);
      assert(r.outcome === "green", `expected green, got ${r.code}`);
      assert((await b.getByTestId("outdated").getAttribute("data-days")) === "6", "warned");
      await backHome(b);
      // The settings are the supervisor's (a PIN chosen the first time); they save as they change.
      await b.getByRole("button", { name: "Settings" }).click();
      await b.locator("input[name=supervisor-pin]").fill("482913");
      await b.locator("input[name=supervisor-pin-again]").fill("482913");
      await b.getByRole("button", { name: "Save the PIN" }).click();
      await b.locator("select[name=whenOutdated]").selectOption("refuse");
      await b.locator("[data-testid=settings-state][data-state=saved]").waitFor();
      await b.getByRole("button", { name: "Home" }).click();
      const refused = await scan(b);
      assert(
        refused.outcome === "red" && refused.code === "ERR_TRUST_STALE",
        `got ${refused.code}`,
      );
      await story.shot(b, "offline-6-days-refuse");
      await backHome(b);
    });

    const c = await relaunch("a card valid from a later date", "later", later, T0 + DAY);
    await story.step("a card valid from a later date: 'Not yet valid' with the date in words", { page: current, shot: "not-yet-valid" }, async () => {
      const r = await openAndScan(c, APP_URL);
      assert(r.outcome === "red" && r.code === "ERR_CREDENTIAL_NOT_YET_VALID", `got ${r.code}`);
      const title = (await c.getByTestId("result").locator("h1").textContent()) ?? "";
      assert(title === "Not yet valid", `title: ${title}`);
      const day = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(
        new Date(T0 + 10 * DAY),
      );
      const reason = (await c.getByTestId("reason").textContent()) ?? "";
      assert(reason.includes(day), `reason "${reason}" names ${day}`);
    });
  } finally {
    for (const p of phones) await p.close().catch(() => undefined);
    if (issuerRunning) await fake.close();
    if (appServerRunning) await stopAppServer();
    rmSync(work, { recursive: true, force: true });
  }
}

runStory(story, main);
