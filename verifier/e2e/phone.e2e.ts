/**
 * The verifier on a shop clerk's cheap phone (issue 13): served by `vite preview` (which answers
 * `Vary: Origin`) on localhost, at 360 x 740 and 320 x 568, in the four languages, with Chromium's
 * fake camera fed from QR codes (one launch per image), and the server made unreachable the way a
 * phone without network sees it. A story: each step needs the one before; it stops at the first
 * failure and leaves a screenshot in artifacts/verifier-phone/.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeProof } from "@haki/qr/codec";
import { encodeSetupCode } from "@haki/redemption/setup";
import { launchPhone, type PhoneSession } from "@haki/e2e/browser";
import { servePreview, type Preview } from "@haki/e2e/preview";
import { writeBlankY4m, writeQrAsY4m } from "@haki/e2e/camera";
import { PHONE, PHONE_LOCALES, SMALL_PHONE, TORCH_INIT, assertAccessible, assertFits, unreachable, voicesFor } from "@haki/e2e/phone";
import { assert, createStoryRunner, runStory } from "@haki/e2e/steps";
import type { Page } from "playwright-core";
import { startFakeIssuer } from "./fake-issuer";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ARTIFACTS = resolve(root, "../artifacts/verifier-phone");
// HAKI_PORT_BASE (default 3000) + 2, where scripts/start-apps.ts puts the verifier.
const PORT = Number(process.env.HAKI_PORT_BASE ?? 3000) + 2;
const APP = `http://localhost:${PORT}/`;
const CONTACT = "Call 0800 720 720 (free)";
const story = createStoryRunner(ARTIFACTS);

let server: Preview | undefined;
const startServer = async () => (server = await servePreview("verifier", PORT));
const stopServer = async () => {
  await server?.stop();
  server = undefined;
};

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "haki-verifier-phone-"));
  await startServer();
  const { issuer, close: closeIssuer } = await startFakeIssuer({ now: new Date() });
  const { world, state } = issuer;
  // The programme office's area list and contacts, as the issuer's bundle carries them.
  world.bundleJws = await world.signBundle({
    seq: 1,
    areas: [
      { code: "KE-047", name: "Nairobi" },
      { code: "KE-001", name: "Mombasa" },
    ],
    programmes: world.bundle.programmes.map((p) => ({ ...p, contact: CONTACT })),
  });
  world.revoked.add(13);
  const cams = {
    blank: join(work, "blank.y4m"),
    // A paper card of a partial in-kind entitlement: 6 kg, scanned as often as needed.
    food: join(work, "food.y4m"),
    revoked: join(work, "revoked.y4m"),
    mombasa: join(work, "mombasa.y4m"),
    setup: join(work, "setup.y4m"),
  };
  writeBlankY4m(cams.blank);
  const food = { programme: { id: "food-aid", name: "Food Aid" }, benefit: { type: "InKind" as const, item: "Maize flour", quantity: 6, unit: "kg" }, redemption: "partial" as const, area: "KE-047" };
  await writeQrAsY4m(encodeProof(await world.issue({ index: 3, subject: food })), cams.food);
  await writeQrAsY4m(encodeProof(await world.issue({ index: 13 })), cams.revoked);
  await writeQrAsY4m(encodeProof(await world.issue({ index: 4, subject: { ...food, area: "KE-001" } })), cams.mombasa);
  await writeQrAsY4m(encodeSetupCode(world.setup), cams.setup);

  let phone: PhoneSession | undefined;
  const open = async (profile: string, camera: string, options: { viewport?: { width: number; height: number }; args?: string[]; init?: string } = {}) => {
    await phone?.close();
    phone = await launchPhone(join(work, profile), { camera, viewport: options.viewport ?? PHONE, ...(options.args ? { args: options.args } : {}), onPageError: (m) => console.log(`    [page error] ${m}`) });
    if (options.init) await phone.context.addInitScript(options.init);
    return phone.page;
  };
  const fits = async (page: Page, selector: string, what: string) => {
    await assertFits(page, page.locator(selector).first(), what);
    await assertAccessible(page, what);
  };
  const enrol = async (page: Page, locale = "en") => {
    state.usedCodes.clear();
    await page.goto(APP);
    await page.locator("select[name=enrol-locale]").selectOption(locale);
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    await page.locator("textarea[name=setup]").fill(encodeSetupCode(world.setup));
    await page.locator("#enrol-form button[type=submit]").click();
    await page.getByTestId("service-point").waitFor({ timeout: 20_000 });
  };
  const scan = async (page: Page) => {
    await page.getByTestId("scan").click();
    await page.getByTestId("result").waitFor({ timeout: 20_000 });
  };

  try {
    await story.step("reads the set-up code from the camera (Scan set-up code) and enrols", { page: () => phone?.page }, async () => {
      const page = await open("setup", cams.setup);
      await page.goto(APP);
      await page.getByRole("button", { name: "Scan set-up code" }).click();
      await page.waitForFunction(() => (document.querySelector("textarea[name=setup]") as HTMLTextAreaElement | null)?.value.startsWith("HAKI-SETUP:"), undefined, { timeout: 20_000 });
      await page.getByRole("button", { name: "Set up", exact: true }).click();
      await page.getByTestId("service-point").waitFor({ timeout: 20_000 });
    });

    await story.step("is served with Vary: Origin, and opens and checks with the server unreachable: warm (server stopped) and cold (new launch, host unreachable)", { page: () => phone?.page }, async () => {
      const html = await (await fetch(APP)).text();
      const script = /src="\.?\/?(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
      const res = await fetch(`${APP}${script}`, { headers: { origin: APP.slice(0, -1) } });
      assert(/origin/i.test(res.headers.get("vary") ?? ""), `vite preview varies on Origin (${res.headers.get("vary")})`);
      let page = await open("offline", cams.food);
      await enrol(page);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
      await stopServer();
      await page.reload();
      await scan(page);
      assert((await page.getByTestId("result").getAttribute("data-outcome")) === "green", "green with the server stopped");
      await startServer();
      page = await open("offline", cams.food, { args: unreachable(APP) });
      await page.goto(APP);
      const probe = await page.evaluate(() => fetch(`/not-cached-${Date.now()}`).then(() => "reached", () => "unreachable"));
      assert(probe === "unreachable", "only the service worker answers");
      await scan(page);
      assert((await page.getByTestId("result").getAttribute("data-outcome")) === "green", "green on a cold start with the host unreachable");
    });

    for (const locale of PHONE_LOCALES) {
      await story.step(`fits every screen at 360 x 740 in ${locale} with its main action in view; axe-core finds nothing serious`, { page: () => phone?.page }, async () => {
        const profile = `layout-${locale}`;
        let page = await open(profile, cams.blank, { init: TORCH_INIT });
        await page.goto(APP);
        await fits(page, "#enrol-form button[type=submit]", `set up (${locale})`);
        await enrol(page, locale);
        await fits(page, "[data-testid=scan]", `home (${locale})`);
        await page.getByTestId("scan").click();
        await fits(page, "[data-testid=scanner] .actions button.big", `camera (${locale})`);
        // A torch where the camera has one.
        await page.getByTestId("torch").click();
        await page.waitForSelector("[data-testid=torch][aria-pressed=true]");
        const torch = await page.evaluate(() => (window as unknown as { __torch: string[] }).__torch);
        assert(torch.some((c) => c.includes('"torch":true')), `the torch was switched on (${torch.join()})`);
        await page.locator("[data-testid=scanner] .actions button.big").click();

        await page.getByTestId("nav-settings").click();
        await fits(page, "button[type=submit][form=supervisor-form]", `supervisor PIN (${locale})`);
        await page.locator("input[name=supervisor-pin]").fill("482913");
        await page.locator("input[name=supervisor-pin-again]").fill("482913");
        await page.locator("button[type=submit][form=supervisor-form]").click();
        await fits(page, "select[name=locale]", `settings (${locale})`);

        page = await open(profile, cams.food);
        await page.goto(APP);
        await scan(page);
        await fits(page, "[data-testid=hand-over]", `green answer (${locale})`);
        await page.getByTestId("hand-over").click();
        await fits(page, "[data-testid=confirm]", `hand-over (${locale})`);
        // The live "left after this": more than is left and below zero are errors, not figures.
        await page.getByTestId("amount").fill("8");
        await page.locator('[data-testid=redeem-error][data-code="ERR_AMOUNT_EXCEEDS_BALANCE"]').waitFor();
        assert((await page.getByTestId("left-after").count()) === 0 && (await page.getByTestId("confirm").isDisabled()), "8 of 6: no figure, no confirm");
        await page.getByTestId("amount").fill("-2");
        await page.locator('[data-testid=redeem-error][data-code="ERR_AMOUNT_INVALID"]').waitFor();
        assert((await page.getByTestId("left-after").count()) === 0 && (await page.getByTestId("confirm").isDisabled()), "-2: no figure, no confirm");
        await page.getByTestId("amount").fill("4");
        await page.locator('[data-testid=left-after][data-left="2"]').waitFor();
        await fits(page, "[data-testid=confirm]", `hand-over, 4 of 6 (${locale})`);
        await page.getByTestId("confirm").click();
        await fits(page, "[data-testid=recorded] .actions button.primary", `recorded (${locale})`);
        await page.locator("[data-testid=recorded] .actions button.primary").click();
        await page.getByTestId("result").waitFor({ timeout: 20_000 });
        await page.getByTestId("hand-over").click();
        await page.getByTestId("confirm").click();
        await page.getByTestId("recorded").waitFor();
        await page.locator("[data-testid=recorded] .actions button.secondary").click();

        await page.getByTestId("nav-receipts").click();
        await fits(page, "main .actions button.primary", `receipts (${locale})`);
        const receipts = page.locator("[data-testid=receipts] li");
        assert((await receipts.count()) === 2, `two receipts (${await receipts.count()})`);
        const list = (await page.getByTestId("receipts").textContent()) ?? "";
        assert(list.includes("Amina Njoroge"), "each receipt shows the name shown at the counter");
        if (locale === "en") {
          assert(list.includes("4 kg Maize flour") && list.includes("2 kg Maize flour") && /Ref\. [A-Za-z0-9_-]{8}/.test(list), `amounts and references: ${list}`);
          const byDay = (await page.getByTestId("totals-by-day").textContent()) ?? "";
          assert(byDay.includes("2 hand-overs: 6 kg Maize flour"), `totals per day with stock handed out: ${byDay}`);
          const byCycle = (await page.getByTestId("totals-by-cycle").textContent()) ?? "";
          assert(byCycle.includes("Food Aid · 2027-03") && byCycle.includes("6 kg Maize flour"), `totals per round: ${byCycle}`);
        }
        await page.screenshot({ path: join(ARTIFACTS, `receipts-${locale}.png`) });

        page = await open(profile, cams.revoked);
        await page.goto(APP);
        await scan(page);
        await fits(page, "[data-testid=result] .actions .row button.big", `red answer (${locale})`);
        assert((await page.getByTestId("contact").textContent())?.includes(CONTACT), "the red answer says whom to contact");
        await page.screenshot({ path: join(ARTIFACTS, `red-${locale}.png`) });
      });
    }

    await story.step("keeps the main actions in view on a 320 x 568 phone (Swahili and Arabic)", { page: () => phone?.page }, async () => {
      for (const locale of ["sw", "ar"]) {
        const profile = `small-${locale}`;
        let page = await open(profile, cams.food, { viewport: SMALL_PHONE });
        await page.goto(APP);
        await assertFits(page, page.locator("#enrol-form button[type=submit]"), `set up 320 (${locale})`);
        await enrol(page, locale);
        await assertFits(page, page.getByTestId("scan"), `home 320 (${locale})`);
        await scan(page);
        await assertFits(page, page.getByTestId("hand-over"), `green 320 (${locale})`);
        await page.getByTestId("hand-over").click();
        await assertFits(page, page.getByTestId("confirm"), `hand-over 320 (${locale})`);
        await page.getByTestId("confirm").click();
        await page.getByTestId("recorded").waitFor();
        await page.locator("[data-testid=recorded] .actions button.secondary").click();
        await page.getByTestId("nav-receipts").click();
        await assertFits(page, page.locator("main .actions button.primary"), `receipts 320 (${locale})`);
        page = await open(profile, cams.revoked, { viewport: SMALL_PHONE });
        await page.goto(APP);
        await scan(page);
        await assertFits(page, page.locator("[data-testid=result] .actions .row button.big"), `red 320 (${locale})`);
      }
    });

    await story.step("names the area by its place, reads the answer aloud where there is a voice, and asks for a new code when one was scanned but nothing handed over", { page: () => phone?.page }, async () => {
      let page = await open("words", cams.mombasa, { init: voicesFor(["en-KE"]) });
      await enrol(page);
      await scan(page);
      const reason = (await page.getByTestId("reason").textContent()) ?? "";
      assert((await page.getByTestId("result").getAttribute("data-code")) === "ERR_AREA_NOT_ALLOWED" && reason.includes("Mombasa") && !reason.includes("KE-001"), `place name: ${reason}`);
      await page.getByTestId("read-aloud").click();
      const spoken = await page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken);
      assert(spoken.length === 1 && spoken[0]!.text.includes("Mombasa") && spoken[0]!.lang === "en-KE", `read aloud: ${JSON.stringify(spoken)}`);

      // A phone's code scanned, then "Done" without a hand-over, then shown again.
      const { generateKeyPair } = await import("@haki/credentials/keys");
      const { signPresentation } = await import("@haki/credentials/presentation");
      const holder = await generateKeyPair();
      const code = encodeProof(await signPresentation(await world.issue({ index: 5, holder }), holder, { now: new Date() }));
      const cam = join(work, "phone-code.y4m");
      await writeQrAsY4m(code, cam);
      page = await open("words", cam);
      await page.goto(APP);
      await scan(page);
      assert((await page.getByTestId("result").getAttribute("data-outcome")) === "green", "the code is good the first time");
      await page.getByRole("button", { name: "Done" }).click();
      await scan(page);
      assert((await page.getByTestId("reason").getAttribute("data-context")) === "scanned", "scanned, not handed over");
      const words = (await page.getByTestId("reason").textContent()) ?? "";
      assert(/new code/.test(words) && !/already used/.test(words), `asks for a new code: ${words}`);
      await page.getByRole("button", { name: "Done" }).click();
      // Without a voice for the language, no read-aloud button.
      page = await open("words", cams.revoked);
      await page.goto(APP);
      await scan(page);
      assert((await page.getByTestId("read-aloud").count()) === 0, "no voice, no button");
    });
  } finally {
    await phone?.close().catch(() => undefined);
    await closeIssuer();
    await stopServer();
    rmSync(work, { recursive: true, force: true });
  }
}

runStory(story, main);
