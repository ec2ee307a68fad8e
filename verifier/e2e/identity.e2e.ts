/**
 * The verifier reading national ID cards' QR codes (MOSIP Claim 169, issue 16) through Chromium's
 * fake camera at 360 x 740, with the verifier's host unreachable after set-up: a published
 * reference vector signed by its authority (whose key the trust bundle carries) shows the name for
 * a visual check; a card with a photo shows the photo and date of birth; a card from an authority
 * the bundle does not name is refused with the reason in plain words. One browser launch per image.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { issuerOf, resign, vector } from "@haki/claim169/reference-vectors";
import { makeIdentityAuthority } from "@haki/claim169/testing";
import { IdentityIssuer } from "@haki/claim169/trust";
import { encodeSetupCode } from "@haki/redemption/setup";
import { launchPhone, type PhoneSession } from "@haki/e2e/browser";
import { writeBlankY4m, writeQrAsY4m } from "@haki/e2e/camera";
import { PHONE, assertAccessible, assertFits, unreachable } from "@haki/e2e/phone";
import { servePreview, type Preview } from "@haki/e2e/preview";
import { assert, createStoryRunner, runStory } from "@haki/e2e/steps";
import { startFakeIssuer } from "./fake-issuer";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const story = createStoryRunner(resolve(root, "../artifacts/verifier-identity"));
const PORT = Number(process.env.HAKI_PORT_BASE ?? 3000) + 2;
const APP = `http://localhost:${PORT}/`;
/** Within the reference vectors' validity (the signed ones run to 2027-01-15): the page's clock is set to it. */
const NOW = new Date("2026-06-01T09:00:00Z");

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "haki-verifier-identity-"));
  let server: Preview | undefined = await servePreview("verifier", PORT);
  const { issuer, close: closeIssuer } = await startFakeIssuer({ now: NOW });
  const { world, state } = issuer;
  // The office added two national ID authorities: the reference vectors' one (its published key)
  // and a test authority that signs a card with a photo.
  const published = IdentityIssuer.parse(issuerOf(vector("ed25519-signed")));
  const photoAuthority = await makeIdentityAuthority({ id: "www.mosip.io", name: "National Registration Bureau" });
  world.bundleJws = await world.signBundle({ seq: 1, identityIssuers: [published, photoAuthority.issuer] });
  const cams = {
    blank: join(work, "blank.y4m"),
    signed: join(work, "signed.y4m"),
    photo: join(work, "photo.y4m"),
    untrusted: join(work, "untrusted.y4m"),
  };
  writeBlankY4m(cams.blank);
  await writeQrAsY4m(vector("ed25519-signed").qr_data, cams.signed);
  await writeQrAsY4m(await resign(vector("refugee-identity").qr_data, photoAuthority.signer.privateKey), cams.photo);
  await writeQrAsY4m(vector("ecdsa-p256-signed").qr_data, cams.untrusted);

  let phone: PhoneSession | undefined;
  const open = async (camera: string, args: string[] = []) => {
    await phone?.close();
    phone = await launchPhone(join(work, "profile"), { camera, viewport: PHONE, args, onPageError: (m) => console.log(`    [page error] ${m}`) });
    await phone.page.clock.setSystemTime(NOW);
    return phone.page;
  };
  const scanId = async (camera: string) => {
    const page = await open(camera, unreachable(APP));
    await page.goto(APP);
    await page.getByTestId("scan").click();
    await page.getByTestId("identity").waitFor({ timeout: 20_000 });
    return page;
  };

  try {
    await story.step(
      "enrols with the fake issuer; the trust bundle brings the national ID authorities",
      async () => {
        const page = await open(cams.blank);
        state.usedCodes.clear();
        await page.goto(APP);
        await page.locator("textarea[name=setup]").fill(encodeSetupCode(world.setup));
        await page.locator("#enrol-form button[type=submit]").click();
        await page.getByTestId("service-point").waitFor({ timeout: 20_000 });
        await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
        await server?.stop();
        server = undefined;
      },
      () => phone?.page,
    );

    await story.step(
      "reads the published Ed25519 reference vector through the camera, offline: the name to compare, signed by the named authority",
      async () => {
        const page = await scanId(cams.signed);
        const shown = page.getByTestId("identity");
        assert((await shown.getAttribute("data-outcome")) === "valid", `valid (${await shown.getAttribute("data-code")})`);
        assert((await page.getByTestId("id-name").textContent()) === "Signed Test Person", "the name from the vector");
        assert((await page.getByTestId("id-authority").textContent()) === published.name, "the authority's name from the bundle");
        await assertFits(page, page.getByRole("button", { name: "Scan next" }), "ID card checked");
        await assertAccessible(page, "ID card checked");
        await story.shot(page, "identity-valid");
      },
      () => phone?.page,
    );

    await story.step(
      "shows the photo and date of birth of a card that has them",
      async () => {
        const page = await scanId(cams.photo);
        assert((await page.getByTestId("identity").getAttribute("data-outcome")) === "valid", "valid");
        const drawn = await page.getByTestId("id-photo").evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
        assert(drawn > 0, "the photo is drawn");
        assert(/\d{4}/.test((await page.getByTestId("id-birth").textContent()) ?? ""), "a date of birth");
        await story.shot(page, "identity-photo");
      },
      () => phone?.page,
    );

    await story.step(
      "refuses a card from an authority the bundle does not name (the other published vector), with the reason in plain words",
      async () => {
        const untrusted = await scanId(cams.untrusted);
        const shown = untrusted.getByTestId("identity");
        assert((await shown.getAttribute("data-outcome")) === "refused", "refused");
        assert((await shown.getAttribute("data-code")) === "ERR_CLAIM169_ISSUER_UNTRUSTED", "unknown authority");
        assert(/authority this device does not trust/.test((await untrusted.getByTestId("reason").textContent()) ?? ""), "the reason in plain words");
        await story.shot(untrusted, "identity-untrusted");
      },
      () => phone?.page,
    );
  } finally {
    await phone?.close();
    await server?.stop();
    await closeIssuer();
    rmSync(work, { recursive: true, force: true });
  }
}

runStory(story, main);
