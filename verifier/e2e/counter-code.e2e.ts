/**
 * Issue 12, relay, in the browser: the verifier's scan screen shows its counter code at 360 x 740;
 * a phone's code made with that counter code is green; a photo of a phone's code made for another
 * counter is red, "made for another counter". Served by `vite preview`, with Chromium's fake camera
 * fed one QR code per launch (the device's IndexedDB, and so its counter code secret, stays in the
 * profile between launches). Screenshots in artifacts/verifier-counter-code/.
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
import { servePreview } from "@haki/e2e/preview";
import { writeBlankY4m, writeQrAsY4m } from "@haki/e2e/camera";
import { PHONE, assertFits } from "@haki/e2e/phone";
import { assert, createStoryRunner, runStory } from "@haki/e2e/steps";
import { startFakeIssuer } from "./fake-issuer";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PORT = Number(process.env.HAKI_PORT_BASE ?? 3000) + 2;
const APP = `http://localhost:${PORT}/`;
const story = createStoryRunner(resolve(root, "../artifacts/verifier-counter-code"));

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "haki-verifier-counter-"));
  const server = await servePreview("verifier", PORT);
  const { issuer, close } = await startFakeIssuer({ now: new Date() });
  const { world, state } = issuer;
  let phone: PhoneSession | undefined;
  const open = async (camera: string) => {
    await phone?.close();
    phone = await launchPhone(join(work, "counter"), { camera, viewport: PHONE, onPageError: (m) => console.log(`    [page error] ${m}`) });
    return phone.page;
  };
  const holder = await generateKeyPair();
  const card = await world.issue({ index: 5, holder });
  /** A phone's QR code as the wallet makes it with `counterCode` typed in. */
  const phoneCode = async (counterCode: string, file: string) => {
    const cam = join(work, file);
    await writeQrAsY4m(encodeProof(await signPresentation(card, holder, { now: new Date(), nonce: counterCode })), cam);
    return cam;
  };
  let shown = "";
  try {
    await story.step("shows this counter's code on the scan screen, in view at 360 x 740", { page: () => phone?.page, shot: "01-scan-counter-code" }, async () => {
      const blank = join(work, "blank.y4m");
      writeBlankY4m(blank);
      const page = await open(blank);
      state.usedCodes.clear();
      await page.goto(APP);
      await page.locator("textarea[name=setup]").fill(encodeSetupCode(world.setup));
      await page.locator("#enrol-form button[type=submit]").click();
      await page.getByTestId("service-point").waitFor({ timeout: 20_000 });
      await page.getByTestId("scan").click();
      const code = page.getByTestId("counter-code");
      await code.waitFor({ timeout: 10_000 });
      shown = (await code.getAttribute("data-code")) ?? "";
      assert(/^\d{4}$/.test(shown), `a 4-digit counter code (${shown})`);
      assert(((await code.textContent()) ?? "").includes(shown.split("").join("\u00a0")), "the code is on screen");
      await assertFits(page, code, "counter code (360 x 740)");
      await assertFits(page, page.locator("[data-testid=scanner] .actions button.big"), "camera with the counter code (360 x 740)");
    });

    await story.step("a phone's code made with this counter's code is green; a photo of one made for another counter is red", { page: () => phone?.page, shot: "02-another-counter" }, async () => {
      let page = await open(await phoneCode(shown, "this-counter.y4m"));
      await page.goto(APP);
      await page.getByTestId("scan").click();
      const result = page.getByTestId("result");
      await result.waitFor({ timeout: 20_000 });
      assert((await result.getAttribute("data-outcome")) === "green", `green here, got ${await result.getAttribute("data-code")}`);
      await page.getByRole("button", { name: "Done" }).click();

      const other = String((Number(shown) + 5000) % 10_000).padStart(4, "0");
      page = await open(await phoneCode(other, "other-counter.y4m"));
      await page.goto(APP);
      await page.getByTestId("scan").click();
      await page.getByTestId("result").waitFor({ timeout: 20_000 });
      const code = await page.getByTestId("result").getAttribute("data-code");
      assert(code === "ERR_COUNTER_CODE_MISMATCH", `another counter's code refused (${code})`);
      const reason = (await page.getByTestId("reason").textContent()) ?? "";
      assert(/another counter/.test(reason), `plain words: ${reason}`);
    });
  } finally {
    await phone?.close().catch(() => undefined);
    await close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

runStory(story, main);
