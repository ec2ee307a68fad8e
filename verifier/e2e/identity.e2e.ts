/**
 * The verifier reading national ID cards' QR codes (MOSIP Claim 169, issue 16) through Chromium's
 * fake camera at 360 x 740, with the verifier's host unreachable after set-up: a published
 * reference vector signed by its authority (whose key the trust bundle carries) shows the name for
 * a visual check; a card with a photo shows the photo and date of birth; a card from an authority
 * the bundle does not name is refused with the reason in plain words. A paper card bound to its
 * holder's national ID is accepted with her own ID card and refused with another person's or with
 * none (the programme's rule). The new screens run in en, fr, ar (right to left) and sw at 360 x 740
 * and in fr at 320 x 568: main action on screen, axe-core clean. One browser launch per image.
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
import { writeBlankY4m, writeQrAsY4m, writeQrSequenceAsY4m } from "@haki/e2e/camera";
import { encodeClaim169 } from "@haki/claim169/encode";
import { computeIdBinding, createBindingKey } from "@haki/id-binding/binding";
import { encodeProof } from "@haki/qr/codec";
import { PHONE, PHONE_LOCALES, SMALL_PHONE, assertAccessible, assertFits, unreachable } from "@haki/e2e/phone";
import { servePreview, type Preview } from "@haki/e2e/preview";
import { assert, createStoryRunner, runStory } from "@haki/e2e/steps";
import { startFakeIssuer } from "./fake-issuer";
import type { Page } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const story = createStoryRunner(resolve(root, "../artifacts/verifier-identity"));
const PORT = Number(process.env.HAKI_PORT_BASE ?? 3000) + 2;
const APP = `http://localhost:${PORT}/`;
/** Within the reference vectors' validity (the signed ones run to 2027-01-15): the page's clock is set to it. */
const NOW = new Date("2026-06-01T09:00:00Z");

/** What an answer screen (`identity`, `bound-result`) says in its data attributes. */
async function answerOn(page: Page, testId: "identity" | "bound-result") {
  const shown = page.getByTestId(testId);
  const [outcome, code, failed] = await Promise.all(["data-outcome", "data-code", "data-failed"].map((name) => shown.getAttribute(name)));
  return { outcome, code, failed };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "haki-verifier-identity-"));
  let server: Preview | undefined = await servePreview("verifier", PORT);
  // The cash programme binds its paper cards to national IDs; a bound card without the matching ID
  // card is refused. Enrolled devices receive the programme's binding key.
  const bindingKey = createBindingKey("cash-2027");
  // The issuer's clock: NOW, until the steps that ask a phone follow the page's clock (the relay
  // checks the device's proof against it).
  let issuerClock = () => NOW;
  const { issuer, close: closeIssuer } = await startFakeIssuer({ now: NOW, clock: () => issuerClock(), bindingKeys: [bindingKey] });
  const { world, state } = issuer;
  // The office added two national ID authorities: the reference vectors' one (its published key)
  // and a test authority that signs a card with a photo.
  const published = IdentityIssuer.parse(issuerOf(vector("ed25519-signed")));
  const photoAuthority = await makeIdentityAuthority({ id: "www.mosip.io", name: "National Registration Bureau" });
  world.bundleJws = await world.signBundle({
    seq: 1,
    identityIssuers: [published, photoAuthority.issuer],
    programmes: world.bundle.programmes.map((p) => (p.id === "cash-transfer" ? { ...p, idBinding: "refuse" as const } : p)),
  });
  // A paper card bound to Amina's ID number and date of birth (default scrypt cost, as issued),
  // and two ID cards from the trusted authority: hers, and Baraka's.
  const amina = { id: "29-4410-7765", fullName: "Amina Wanjiru Njeri", dateOfBirth: "19880102" };
  const baraka = { id: "31-0092-1184", fullName: "Baraka Otieno", dateOfBirth: "19910615" };
  const idBinding = await computeIdBinding({ id: amina.id, birthDate: "1988-01-02" }, bindingKey);
  const boundCard = encodeProof(await world.issue({ index: 21, subject: { name: "Amina W.", idBinding } }));
  const idCard = (p: typeof amina) => encodeClaim169(p, { issuer: photoAuthority.issuer.id, expiresAt: new Date("2030-01-01T00:00:00Z") }, photoAuthority.signer);
  const cams = {
    blank: join(work, "blank.y4m"),
    signed: join(work, "signed.y4m"),
    photo: join(work, "photo.y4m"),
    untrusted: join(work, "untrusted.y4m"),
    ownId: join(work, "card-then-own-id.y4m"),
    otherId: join(work, "card-then-other-id.y4m"),
    cardOnly: join(work, "card-only.y4m"),
  };
  writeBlankY4m(cams.blank);
  await writeQrAsY4m(vector("ed25519-signed").qr_data, cams.signed);
  await writeQrAsY4m(await resign(vector("refugee-identity").qr_data, photoAuthority.signer.privateKey), cams.photo);
  await writeQrAsY4m(vector("ecdsa-p256-signed").qr_data, cams.untrusted);
  // The person holds up the paper card, then the ID card (the camera keeps showing both in turn).
  await writeQrSequenceAsY4m([boundCard, await idCard(amina)], cams.ownId);
  await writeQrSequenceAsY4m([boundCard, await idCard(baraka)], cams.otherId);
  await writeQrAsY4m(boundCard, cams.cardOnly);

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
    await story.step("enrols with the fake issuer; the trust bundle brings the national ID authorities", { page: () => phone?.page }, async () => {
      const page = await open(cams.blank);
      state.usedCodes.clear();
      await page.goto(APP);
      await page.locator("textarea[name=setup]").fill(encodeSetupCode(world.setup));
      await page.locator("#enrol-form button[type=submit]").click();
      await page.getByTestId("service-point").waitFor({ timeout: 20_000 });
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
      await server?.stop();
      server = undefined;
    });

    const boundCheck = async (camera: string, withId: boolean) => {
      const page = await open(camera, unreachable(APP));
      await page.goto(APP);
      await page.getByTestId("scan").click();
      await page.getByTestId("bound-ask").waitFor({ timeout: 20_000 });
      await page.getByTestId(withId ? "scan-id" : "no-id").click();
      await page.getByTestId("bound-result").waitFor({ timeout: 30_000 });
      return page;
    };

    // Each card shown offline: the answer screen's outcome (and code), then what else it must show,
    // and the screenshot of that answer.
    const answers: {
      name: string;
      show: () => Promise<Page>;
      expect: { screen: "identity" | "bound-result"; outcome: string; code?: string };
      then?: (page: Page, answer: Awaited<ReturnType<typeof answerOn>>) => Promise<void>;
      shot?: string;
    }[] = [
      {
        name: "reads the published Ed25519 reference vector through the camera, offline: the name to compare, signed by the named authority",
        show: () => scanId(cams.signed),
        expect: { screen: "identity", outcome: "valid" },
        then: async (page) => {
          assert((await page.getByTestId("id-name").textContent()) === "Signed Test Person", "the name from the vector");
          assert((await page.getByTestId("id-authority").textContent()) === published.name, "the authority's name from the bundle");
          await assertFits(page, page.getByRole("button", { name: "Scan next" }), "ID card checked");
          await assertAccessible(page, "ID card checked");
        },
        shot: "identity-valid",
      },
      {
        name: "shows the photo and date of birth of a card that has them",
        show: () => scanId(cams.photo),
        expect: { screen: "identity", outcome: "valid" },
        then: async (page) => {
          const drawn = await page.getByTestId("id-photo").evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
          assert(drawn > 0, "the photo is drawn");
          assert(/\d{4}/.test((await page.getByTestId("id-birth").textContent()) ?? ""), "a date of birth");
        },
        shot: "identity-photo",
      },
      {
        name: "refuses a card from an authority the bundle does not name (the other published vector), with the reason in plain words",
        show: () => scanId(cams.untrusted),
        expect: { screen: "identity", outcome: "refused", code: "ERR_CLAIM169_ISSUER_UNTRUSTED" },
        then: async (page) => {
          assert(/authority this device does not trust/.test((await page.getByTestId("reason").textContent()) ?? ""), "the reason in plain words");
        },
        shot: "identity-untrusted",
      },
      {
        name: "a bound paper card, then the holder's own ID card, offline: green with Hand over",
        show: () => boundCheck(cams.ownId, true),
        expect: { screen: "bound-result", outcome: "accept", code: "BINDING_MATCH" },
        then: async (page) => {
          await assertFits(page, page.getByTestId("hand-over"), "bound card accepted");
          await assertAccessible(page, "bound card accepted");
        },
        shot: "bound-accepted",
      },
      {
        name: "the same card with another person's ID card: refused, saying the ID card belongs to someone else; no Hand over",
        show: () => boundCheck(cams.otherId, true),
        expect: { screen: "bound-result", outcome: "refuse", code: "BINDING_MISMATCH" },
        then: async (page, answer) => {
          assert(answer.failed === "binding", "the link failed, not the ID card");
          assert(/belongs to someone else/.test((await page.getByTestId("reason").textContent()) ?? ""), "plain words");
          assert((await page.getByTestId("hand-over").count()) === 0, "no hand-over");
        },
        shot: "bound-other-id",
      },
      {
        name: "the card shown without an ID card follows the programme's rule: refused",
        show: () => boundCheck(cams.cardOnly, false),
        expect: { screen: "bound-result", outcome: "refuse", code: "ID_NOT_SHOWN" },
      },
    ];
    for (const { name, show, expect: { screen, outcome, code }, then, shot } of answers) {
      await story.step(name, { page: () => phone?.page, shot }, async () => {
        const page = await show();
        const answer = await answerOn(page, screen);
        assert(answer.outcome === outcome, `${outcome} expected, got ${answer.outcome} (${answer.code})`);
        if (code) assert(answer.code === code, `${code} expected, got ${answer.code}`);
        await then?.(page, answer);
      });
    }

    // The new screens in the four languages at 360 x 740, and French (the longest words) at
    // 320 x 568: the main action on screen without scrolling, axe-core without a serious issue. The
    // card's "Scan ID card" step, the bound card's answers (accepted, refused), the ID card checked
    // and refused, and "Ask a phone" (its choice, then its request QR through the issuer's relay).
    server = await servePreview("verifier", PORT);
    const runs = [...PHONE_LOCALES.map((locale) => ({ locale, viewport: PHONE })), { locale: "fr" as const, viewport: SMALL_PHONE }];
    for (const { locale, viewport } of runs) {
      const size = `${viewport.width} x ${viewport.height}`;
      const tag = `${locale}-${viewport.width}`;
      await story.step(`fits the ID card, bound card and Ask a phone screens at ${size} in ${locale}; axe-core finds nothing serious`, { page: () => phone?.page, shot: `ask-phone-${tag}` }, async () => {
        const profile = join(work, `screens-${locale}-${viewport.width}`);
        const fits = async (page: Awaited<ReturnType<typeof open>>, selector: string, what: string) => {
          await assertFits(page, page.locator(selector).first(), `${what} (${locale}, ${size})`);
          await assertAccessible(page, `${what} (${locale}, ${size})`);
        };
        const launch = async (camera: string) => {
          await phone?.close();
          phone = await launchPhone(profile, { camera, viewport, onPageError: (m) => console.log(`    [page error] ${m}`) });
          const launched = Date.now();
          issuerClock = () => new Date(NOW.getTime() + Date.now() - launched);
          await phone.page.clock.setSystemTime(NOW);
          await phone.page.goto(APP);
          return phone.page;
        };
        let page = await launch(cams.ownId);
        state.usedCodes.clear();
        await page.locator("select[name=enrol-locale]").selectOption(locale);
        await page.waitForFunction((l) => document.documentElement.lang === l, locale);
        await page.locator("textarea[name=setup]").fill(encodeSetupCode(world.setup));
        await page.locator("#enrol-form button[type=submit]").click();
        await page.getByTestId("service-point").waitFor({ timeout: 20_000 });
        assert((await page.evaluate(() => document.documentElement.dir)) === (locale === "ar" ? "rtl" : "ltr"), "the page's direction");
        await page.getByTestId("scan").click();
        await page.getByTestId("bound-ask").waitFor({ timeout: 20_000 });
        await fits(page, "[data-testid=scan-id]", "bound card: scan the ID card");
        await page.getByTestId("scan-id").click();
        await page.getByTestId("bound-result").waitFor({ timeout: 30_000 });
        assert((await answerOn(page, "bound-result")).outcome === "accept", "accepted");
        await fits(page, "[data-testid=hand-over]", "bound card accepted");
        await story.shot(page, `bound-accepted-${tag}`);

        // The other answers' "Scan next" row, each on a launch of its own: the bound card with
        // another person's ID card, an ID card from an unknown authority, one with a photo.
        const answers: { camera: string; screen: "identity" | "bound-result"; outcome?: string; what: string; shot?: string }[] = [
          { camera: cams.otherId, screen: "bound-result", outcome: "refuse", what: "bound card refused", shot: `bound-refused-${tag}` },
          { camera: cams.untrusted, screen: "identity", outcome: "refused", what: "ID card refused" },
          { camera: cams.photo, screen: "identity", what: "ID card checked", shot: `identity-${tag}` },
        ];
        for (const { camera, screen, outcome, what, shot } of answers) {
          page = await launch(camera);
          await page.getByTestId("scan").click();
          if (screen === "bound-result") await page.getByTestId("scan-id").click({ timeout: 20_000 });
          await page.getByTestId(screen).waitFor({ timeout: screen === "bound-result" ? 30_000 : 20_000 });
          if (outcome) assert((await answerOn(page, screen)).outcome === outcome, what);
          await fits(page, `[data-testid=${screen}] .actions .row button:last-child`, what);
          if (shot) await story.shot(page, shot);
        }

        await page.locator("[data-testid=identity] .actions .row button:first-child").click();
        await page.getByTestId("ask-phone").click();
        await fits(page, "[data-testid=ask-phone-show]", "Ask a phone");
        await page.getByTestId("ask-phone-show").click();
        await page.locator("[data-testid=ask-phone-qr] .qr svg").waitFor({ timeout: 20_000 });
        await fits(page, "[data-testid=ask-phone-qr] .actions button", "Ask a phone: the request QR");
      });
    }
  } finally {
    await phone?.close();
    await server?.stop();
    await closeIssuer();
    rmSync(work, { recursive: true, force: true });
  }
}

runStory(story, main);
